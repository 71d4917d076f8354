import { sql, type Selectable } from 'kysely';
import { postcodeInfo } from '../../../src/codes/lists.js';
import type { IngestSource, Validation } from '../../../src/ingest/types.js';
import { upsertRows } from '../../../src/ingest/upsert.js';
import type { ProviderTable } from '../tables.js';
import { providerKey } from '../domain.js';
import { csvRecords, type Column } from '../../../src/ingest/csv.js';
import { text } from '../../../src/ingest/fields.js';

/** A validated row, shaped as the table without the run's stamps. */
export type ProviderRow = Omit<Selectable<ProviderTable>, 'run_id' | 'changed_at'>;

const COLUMNS: Column[] = [
  { field: 'name', headers: ['name', 'navn', 'institution', 'udbyder'], required: true },
  { field: 'number', headers: ['number', 'institutionsnummer', 'inst_nr', 'institution_number'] },
  { field: 'kind', headers: ['kind', 'type', 'institutionstype'] },
  { field: 'street', headers: ['street', 'adresse', 'gade', 'address'] },
  { field: 'postcode', headers: ['postcode', 'postnr', 'postnummer'] },
  { field: 'city', headers: ['city', 'by', 'postdistrikt'] },
  { field: 'website', headers: ['website', 'hjemmeside', 'www', 'url'] },
];

export function validateProvider(value: unknown): Validation<ProviderRow> {
  const v = value as Record<string, string>;
  const name = text(v.name);
  if (!name) return { reject: 'the provider name is missing' };
  const number = text(v.number);
  if (number && !/^\d{3,8}$/.test(number)) return { reject: `institution number ${JSON.stringify(number)} is not 3 to 8 digits` };
  const postcode = text(v.postcode);
  if (postcode && !/^\d{4}$/.test(postcode)) return { reject: `postcode ${JSON.stringify(postcode)} is not 4 digits` };
  const place = postcode ? postcodeInfo(postcode) : undefined;
  return {
    row: {
      name_key: providerKey(name),
      name,
      number,
      kind: text(v.kind),
      street: text(v.street),
      postcode,
      city: text(v.city) ?? place?.city ?? null,
      municipality_code: place?.municipalityCode ?? null,
      website: text(v.website),
    },
  };
}

export const providersSource: IngestSource<ProviderRow> = {
  name: 'veu-providers',
  sections: ['UPSKILLING'],
  connector: 'veu',
  summary: 'VEU course providers CSV: name, institution number, type, address, website',
  format: `CSV with a header row, separated by ; (or , or tab), UTF-8, # starts a comment line.
Columns: navn/name (required; course instances refer to their provider by this name, compared without
case and extra spaces), institutionsnummer/number (3-8 digits), type/kind (e.g. "AMU-center",
"Erhvervsskole", "VUC", "Erhvervsakademi"), adresse/street, postnr/postcode (4 digits, resolved to a
municipality when the postcode list knows it), by/city, hjemmeside/website. A re-sent provider replaces the stored one.`,
  batchSize: 5000,
  read: (input, file) => csvRecords(input, file, { columns: COLUMNS, comments: true }),
  validate: validateProvider,
  key: (row) => row.name_key,
  upsert: (tx, rows, run) =>
    upsertRows(
      tx,
      {
        table: 'veu.provider',
        key: ['name_key'],
        columns: {
          name_key: 'text',
          name: 'text',
          number: 'text',
          kind: 'text',
          street: 'text',
          postcode: 'text',
          city: 'text',
          municipality_code: 'text',
          website: 'text',
        },
        stamp: { run_id: sql`${run.id}::int`, changed_at: sql`now()` },
      },
      rows,
    ),
};
