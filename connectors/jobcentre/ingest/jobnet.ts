import { sql } from 'kysely';
import { postcodeInfo } from '../../../src/codes/lists.js';
import type { Db } from '../../../src/db/database.js';
import { count, optionalDate, parseCvr, parseFlag, text } from '../../../src/ingest/fields.js';
import { isObj, jsonRecords, type JsonShape } from '../../../src/ingest/json.js';
import type { IngestSource, RunContext, UpsertCounts, Validation } from '../../../src/ingest/types.js';
import { mapOccupation, municipalityOf } from '../codes.js';
import type { VacancyTable } from '../tables.js';

export type VacancyRow = Omit<VacancyTable, 'run_id' | 'changed_at' | 'closed_at'> & { closed_at: null };

/** What a record said that is counted in the run's notes rather than stored. */
type Note = 'unknownPostcode' | 'unknownMunicipality' | 'placeUnresolved' | 'workplaceNotStatic' | 'detailDocuments';

/** A row of the vacancy table, and what its record said beyond the columns (for the run's notes). */
export interface AdRow extends VacancyRow {
  notes: Note[];
}

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
  workplace_not_static: 'boolean',
  external: 'boolean',
  closed_at: 'date',
};

type Dated = { date: string | null } | { problem: string };

/**
 * A date as Jobnet writes it ("2021-08-27T00:00:00"). Jobnet writes "1900-01-01T00:00:00" for a deadline
 * it shows as "Ikke oplyst" (not given) and .NET's "0001-01-01T00:00:00" for an empty date: both are no date.
 */
function jobnetDate(value: unknown, name: string): Dated {
  if (typeof value === 'string' && /^\s*(0\d{3}|1[0-8]\d\d|1900)-\d\d-\d\d/.test(value)) return { date: null };
  return optionalDate(value, name);
}

interface PlaceGiven {
  address: unknown;
  postcode: unknown;
  city: unknown;
  /** A municipality name or code as the record gives it. */
  municipality: unknown;
  notStatic: boolean | null;
}

type Place = Pick<VacancyRow, 'workplace_address' | 'workplace_postcode' | 'workplace_city' | 'municipality_code' | 'workplace_not_static'>;

/**
 * Where the work is. A postcode the list does not know, or none, never rejects an ad: the postcode is kept as
 * written and the municipality comes from the ad's own municipality (name or code), else from the postcode;
 * when neither resolves, the place stays unresolved (municipality null) and the run counts it.
 */
function placeOf(p: PlaceGiven, notes: Note[]): Place {
  const postcode = text(p.postcode);
  const known = postcode ? postcodeInfo(postcode) : undefined;
  if (postcode && !known) notes.push('unknownPostcode');
  const own = municipalityOf(p.municipality);
  if (own === undefined) notes.push('unknownMunicipality');
  const municipality = own ?? known?.municipalityCode ?? null;
  if (p.notStatic) notes.push('workplaceNotStatic');
  const city = text(p.city) ?? known?.city ?? null;
  const address = text(p.address);
  if (municipality === null && (postcode || city || address || text(p.municipality) || p.notStatic !== null)) notes.push('placeUnresolved');
  return {
    workplace_address: address,
    workplace_postcode: postcode,
    workplace_city: city,
    municipality_code: municipality,
    workplace_not_static: p.notStatic,
  };
}

/** The employer's CVR as given: a valid one ties the ad to a company; 0, none or an invalid one does not. */
function companyOf(value: unknown, name: string): Pick<VacancyRow, 'cvr' | 'hiring_org_cvr'> {
  const given = value == null || typeof value === 'object' ? null : String(value).trim() || null;
  const parsed = given ? parseCvr(value, name) : null;
  return { hiring_org_cvr: given, cvr: parsed && 'cvr' in parsed ? parsed.cvr : null };
}

function positionsOf(value: unknown, name: string): { n: number | null } | { problem: string } {
  if (value == null || value === '') return { n: null };
  return count(value, name);
}

function occupationOf(o: {
  label: unknown;
  code?: unknown;
  esco?: unknown;
}): Pick<VacancyRow, 'disco' | 'occupation_label' | 'occupation_via'> {
  const label = text(o.label);
  const occupation = mapOccupation({ code: text(o.code), esco: text(o.esco), labels: [label] });
  return { disco: occupation?.disco ?? null, occupation_label: label, occupation_via: occupation?.via ?? null };
}

