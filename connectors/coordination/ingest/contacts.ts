import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { cvrProblem } from '../../../src/codes/cvr.js';
import { scalarChecks } from '../../../src/graphql/scalars.js';
import { text as str } from '../../../src/ingest/fields.js';
import { isObj, jsonRecords, type JsonShape } from '../../../src/ingest/json.js';
import type { IngestSource, Validation } from '../../../src/ingest/types.js';
import { today } from '../../../src/today.js';
import { contactProblems, type ContactFields } from '../domain.js';
import type { ContactVersionTable } from '../tables.js';

/** A contact as the feed states it, checked, with the hash that tells a correction from a repeat. */
export type ContactFeedRow = Pick<
  ContactVersionTable,
  'cvr' | 'system' | 'organisation' | 'consultant' | 'channel' | 'date' | 'topics' | 'outcome' | 'follow_up_on'
> & { request_key: string; input_hash: string };

/** Feed keys live apart from the API's idempotency keys: a feed re-sends a record, the API retries a write. */
const KEY_PREFIX = 'contacts-feed:';

const SYSTEMS: Record<string, ContactFields['system']> = {
  jobcentre: 'JOBCENTRE',
  jobcenter: 'JOBCENTRE',
  erhvervshus: 'ERHVERVSHUS',
  væksthus: 'ERHVERVSHUS',
  vaeksthus: 'ERHVERVSHUS',
  veu: 'VEU',
  uddannelse: 'VEU',
};

const CHANNELS: Record<string, ContactFields['channel']> = {
  visit: 'VISIT',
  besøg: 'VISIT',
  virksomhedsbesøg: 'VISIT',
  meeting: 'MEETING',
  møde: 'MEETING',
  phone: 'PHONE',
  telefon: 'PHONE',
  email: 'EMAIL',
  'e-mail': 'EMAIL',
  mail: 'EMAIL',
  event: 'EVENT',
  arrangement: 'EVENT',
  other: 'OTHER',
  andet: 'OTHER',
};

// Dates are checked as the API's Date scalar checks them.
const isDate = (v: string) => scalarChecks.Date!(v) === null;

const SHAPE: JsonShape = {
  arrays: ['contacts', 'value'],
  isRecord: (v) => isObj(v) && ('idempotencyKey' in v || 'cvr' in v),
  expected: 'contactRecord inputs: one object per line (NDJSON), a top-level array, or {"contacts"|"value": [ … ]}',
};

export function validateContact(value: unknown, day = today()): Validation<ContactFeedRow> {
  if (!isObj(value)) return { reject: 'not a contact object' };
  const problems: string[] = [];
  const key = str(value.idempotencyKey);
  if (!key) problems.push('idempotencyKey is missing');
  else if (key.length > 200) problems.push('idempotencyKey is longer than 200 characters');
  const cvr = typeof value.cvr === 'number' ? String(value.cvr).padStart(8, '0') : str(value.cvr);
  if (!cvr) problems.push('cvr is missing');
  else if (cvrProblem(cvr)) problems.push(`cvr ${cvr}: ${cvrProblem(cvr)}`);
  const system =
    SYSTEMS[(str(value.system) ?? '').toLowerCase()] ?? (str(value.system)?.toUpperCase() as ContactFields['system'] | undefined);
  if (!system || !['JOBCENTRE', 'ERHVERVSHUS', 'VEU'].includes(system))
    problems.push(`system ${JSON.stringify(value.system ?? null)} is not JOBCENTRE, ERHVERVSHUS or VEU`);
  const channel =
    CHANNELS[(str(value.channel) ?? '').toLowerCase()] ?? (str(value.channel)?.toUpperCase() as ContactFields['channel'] | undefined);
  if (!channel || !Object.values(CHANNELS).includes(channel))
    problems.push(`channel ${JSON.stringify(value.channel ?? null)} is not one of VISIT, MEETING, PHONE, EMAIL, EVENT, OTHER`);
  const date = str(value.date);
  if (!date || !isDate(date)) problems.push(`date ${JSON.stringify(value.date ?? null)} is not a date (yyyy-mm-dd)`);
  const followUp = str(value.followUpOn);
  if (followUp && !isDate(followUp)) problems.push(`followUpOn ${JSON.stringify(followUp)} is not a date (yyyy-mm-dd)`);
  const topicsValue = value.topics ?? [];
  const topics =
    typeof topicsValue === 'string'
      ? topicsValue
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean)
      : topicsValue;
  if (!Array.isArray(topics) || !topics.every((t) => typeof t === 'string')) problems.push('topics is not a list of texts');
  if (problems.length) return { reject: problems.join('; ') };
  const fields: ContactFields = {
    cvr: cvr!,
    system: system!,
    organisation: str(value.organisation) ?? '',
    consultant: str(value.consultant),
    channel: channel!,
    date: date!,
    topics: (topics as string[]).map((t) => t.trim()),
    outcome: str(value.outcome),
    followUpOn: followUp,
  };
  // The same rules as contactRecord, with the same field names.
  const rules = contactProblems(fields, day, []);
  if (rules.length) return { reject: rules.map((e) => `${e.field.join('.')}: ${e.message}`).join('; ') };
  const row = {
    cvr: fields.cvr,
    system: fields.system,
    organisation: fields.organisation,
    consultant: fields.consultant ?? null,
    channel: fields.channel,
    date: fields.date,
    topics: fields.topics,
    outcome: fields.outcome ?? null,
    follow_up_on: fields.followUpOn ?? null,
  };
  return {
    row: { request_key: `${KEY_PREFIX}${key}`, input_hash: createHash('sha256').update(JSON.stringify(row)).digest('hex'), ...row },
  };
}

