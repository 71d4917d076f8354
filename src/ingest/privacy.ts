import type { SourceRecord } from './types.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// Keys naming people (a job ad's ContactPersonName, KontaktpersonEmail, a CPR column …): never stored, not even in rejects.
export const PERSONAL_KEY = /contact|kontakt|cpr|e-?mail|phone|telefon|personnavn|personname|^(person|navn|name|fornavn|efternavn)$/i;

/** Drops person-identifying keys from a record before it is validated or kept as a reject. */
export function withoutPersons(record: SourceRecord): SourceRecord {
  if (!isObj(record.value)) return record;
  const value = scrub(record.value);
  return { ...record, value, raw: JSON.stringify(value) };
}

function scrub(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (PERSONAL_KEY.test(k)) continue;
    out[k] = isObj(v) ? scrub(v) : v;
  }
  return out;
}

/**
 * Records without person keys. A whole envelope document written on one line (`{"JobPositionPostings": [...]}`)
 * reaches here as a single NDJSON record: its array is opened so each element is a record of its own.
 */
export async function* scrubbed(records: AsyncIterable<SourceRecord>, envelopes: string[] = []): AsyncGenerator<SourceRecord> {
  for await (const r of records) {
    const key = isObj(r.value) ? envelopes.find((k) => Array.isArray((r.value as Record<string, unknown>)[k])) : undefined;
    if (!key) {
      yield withoutPersons(r);
      continue;
    }
    const items = (r.value as Record<string, unknown[]>)[key]!;
    for (let i = 0; i < items.length; i++) {
      yield withoutPersons({ line: r.line, position: `${r.position} ${key}[${i}]`, raw: JSON.stringify(items[i]), value: items[i] });
    }
  }
}
