import pino from 'pino';

/** Structured logs to stderr; LOG_LEVEL overrides the level. Never log request variables: they may hold personal data. */
export const logger = pino({ level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info') }, pino.destination(2));