export const contactsSource: IngestSource<ContactFeedRow> = {
  name: 'contacts',
  sections: ['CONTACTS'],
  connector: 'coordination',
  summary: 'contacts with companies from other systems into the shared contact log, NDJSON or JSON array',
  format: `Contacts with companies as the systems that made them export them (a jobcentre's or an education
provider's own registration), one JSON object per line (NDJSON), a top-level array, or {"contacts": [ … ]}.
The fields are those of the contactRecord mutation's input: idempotencyKey (required; the record's id in
the sending system, at most 200 characters), cvr (required, valid CVR), system (JOBCENTRE, ERHVERVSHUS or
VEU; also jobcenter, erhvervshus, væksthus), organisation (required, at most 200 characters), consultant,
channel (VISIT, MEETING, PHONE, EMAIL, EVENT, OTHER; also besøg, møde, telefon, e-mail, arrangement, andet),
date (yyyy-mm-dd, not after today), topics (a list, or one comma-separated text; at most 10 of at most 60
characters), outcome (at most 2000 characters), followUpOn (yyyy-mm-dd, not before date).
A record sent again unchanged changes nothing; a changed record adds a corrected version of its contact
(history is kept), unless the contact was withdrawn in the hub (counted as keptWithdrawn). A contact on a
CVR the register does not know is kept and counted as companyNotInRegister; it shows on the company once
the register has it. Keys naming people (contact
person, CPR, e-mail, phone, name) are dropped on read. No personal data about citizens belongs in outcome.`,
  batchSize: 2000,
  read: (input, file) => jsonRecords(input, file, SHAPE),
  validate: (value) => validateContact(value),
  key: (row) => row.request_key,
  /**
   * One statement per batch: new records become version 1 of a new contact, changed ones a new
   * version of theirs, repeats nothing. The key table remembers each record's contact and last hash.
   */
  async upsert(tx, rows, run) {
    const r = await sql<{ inserted: number; updated: number; withdrawn: number; unknown: number; touched: string[] | null }>`
      WITH x AS (
        SELECT * FROM json_to_recordset(${JSON.stringify(rows)}::json) AS x(request_key text, input_hash text, cvr text, system text,
          organisation text, consultant text, channel text, date date, topics text[], outcome text, follow_up_on date)
      ),
      plan AS (
        SELECT x.*, coalesce(w.contact_id, gen_random_uuid()) AS contact_id, coalesce(cur.version + 1, 1) AS version, cur.cvr AS old_cvr,
          CASE WHEN w.contact_id IS NULL THEN 'new' WHEN w.input_hash = x.input_hash THEN 'same'
               -- Withdrawn in the hub as recorded in error: a feed does not bring it back (as contactCorrect would not).
               WHEN cur.status = 'WITHDRAWN' THEN 'withdrawn' ELSE 'changed' END AS action
        FROM x
        LEFT JOIN coordination.write_request w ON w.caller = '' AND w.idempotency_key = x.request_key
        LEFT JOIN LATERAL (
          SELECT v.version, v.cvr, v.status FROM coordination.contact_version v WHERE v.contact_id = w.contact_id ORDER BY v.version DESC LIMIT 1
        ) cur ON true
      ),
      versions AS (
        INSERT INTO coordination.contact_version (contact_id, version, cvr, system, organisation, consultant, channel, date, topics, outcome,
          follow_up_on, status, reason, recorded_by)
        SELECT contact_id, version, cvr, system, organisation, consultant, channel, date, topics, outcome, follow_up_on,
          CASE WHEN action = 'new' THEN 'RECORDED' ELSE 'CORRECTED' END, NULL, ${`ingest run ${run.id}`}
        FROM plan WHERE action IN ('new', 'changed')
        RETURNING contact_id
      ),
      requests AS (
        INSERT INTO coordination.write_request (idempotency_key, operation, input_hash, contact_id, version)
        SELECT request_key, 'record', input_hash, contact_id, version FROM plan WHERE action IN ('new', 'changed')
        ON CONFLICT (caller, idempotency_key) DO UPDATE SET input_hash = excluded.input_hash, version = excluded.version
        RETURNING idempotency_key
      )
      SELECT count(*) FILTER (WHERE action = 'new')::int AS inserted,
        count(*) FILTER (WHERE action = 'changed')::int AS updated,
        count(*) FILTER (WHERE action = 'withdrawn')::int AS withdrawn,
        count(*) FILTER (WHERE action IN ('new', 'changed') AND NOT EXISTS (SELECT 1 FROM registry.company c WHERE c.cvr = plan.cvr))::int AS unknown,
        (SELECT array_agg(DISTINCT c) FROM plan, unnest(ARRAY[plan.cvr, plan.old_cvr]) c WHERE plan.action IN ('new', 'changed') AND c IS NOT NULL) AS touched
      FROM plan`.execute(tx);
    const c = r.rows[0]!;
    if (c.unknown) run.notes.companyNotInRegister = (run.notes.companyNotInRegister ?? 0) + c.unknown;
    if (c.withdrawn) run.notes.keptWithdrawn = (run.notes.keptWithdrawn ?? 0) + c.withdrawn;
    return { inserted: c.inserted, updated: c.updated, unchanged: rows.length - c.inserted - c.updated, touched: c.touched ?? [] };
  },
};
