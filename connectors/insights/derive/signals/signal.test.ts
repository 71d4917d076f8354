import fs from 'node:fs';
import { parse, type EnumTypeDefinitionNode } from 'graphql';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compileSignals, subqueryReads } from '../../../../tests/helpers/signal-sql.js';
import { SIGNALS, signalOf } from '../signals.js';
import { hard } from './hard-needs.js';
import { ctesOf, type Signal } from './signal.js';

const sdlKinds = () => {
  const doc = parse(fs.readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
  const e = doc.definitions.find((d): d is EnumTypeDefinitionNode => d.kind === 'EnumTypeDefinition' && d.name.value === 'SignalKind')!;
  return e.values!.map((v) => v.name.value).sort();
};

describe('the signals statement', () => {
  it('has one signal file for every SignalKind of the schema', () => {
    expect(SIGNALS.map((s) => s.kind).sort()).toEqual(sdlKinds());
    for (const kind of sdlKinds()) expect(signalOf(kind as never).kind).toBe(kind);
  });

  it('is one INSERT whose subqueries each appear once, after the ones they read', () => {
    const { sql: text } = compileSignals(SIGNALS);
    expect(text.match(/INSERT INTO/g)).toHaveLength(1);
    expect(text.match(/UNION ALL/g)).toHaveLength(SIGNALS.length - 1);
    const order = subqueryReads(SIGNALS);
    for (const [i, x] of order.entries()) {
      expect(text.match(new RegExp(`"${x.name}" AS (MATERIALIZED )?\\(`, 'g')), x.name).toHaveLength(1);
      for (const r of x.reads)
        expect(
          order.findIndex((y) => y.name === r),
          `${x.name} reads ${r}`,
        ).toBeLessThan(i);
    }
  });

  it('writes the hard-to-fill rule once, in the subquery both hard-to-fill signals read', () => {
    const { sql: text } = compileSignals(SIGNALS);
    expect(text.match(/"n"\."balance_category" = ANY\(/g)).toHaveLength(1);
    const readers = SIGNALS.filter((s) => s.with.includes(hard)).map((s) => s.kind);
    expect(readers.sort()).toEqual(['HARD_TO_FILL_VACANCY', 'NO_PUBLIC_CONTACT']);
  });

  it('refuses two different subqueries under one name', () => {
    const a: Signal = {
      kind: 'LAYOFF_NOTICE',
      with: [{ name: 'x', query: () => sql`SELECT 1` }],
      rows: () => sql`SELECT 1`,
      message: () => '',
    };
    const b: Signal = { ...a, with: [{ name: 'x', query: () => sql`SELECT 2` }] };
    expect(() => ctesOf([a, b])).toThrow(/share a name/);
  });
});
