import { sql } from 'kysely';
import { municipalityByCode, municipalityByName, allMunicipalities, normaliseMunicipalityCode, postcodeInfo } from '../../../src/codes/lists.js';
import type { Db } from '../../../src/db/database.js';
import { count, notADate, parseCvr, parseDate, text } from '../../../src/ingest/fields.js';
import { isObj, jsonRecords, type JsonShape } from '../../../src/ingest/json.js';
import type { IngestSource, RunContext, UpsertCounts, Validation } from '../../../src/ingest/types.js';
import { upsertRows } from '../../../src/ingest/upsert.js';
import { mapOccupation } from '../codes.js';
import type { VacancyTable } from '../tables.js';

export type VacancyRow = Omit<VacancyTable, 'run_id' | 'changed_at' | 'closed_at'> & { closed_at: null };

const COLUMNS: Record<keyof VacancyRow, string> = {
  id: 'text',
  cvr: 'text',
  hiring_org_cvr: 'text',
  hiring_org_name: 'text',
  title: 'text',
  disco: 'text',
  occupation_label: 'text',
  occupation_via: 'text',
  positions: 'integer',
  posted_at: 'date',
  apply_by: 'date',
  employment_type: 'text',
  work_hours: 'text',
  workplace_address: 'text',
  workplace_postcode: 'text',
  workplace_city: 'text',
  municipality_code: 'text',
  closed_at: 'date',
};

let byName: Map<string, string> | undefined;
function municipalityCode(v: unknown): string | null | undefined {
  const code = normaliseMunicipalityCode(v);
  if (code) return municipalityByCode(code) ? code : undefined;
  const name = text(v);
  if (!name) return null;
  byName ??= new Map(allMunicipalities().map((m) => [m.name.toLowerCase(), m.code]));
  return byName.get(name.toLowerCase().replace(/\s+kommune$/, '')) ?? municipalityByName(name)?.code ?? undefined;
}

export function validateJobAd(value: unknown): Validation<VacancyRow> {
  if (!isObj(value)) return { reject: 'not a JobPositionPosting object' };
  const id = text(value.ID);
  if (!id) return { reject: 'ID is missing' };
  const title = text(value.Title);
  if (!title) return { reject: 'Title is missing' };
  const postedText = text(value.PostingCreated);
  if (!postedText) return { reject: 'PostingCreated is missing' };
  const posted = parseDate(postedText);
  if (!posted) return { reject: notADate('PostingCreated', postedText) };
  const applyText = text(value.LastDateApplication);
  const applyBy = applyText ? parseDate(applyText) : null;
  if (applyText && !applyBy) return { reject: notADate('LastDateApplication', applyText) };

  const postcode = text(value.WorkPlacePostalCode);
  const place = postcode ? postcodeInfo(postcode) : undefined;
  if (postcode && !place) return { reject: `unknown postcode ${JSON.stringify(postcode)} (WorkPlacePostalCode)` };
  let municipality = municipalityCode(value.Municipality);
  if (municipality === undefined) return { reject: `unknown municipality ${JSON.stringify(value.Municipality)} (Municipality)` };
  municipality ??= place?.municipalityCode ?? null;

  let positions: number | null = null;
  if (value.NumberToFill != null && value.NumberToFill !== '') {
    const n = count(value.NumberToFill, 'NumberToFill');
    if ('problem' in n) return { reject: n.problem };
    positions = n.n;
  }

  // HiringOrgCVR 0 or invalid: the ad is kept, tied to no company.
  const given = value.HiringOrgCVR == null ? null : String(value.HiringOrgCVR).trim() || null;
  const parsed = given ? parseCvr(value.HiringOrgCVR, 'HiringOrgCVR') : null;
  const cvr = parsed && 'cvr' in parsed ? parsed.cvr : null;

  const label = text(value.Occupation);
  const occupation = mapOccupation({ code: text(value.OccupationCode), esco: text(value.ConceptUriDa), labels: [label] });
  return {
    row: {
      id,
      cvr,
      hiring_org_cvr: given,
      hiring_org_name: text(value.HiringOrgName),
      title,
      disco: occupation?.disco ?? null,
      occupation_label: label,
      occupation_via: occupation?.via ?? null,
      positions,
      posted_at: posted,
      apply_by: applyBy,
      employment_type: text(value.EmploymentType),
      work_hours: text(value.WorkHours),
      workplace_address: text(value.WorkPlaceAddress),
      workplace_postcode: postcode,
      workplace_city: text(value.WorkPlaceCity) ?? place?.city ?? null,
      municipality_code: municipality,
      closed_at: null,
    },
  };
}

function note(run: RunContext, key: string, n: number) {
  if (n) run.notes[key] = (run.notes[key] ?? 0) + n;
}