/** One posting of a search response (`JobPositionPostings[]`), or one per line. */
function validatePosting(v: Record<string, any>): Validation<AdRow> {
  const id = text(v.ID);
  if (!id) return { reject: 'ID is missing' };
  const title = text(v.Title);
  if (!title) return { reject: 'Title is missing' };
  const posted = jobnetDate(v.PostingCreated, 'PostingCreated');
  if ('problem' in posted) return { reject: posted.problem };
  if (!posted.date) return { reject: 'PostingCreated is missing' };
  const applyBy = jobnetDate(v.LastDateApplication, 'LastDateApplication');
  if ('problem' in applyBy) return { reject: applyBy.problem };
  const positions = positionsOf(v.NumberToFill, 'NumberToFill');
  if ('problem' in positions) return { reject: positions.problem };
  const notStatic = parseFlag(v.WorkPlaceNotStatic) ?? null;
  const notes: Note[] = [];
  // WorkPlacePostalCode is the place of work; PostalCode is the postcode Jobnet files the ad under in its
  // search (for external ads the municipality's main postcode, for a workplace that moves the employer's).
  const place = placeOf(
    {
      address: v.WorkPlaceAddress,
      postcode: text(v.WorkPlacePostalCode) ?? (notStatic ? null : v.PostalCode),
      city: v.WorkPlaceCity,
      municipality: v.Municipality,
      notStatic,
    },
    notes,
  );
  const external = parseFlag(v.IsExternal);
  return {
    row: {
      id,
      ...companyOf(v.HiringOrgCVR, 'HiringOrgCVR'),
      hiring_org_name: text(v.HiringOrgName),
      title,
      ...occupationOf({ label: v.Occupation, code: v.OccupationCode, esco: v.ConceptUriDa }),
      positions: positions.n,
      posted_at: posted.date,
      apply_by: applyBy.date,
      employment_type: text(v.EmploymentType),
      work_hours: text(v.WorkHours),
      ...place,
      external: typeof external === 'boolean' ? external : /^E\d+$/.test(id),
      closed_at: null,
      notes,
    },
  };
}

const obj = (v: unknown): Record<string, any> => (isObj(v) ? v : {});

/**
 * An ad detail document (`JobDetailJson?id=…`): `{"JobPositionPosting": {…}, "WorkPlace": {…}, "EmploymentTypes": […], …}`.
 * It fills what search pages lack (NumberToFill, the deadline, the employment type) for an ad loaded from
 * a search page, or loads the ad by itself; what it lacks leaves the stored values alone (see mergeAds).
 */
function validateDetail(doc: Record<string, any>): Validation<AdRow> {
  const p = obj(doc.JobPositionPosting);
  const info = obj(p.JobPositionInformation);
  const id = text(p.Id);
  if (!id) return { reject: 'JobPositionPosting.Id is missing' };
  const title = text(info.PositionTitle);
  if (!title) return { reject: 'JobPositionPosting.JobPositionInformation.PositionTitle is missing' };
  const posted = jobnetDate(p.PublicationStartDate, 'JobPositionPosting.PublicationStartDate');
  if ('problem' in posted) return { reject: posted.problem };
  if (!posted.date) return { reject: 'JobPositionPosting.PublicationStartDate is missing' };
  const applyBy = jobnetDate(
    obj(p.ApplicationDetails).ApplicationDeadlineDate,
    'JobPositionPosting.ApplicationDetails.ApplicationDeadlineDate',
  );
  if ('problem' in applyBy) return { reject: applyBy.problem };
  const positions = positionsOf(info.NumberToFill, 'JobPositionPosting.JobPositionInformation.NumberToFill');
  if ('problem' in positions) return { reject: positions.problem };
  const org = obj(p.HiringOrg);
  // The place of work is JobPositionInformation.WorkLocation; WorkPlace.Address is the address of the
  // employer's unit that posted the ad (a temp agency's branch, say), which is often elsewhere.
  const where = obj(info.WorkLocation);
  const m = obj(where.Municipality);
  const notes: Note[] = ['detailDocuments'];
  const place = placeOf(
    {
      address: where.AddressLine,
      postcode: where.PostalCode,
      city: where.City,
      municipality: municipalityOf(m.Id) ? m.Id : m.Name,
      notStatic: null,
    },
    notes,
  );
  // EmploymentType is an id; the document carries its own list of names (EmploymentTypes: [{Id, Name}]).
  const types: unknown[] = Array.isArray(doc.EmploymentTypes) ? doc.EmploymentTypes : [];
  const employment =
    typeof info.EmploymentType === 'string'
      ? text(info.EmploymentType)
      : text(obj(types.find((t) => obj(t).Id === info.EmploymentType)).Name);
  return {
    row: {
      id,
      ...companyOf(org.OrganizationNumber ?? doc.OrganizationNumber, 'JobPositionPosting.HiringOrg.OrganizationNumber'),
      hiring_org_name: text(org.Name),
      title,
      ...occupationOf({ label: obj(info.Occupation).Name }),
      positions: positions.n,
      posted_at: posted.date,
      apply_by: applyBy.date,
      employment_type: employment,
      work_hours: text(obj(info.WeeklyWorkHours).TypeName),
      ...place,
      // Jobnet's own ads have numeric ids and a detail document; external ones ("E…") link elsewhere.
      external: /^E\d+$/.test(id),
      closed_at: null,
      notes,
    },
  };
}

