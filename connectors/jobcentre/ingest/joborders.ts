import { sql } from 'kysely';
import { pNumberProblem } from '../../../src/codes/cvr.js';
import { notADate, parseCvr, parseDate, text } from '../../../src/ingest/fields.js';
import { isObj, jsonRecords, type JsonShape } from '../../../src/ingest/json.js';
import type { IngestSource, Validation } from '../../../src/ingest/types.js';
import { upsertRows } from '../../../src/ingest/upsert.js';
import { mapOccupation } from '../codes.js';
import type { JobOrderTable } from '../tables.js';

export type JobOrderRow = Omit<JobOrderTable, 'run_id' | 'changed_at'>;

const COLUMNS: Record<keyof JobOrderRow, string> = {
  id: 'text',
  cvr: 'text',
  p_number: 'text',
  title: 'text',
  disco: 'text',
  esco_uri: 'text',
  order_type: 'text',
  status: 'text',
  start_date: 'date',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SHAPE: JsonShape = {
  arrays: ['jobordrer', 'joborders', 'value'],
  isRecord: (v) => isObj(v) && 'jobordreId' in v,
  expected: 'STAR job orders (objects with jobordreId): {"jobordrer"|"joborders"|"value": [ … ]}, a top-level array, or NDJSON',
};

export function validateJobOrder(value: unknown): Validation<JobOrderRow> {
  if (!isObj(value)) return { reject: 'not a jobordre object' };
  const id = text(value.jobordreId);
  if (!id) return { reject: 'jobordreId is missing' };
  if (!GUID.test(id)) return { reject: `jobordreId ${JSON.stringify(id)} is not a GUID` };
  const cvr = parseCvr(value.cvrNummer, 'cvrNummer');
  if ('problem' in cvr) return { reject: cvr.problem };
  const title = text(value.title);
  if (!title) return { reject: 'title is missing' };
  const p = value.productionUnitIdentifier == null ? null : text(value.productionUnitIdentifier);
  if (p && pNumberProblem(p)) return { reject: `productionUnitIdentifier ${p}: ${pNumberProblem(p)}` };
  const startText = text(value.startdato);
  const start = startText ? parseDate(startText) : null;
  if (startText && !start) return { reject: notADate('startdato', startText) };
  const esco = text(value.ConceptUriDa);
  const occupation = mapOccupation({ esco, labels: [title] });
  return {
    row: {
      id: id.toLowerCase(),
      cvr: cvr.cvr,
      p_number: p,
      title,
      disco: occupation?.disco ?? null,
      esco_uri: esco,
      order_type: text(value.jobordreType),
      status: text(value.joborderStatusType),
      start_date: start,
    },
  };
}

export const jobOrdersSource: IngestSource<JobOrderRow> = {
  name: 'joborders',
  sections: ['RECRUITMENT', 'CONTACTS'],
  connector: 'jobcentre',
  summary: 'STAR job orders (jobordrer), JSON array, {"jobordrer": [...]} or NDJSON',
  format: `STAR jobordre objects: a top-level JSON array, {"jobordrer"|"joborders"|"value": [ … ]}, or one object per
line (NDJSON). Fields read: jobordreId (required GUID; the key, a later record replaces the earlier),
cvrNummer (required, valid CVR), productionUnitIdentifier (P-number, 10 digits), title (required),
ConceptUriDa (ESCO URI → DISCO through data/codes/esco-disco.csv, else the title is matched as an
occupation label; unmapped orders load without occupation, counted as withoutOccupation),
jobordreType, joborderStatusType, startdato (yyyy-mm-dd or ISO timestamp). jobordreBeskrivelse and
any contact-person field are dropped on read and never stored, not even in rejects.`,
  batchSize: 5000,
  tables: ['jobcentre.job_order'],
  // Free text that may name people: dropped on read, so not even a rejected order keeps it.
  personKeys: /^jobordreBeskrivelse$/i,
  read: (input, file) => jsonRecords(input, file, SHAPE),
  validate: validateJobOrder,
  key: (row) => row.id,
  upsert: (tx, rows, run) => {
    const unmapped = rows.filter((r) => r.disco === null).length;
    if (unmapped) run.notes.withoutOccupation = (run.notes.withoutOccupation ?? 0) + unmapped;
    return upsertRows(
      tx,
      {
        table: 'jobcentre.job_order',
        key: ['id'],
        columns: COLUMNS,
        stamp: { run_id: sql`${run.id}::int`, changed_at: sql`now()` },
        touched: 'cvr',
      },
      rows,
    );
  },
};