async function upsertAds(tx: Db, rows: VacancyRow[], run: RunContext): Promise<UpsertCounts> {
  note(run, 'withoutOccupation', rows.filter((r) => r.disco === null).length);
  note(run, 'unmatchedCompany', rows.filter((r) => r.cvr === null).length);
  return upsertRows(
    tx,
    {
      table: 'jobcentre.vacancy',
      key: ['id'],
      columns: COLUMNS,
      stamp: { run_id: sql`${run.id}::int`, changed_at: sql`now()` },
      touched: 'cvr',
      // A re-sent older version of an ad never overwrites a newer one.
      updateWhen: 'excluded.posted_at >= t.posted_at',
    },
    rows,
  );
}

const FORMAT = `Jobnet job ads (see connectors/jobcentre/FORMATS.md): one JSON document {"JobPositionPostings": [ … ]} (or a top-level array), or one posting
object per line (NDJSON). Fields read: ID (required; the key: a newer version of the same ID replaces the
old one, an older PostingCreated never overwrites a newer one), Title (required), HiringOrgName,
HiringOrgCVR (0 or an invalid CVR: the ad is kept as an unmatched vacancy), WorkPlaceAddress,
WorkPlacePostalCode (must be a known postcode), WorkPlaceCity, Municipality (name or 3-digit code;
must be known; taken from the postcode when absent), PostingCreated (required, yyyy-mm-dd or ISO
timestamp), LastDateApplication (same forms), EmploymentType, WorkHours, NumberToFill (whole number
≥ 0), Occupation (text label), OccupationCode (DISCO-08, 4 or 6 digits), ConceptUriDa (ESCO URI, via
data/codes/esco-disco.csv). The occupation is mapped from OccupationCode, else ConceptUriDa, else the
label (data/codes/occupation-labels.csv and DISCO titles); an unmapped ad loads with no occupation and
is counted as withoutOccupation; ads without a company count as unmatchedCompany. OPEN while
LastDateApplication is today or later, or without one while posted within 60 days. Keys naming people
(contact/kontakt, cpr, e-mail, phone/telefon, personnavn, or exactly navn/name/person) are dropped on read
and never stored, not even in rejects.`;

const SHAPE: JsonShape = {
  arrays: ['JobPositionPostings'],
  isRecord: (v) => isObj(v) && ('ID' in v || 'Title' in v),
  expected: 'Jobnet job ads: {"JobPositionPostings": [ … ]}, a top-level array, or one posting per line (NDJSON)',
};

const common = {
  connector: 'jobcentre',
  batchSize: 5000,
  tables: ['jobcentre.vacancy'],
  read: (input: import('node:stream').Readable, file: string) => jsonRecords(input, file, SHAPE),
  validate: validateJobAd,
  key: (row: VacancyRow) => row.id,
};

/** Incremental feed: adds and replaces ads, closes nothing. */
export const jobnetSource: IngestSource<VacancyRow> = {
  ...common,
  name: 'jobnet',
  summary: 'Jobnet job ads (JobPositionPostings[] or NDJSON), incremental: adds and replaces ads',
  format: FORMAT,
  upsert: upsertAds,
};

/** Full feed: as jobnet, and every stored open ad missing from the file is closed (never deleted). */
export const jobnetFullSource: IngestSource<VacancyRow> = {
  ...common,
  name: 'jobnet-full',
  summary: 'Jobnet job ads as a complete feed: as jobnet, and ads missing from the file are closed',
  format: `${FORMAT}\nAs a full feed: every stored ad not in the file and not yet closed gets closedAt = the run's day
(status CLOSED); it is never deleted, and reopens if a later feed carries it again.`,
  async upsert(tx, rows, run) {
    await sql`CREATE TEMP TABLE IF NOT EXISTS jobnet_seen (id text PRIMARY KEY) ON COMMIT DROP`.execute(tx);
    await sql`INSERT INTO jobnet_seen SELECT x FROM unnest(${rows.map((r) => r.id)}::text[]) AS x ON CONFLICT DO NOTHING`.execute(tx);
    return upsertAds(tx, rows, run);
  },
  async finish(tx, run) {
    await sql`CREATE TEMP TABLE IF NOT EXISTS jobnet_seen (id text PRIMARY KEY) ON COMMIT DROP`.execute(tx);
    // A full feed without a single valid ad is a broken export, not the end of all vacancies.
    const seen = await sql<{ any: boolean }>`SELECT EXISTS (SELECT 1 FROM jobnet_seen) AS any`.execute(tx);
    if (!seen.rows[0]!.any) {
      note(run, 'emptyFeedNothingClosed', 1);
      return {};
    }
    const r = await sql<{ id: string; cvr: string | null }>`
      UPDATE jobcentre.vacancy v SET closed_at = ${run.startedAt.toISOString().slice(0, 10)}::date, run_id = ${run.id}, changed_at = now()
      WHERE v.closed_at IS NULL AND NOT EXISTS (SELECT 1 FROM jobnet_seen s WHERE s.id = v.id)
      RETURNING v.id, v.cvr`.execute(tx);
    note(run, 'closed', r.rows.length);
    return { updated: r.rows.length, touched: [...new Set(r.rows.flatMap((x) => (x.cvr ? [x.cvr] : [])))] };
  },
};