export function validateJobAd(value: unknown): Validation<AdRow> {
  if (!isObj(value)) return { reject: 'not a JobPositionPosting object' };
  return isObj(value.JobPositionPosting) ? validateDetail(value) : validatePosting(value);
}

function note(run: RunContext, key: string, n: number) {
  if (n) run.notes[key] = (run.notes[key] ?? 0) + n;
}

// How a stored ad and an incoming record merge. A search page lacks NumberToFill; a detail document lacks
// IsExternal and WorkPlaceNotStatic and often the occupation label: what a record does not carry leaves the
// stored value alone, so loading a detail after a search page (or the other way round) fills, never wipes.
// Fields that belong together move together: the company (a valid CVR is never replaced by 0 or an invalid
// one), the occupation (label and the code mapped from it) and the place.
const carries = (cols: string[]) => `(${cols.map((c) => `excluded.${c} IS NOT NULL`).join(' OR ')})`;
const OCCUPATION = carries(['occupation_label', 'disco']);
const PLACE = `(${carries(['workplace_address', 'workplace_postcode', 'workplace_city', 'municipality_code'])} OR excluded.workplace_not_static IS TRUE)`;
const COMPANY = '(excluded.cvr IS NOT NULL OR (t.cvr IS NULL AND excluded.hiring_org_cvr IS NOT NULL))';
const pick = (when: string, c: string) => `CASE WHEN ${when} THEN excluded.${c} ELSE t.${c} END`;
const keep = (c: string) => `coalesce(excluded.${c}, t.${c})`;
const spelling = (row: string) => `regexp_replace(lower(${row}.workplace_address), '[\\s,.]+', ' ', 'g')`;

const MERGED: Record<keyof VacancyRow, string> = {
  id: 'excluded.id',
  cvr: pick(COMPANY, 'cvr'),
  hiring_org_cvr: pick(COMPANY, 'hiring_org_cvr'),
  hiring_org_name: keep('hiring_org_name'),
  title: 'excluded.title',
  disco: pick(OCCUPATION, 'disco'),
  occupation_label: pick(OCCUPATION, 'occupation_label'),
  occupation_via: pick(OCCUPATION, 'occupation_via'),
  positions: keep('positions'),
  posted_at: 'excluded.posted_at',
  apply_by: keep('apply_by'),
  employment_type: keep('employment_type'),
  work_hours: keep('work_hours'),
  // Search pages and detail documents write the same address with and without commas ("Allé 4 7",
  // "Allé 4, 7"): the stored spelling stays, so loading one after the other changes nothing.
  workplace_address: `CASE WHEN ${PLACE} AND ${spelling('excluded')} IS DISTINCT FROM ${spelling('t')} THEN excluded.workplace_address ELSE t.workplace_address END`,
  workplace_postcode: pick(PLACE, 'workplace_postcode'),
  workplace_city: pick(PLACE, 'workplace_city'),
  municipality_code: pick(PLACE, 'municipality_code'),
  workplace_not_static: keep('workplace_not_static'),
  external: keep('external'),
  // Seen in a feed again: open (a full feed closes it again when it is missing).
  closed_at: 'excluded.closed_at',
};

