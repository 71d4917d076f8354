/**
 * The raw-COPY reference of the ingest benchmark, in its own process.
 *   copy-child.ts --write <cvr.ndjson> <rows.copy>   writes the file's companies as COPY text rows of registry.company
 *   copy-child.ts <rows.copy>                        opens (and migrates) the database of the environment and times one
 *                                                     COPY of those rows into registry.company, with all its indexes
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { openHub } from '../src/hub.js';
import { sourceByName } from '../src/connectors.js';
import { copyInto, copyLine } from '../src/ingest/copy.js';

/** registry.company's columns as the cvr source fills them, with the run's stamps. */
const COLUMNS = [
  'cvr',
  'name',
  'legal_form_code',
  'legal_form_short',
  'legal_form_long',
  'status',
  'status_text',
  'founded',
  'street_name',
  'house_number',
  'floor',
  'door',
  'locality',
  'postcode',
  'city',
  'municipality_code',
  'industry_code',
  'industry_title',
  'industry_version',
  'employees_band',
  'employees_count',
  'employees_year',
  'employees_quarter',
  'employees_month',
  'employees_basis',
  'production_units',
  'source_updated_at',
  'run_id',
];

const args = process.argv.slice(2);
if (args[0] === '--write') {
  const [, input, output] = args;
  const source = sourceByName('cvr')!;
  const out = fs.createWriteStream(output!);
  for await (const record of source.read(fs.createReadStream(input!), input!, {})) {
    const v = source.validate(record.value, record, {}) as { row?: { type: string; row: Record<string, unknown> } };
    if (v.row?.type !== 'company') continue;
    if (!out.write(copyLine({ ...v.row.row, run_id: 1 }, COLUMNS))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
} else {
  const lines = fs.readFileSync(args[0]!, 'utf8').split(/(?<=\n)/);
  const hub = await openHub(loadConfig());
  const started = Date.now();
  await hub.db.transaction().execute(async (tx) => {
    // As an ingest run: no per-request statement_timeout.
    await sql`SELECT set_config('statement_timeout', '0', true)`.execute(tx);
    await copyInto(tx, 'registry.company', COLUMNS, lines);
  });
  const seconds = (Date.now() - started) / 1000;
  const n = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM registry.company`.execute(hub.db)).rows[0]!.n;
  await hub.close();
  process.stdout.write(JSON.stringify({ rows: n, seconds }) + '\n');
}
