import { expect, it } from 'vitest';
import { SettingsError, validateSettings } from './settings.js';
import { loadConfig } from '../config.js';

it('accepts the defaults and good values', () => {
  expect(validateSettings({})).toEqual({});
  expect(
    validateSettings({
      PORT: '4700',
      DATABASE_URL: 'postgres://u:p@db/indgang',
      LOG_LEVEL: 'debug',
      INDGANG_SANDBOX: '1',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318',
    }),
  ).toMatchObject({ PORT: 4700 });
});

it('names every wrong setting at once, hiding secrets', () => {
  let error: SettingsError | undefined;
  try {
    validateSettings({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://root:hunter2@db',
      LOG_LEVEL: 'loud',
      INDGANG_GATEWAY_SECRET: 'short',
      INDGANG_SANDBOX: 'yes',
      INDGANG_TODAY: '1/12/2026',
    });
  } catch (e) {
    error = e as SettingsError;
  }
  expect(error).toBeInstanceOf(SettingsError);
  expect(error!.problems.map((p) => p.split(' ')[0]).sort()).toEqual([
    'DATABASE_URL',
    'INDGANG_GATEWAY_SECRET',
    'INDGANG_SANDBOX',
    'INDGANG_TODAY',
    'LOG_LEVEL',
    'PORT',
  ]);
  expect(error!.message).toContain('6 settings are wrong');
  expect(error!.message).toContain('PORT must be a whole number');
  expect(error!.message).toContain('LOG_LEVEL must be "fatal" or');
  expect(error!.message).not.toContain('hunter2');
  expect(error!.message).not.toContain('short');
});

it('is checked when the configuration loads, and sets the drain delay', () => {
  expect(() => loadConfig({ PORT: '99999' })).toThrow(/PORT must be a whole number from 0 to 65535/);
  expect(loadConfig({}).drainSeconds).toBe(0);
  expect(loadConfig({ NODE_ENV: 'production' }).drainSeconds).toBe(5);
  expect(loadConfig({ INDGANG_DRAIN_SECONDS: '2' }).drainSeconds).toBe(2);
});