const cols = Object.keys(COLUMNS) as (keyof VacancyRow)[];
const data = cols.filter((c) => c !== 'id');
const RECORD = cols.map((c) => `${c} ${COLUMNS[c]}`).join(', ');
const SET = [...data.map((c) => `${c} = ${MERGED[c]}`), 'run_id = excluded.run_id', 'changed_at = excluded.changed_at'].join(', ');
const DIFFERS = `(${data.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${data.map((c) => MERGED[c]).join(', ')})`;

/**
 * One set-based statement for rows with distinct ids: inserted, merged into the stored ad when that
 * changes it (a record with an older posting date than the stored one changes nothing), or left alone.
 */
async function mergeWave(tx: Db, rows: VacancyRow[], runId: number): Promise<UpsertCounts> {
  const r = await sql<{ inserted: number; updated: number; touched: string[] | null }>`
    WITH x AS (
      SELECT * FROM json_to_recordset(${JSON.stringify(rows)}::json) AS x(${sql.raw(RECORD)})
    ), previous AS (
      -- The company an ad moves away from, so both companies' derived data follow.
      SELECT t.cvr FROM jobcentre.vacancy t JOIN x ON t.id = x.id WHERE t.cvr IS NOT NULL AND x.cvr IS NOT NULL AND t.cvr <> x.cvr
    ), up AS (
      INSERT INTO jobcentre.vacancy AS t (${sql.raw(cols.join(', '))}, run_id, changed_at)
      SELECT ${sql.raw(cols.join(', '))}, ${runId}::int, now() FROM x
      ON CONFLICT (id) DO UPDATE SET ${sql.raw(SET)}
      WHERE ${sql.raw(DIFFERS)} AND excluded.posted_at >= t.posted_at
      RETURNING (xmax = 0) AS was_inserted, t.cvr AS touched
    )
    SELECT count(*) FILTER (WHERE was_inserted)::int AS inserted,
           count(*) FILTER (WHERE NOT was_inserted)::int AS updated,
           (SELECT array_agg(DISTINCT v) FROM (SELECT touched FROM up UNION SELECT cvr FROM previous) AS u(v) WHERE v IS NOT NULL) AS touched
    FROM up`.execute(tx);
  const c = r.rows[0]!;
  return { inserted: c.inserted, updated: c.updated, unchanged: rows.length - c.inserted - c.updated, touched: c.touched ?? [] };
}

/**
 * Merges a batch into the stored ads. The same ad can come twice in one file (a search page and its detail
 * document, or an ad repeated on two pages): rows are merged in file order, one statement per occurrence
 * (the first of each ad, then the second…), so a batch takes as many statements as an ad occurs in it.
 */
async function upsertAds(tx: Db, batch: AdRow[], run: RunContext): Promise<UpsertCounts> {
  note(run, 'withoutOccupation', batch.filter((r) => r.disco === null && !r.notes.includes('detailDocuments')).length);
  note(run, 'unmatchedCompany', batch.filter((r) => r.cvr === null && !r.notes.includes('detailDocuments')).length);
  for (const r of batch) for (const n of r.notes) note(run, n, 1);
  const waves: VacancyRow[][] = [];
  const seen = new Map<string, number>();
  for (const { notes: _, ...row } of batch) {
    const k = seen.get(row.id) ?? 0;
    seen.set(row.id, k + 1);
    (waves[k] ??= []).push(row);
  }
  const total: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0, touched: [] };
  for (const wave of waves) {
    const c = await mergeWave(tx, wave, run.id);
    total.inserted += c.inserted;
    total.updated += c.updated;
    total.unchanged += c.unchanged;
    total.touched!.push(...(c.touched ?? []));
  }
  return total;
}

