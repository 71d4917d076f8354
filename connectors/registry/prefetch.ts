import { sql } from 'kysely';
import type { CompanyPrefetch } from '../../src/prefetch.js';

/** The Company fields that read the whole register record (the resolvers' `record`), beside `name`. */
const RECORD_FIELDS = [
  'legalForm',
  'status',
  'statusText',
  'founded',
  'address',
  'municipality',
  'industry',
  'employees',
  'productionUnits',
];

/**
 * A list of companies answers the register's fields in its own statement: a name on its own (the common
 * list, and one column rather than the record's thirty), and the record only when the operation asks for a
 * field that reads it.
 */
export const prefetch: CompanyPrefetch[] = [
  {
    paths: [['name']],
    plan: (cvr) => ({
      sql: sql`(SELECT c.name FROM registry.company c WHERE c.cvr = ${cvr})`,
      prime: (ctx, company, value) => ctx.loaders.registry.primeName(company, value as string | null),
    }),
  },
  {
    paths: RECORD_FIELDS.map((f) => [f] as [string]),
    plan: (cvr) => ({
      // JSON of the row: its dates are the ISO days and its arrays the lists the driver gives (toCompany reads no timestamp).
      sql: sql`(SELECT to_json(c) FROM registry.company c WHERE c.cvr = ${cvr})`,
      prime: (ctx, _company, value) => {
        if (value) ctx.loaders.registry.primeRow(value as { cvr: string });
      },
    }),
  },
];
