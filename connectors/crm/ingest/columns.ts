import { FileRejectedError } from '../../../src/ingest/types.js';

/** One field a CRM source reads, and the column headers (or JSON property names) that carry it. */
export interface FieldSpec {
  field: string;
  /** Accepted headers in their compared form (see headerKey); the first is the documented name. */
  headers: string[];
  required?: boolean;
  /** For the format text. */
  note?: string;
}

/** The fields as a record reader hands them to validation: every listed field, '' when blank or absent. */
export type Fields = Record<string, string>;

// CRM exports name columns "<Field>_<Entity>", e.g. Mødedato_Møder or CVR_Virksomheder.
const ENTITY_SUFFIX = /_(møder|møde|virksomheder|virksomhed|konti|konto|kunder|kunde|forløb|programmer|program|henvisninger|henvisning|accounts|meetings)$/;

/** The compared form of a header: lower case, spaces as underscores, without the entity suffix. */
export function headerKey(header: string): string {
  return header.replace(/^\ufeff/, '').trim().toLowerCase().replace(/[\s-]+/g, '_').replace(ENTITY_SUFFIX, '');
}

/** Company columns every CRM source carries: the company by CVR, or by name and municipality. */
export const COMPANY_FIELDS: FieldSpec[] = [
  { field: 'cvr', headers: ['cvr', 'cvr_nummer', 'cvrnummer', 'cvr_nr'], required: true, note: 'CVR number; may be blank or wrong, then the row is matched by name and municipality' },
  { field: 'name', headers: ['firmanavn', 'virksomhedsnavn', 'navn', 'virksomhed'], required: true, note: 'company name' },
  { field: 'municipality', headers: ['kommune', 'kommunenavn', 'kommunekode'], required: true, note: 'municipality name (e.g. Herning) or 3-digit code' },
];

/**
 * Maps a header row to field positions. Refuses the whole file when a required column is missing,
 * naming every missing column; columns not listed (e.g. contact persons) are never read.
 */
export function mapHeader(header: string[], fields: FieldSpec[], file: string): Map<string, number> {
  const keys = header.map(headerKey);
  const positions = new Map<string, number>();
  const missing: string[] = [];
  for (const f of fields) {
    const i = keys.findIndex((k) => f.headers.includes(k));
    if (i >= 0) positions.set(f.field, i);
    else if (f.required) missing.push(f.headers[0]!);
  }
  if (missing.length) {
    throw new FileRejectedError(`${file}: missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (the header has ${header.map((h) => h.trim()).join(', ') || 'no columns'})`);
  }
  return positions;
}

/** The listed fields of one record; everything else in the row is dropped here. */
export function pickFields(values: (string | undefined)[], positions: Map<string, number>, fields: FieldSpec[]): Fields {
  const out: Fields = {};
  for (const f of fields) {
    const i = positions.get(f.field);
    out[f.field] = i === undefined ? '' : (values[i] ?? '').trim();
  }
  return out;
}

/** Format documentation for a source's columns. */
export function describeFields(fields: FieldSpec[]): string {
  return fields
    .map((f) => {
      const aliases = f.headers.slice(1);
      return `  ${f.headers[0]}${f.required ? ' (required column)' : ''}${f.note ? `: ${f.note}` : ''}${aliases.length ? `; also accepted: ${aliases.join(', ')}` : ''}`;
    })
    .join('\n');
}