const FORMAT = `Jobnet job ads as Jobnet publishes them (connectors/jobcentre/FORMATS.md has every field): search
responses {"JobPositionPostings": [ … ], "TotalResultCount": …} (also a top-level array, or one posting per
line) and ad detail documents {"JobPositionPosting": { … }, "WorkPlace": { … }, "EmploymentTypes": [ … ], …}
(pretty-printed or on one line, or one per line); both kinds may be mixed in one file.
Search postings: ID (required; the key), Title (required), HiringOrgName, HiringOrgCVR (0, none or an
invalid CVR: the ad is kept, tied to no company), WorkPlaceAddress, WorkPlacePostalCode (else PostalCode,
unless WorkPlaceNotStatic), WorkPlaceCity, Municipality (a name as Jobnet writes it, e.g. København or
Høje-Taastrup, or a 3-digit code), WorkPlaceNotStatic, IsExternal, PostingCreated (required),
LastDateApplication, EmploymentType, WorkHours, Occupation (a label), and where given NumberToFill,
OccupationCode (DISCO-08) and ConceptUriDa (ESCO URI).
Detail documents, in JobPositionPosting: Id (the key), HiringOrg.OrganizationNumber (the CVR) and
HiringOrg.Name, PublicationStartDate (required), ApplicationDetails.ApplicationDeadlineDate, and in its
JobPositionInformation: PositionTitle (required), NumberToFill, WorkLocation (AddressLine, PostalCode, City,
Municipality.Id / .Name), EmploymentType (an id the document's EmploymentTypes names), WeeklyWorkHours.TypeName,
Occupation.Name (a label).
Dates as Jobnet writes them (2021-08-27T00:00:00) or yyyy-mm-dd; 1900-01-01 ("Ikke oplyst") and 0001-01-01
mean no date. An unknown or missing postcode never rejects an ad: the municipality is the ad's own, else the
postcode's; with neither the ad loads with its place unresolved (counted as placeUnresolved, beside
unknownPostcode, unknownMunicipality and workplaceNotStatic).
A record merges into the stored ad: what it does not carry is kept (a detail document fills NumberToFill for
an ad from a search page), a valid CVR is never replaced by 0 or an invalid one, and a record with an older
posting date than the stored one changes nothing. The occupation comes from OccupationCode, else ConceptUriDa
through data/codes/esco-disco.csv, else the label through data/codes/occupation-labels.csv and the DISCO
titles; an unmapped ad loads without occupation (withoutOccupation; see indgang codes unmapped). OPEN while
LastDateApplication is today or later, or without one while posted within 60 days. Contact persons, e-mail
addresses, phone numbers and the ads' free text (Presentation, Purpose, …) are dropped on read and never
stored, not even in rejects.`;

const SHAPE: JsonShape = {
  arrays: ['JobPositionPostings'],
  // A search posting, or a detail document (which wraps its posting in JobPositionPosting).
  isRecord: (v) => isObj(v) && ('ID' in v || 'Title' in v || isObj(v.JobPositionPosting)),
  expected:
    'Jobnet job ads: a search response {"JobPositionPostings": [ … ]}, a top-level array, ad detail documents {"JobPositionPosting": { … }}, or one posting or detail document per line (NDJSON)',
};

// Free text in ads names people and their e-mail addresses and phone numbers ("contact Jens Hansen on …"):
// read past, never stored, not even with a reject. Contact persons (JppContacts, ContactPerson…) go
// everywhere (src/ingest/privacy.ts); their name parts are listed here in case they appear elsewhere.
const FREE_TEXT =
  /^(Presentation|Purpose|FormattedPurpose|MetaOgTextForSharing|DescriptionForSharing|Description|HiringOrgDescription|OrganizationDescription|WorkPlaceDescriptionText|RemarksToApplicant|ReferenceText|CompensationDescription|JobLogUrl|JobLogTemplateModel|FirstName|LastName|PersonName)$/;

const common = {
  connector: 'jobcentre',
  batchSize: 5000,
  tables: ['jobcentre.vacancy'],
  personKeys: FREE_TEXT,
  read: (input: import('node:stream').Readable, file: string) => jsonRecords(input, file, SHAPE),
  validate: validateJobAd,
};

/** Incremental feed: adds ads and merges records into stored ones, closes nothing. */
export const jobnetSource: IngestSource<AdRow> = {
  ...common,
  name: 'jobnet',
  sections: ['RECRUITMENT'],
  summary: 'Jobnet job ads: search responses (JobPositionPostings[]) and ad detail documents (JobPositionPosting), incremental',
  format: FORMAT,
  upsert: upsertAds,
};

/** Full feed: as jobnet, and every stored open ad missing from the file is closed (never deleted). */
export const jobnetFullSource: IngestSource<AdRow> = {
  ...common,
  name: 'jobnet-full',
  sections: ['RECRUITMENT'],
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
