import { sql, type Kysely } from 'kysely';

// Company-matching columns every CRM table carries: the CRM's own identity of the company
// (name, municipality, CVR as written) next to the CVR the hub resolved it to.
const matchColumns = `
      given_cvr text,
      company_name text,
      municipality_code text,
      cvr text CHECK (cvr ~ '^[0-9]{8}$'),
      matched_by text CHECK (matched_by IN ('CVR', 'NAME_AND_MUNICIPALITY')),
      name_candidates integer,
      problem text,
      run_id integer NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((cvr IS NULL) = (matched_by IS NULL))`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS crm`.execute(db);
  // The comparison form of a company name for matching CRM rows without a CVR: case, punctuation
  // spacing and the legal-form suffix (ApS, A/S, I/S …) differ between the CRM and CVR.
  await sql`
    CREATE FUNCTION crm.name_key(name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT btrim(regexp_replace(
        regexp_replace(lower(name), '[[:space:]]+(aps|a/s|i/s|k/s|p/s|ivs|iværksætterselskab|anpartsselskab|aktieselskab|a\\.m\\.b\\.a\\.?|amba|f\\.m\\.b\\.a\\.?|fmba|s\\.m\\.b\\.a\\.?|smba)[.]?[[:space:]]*$', ''),
        '[[:space:]]+', ' ', 'g'))
    $$`.execute(db);
  // A LIKE pattern that every registry name with this key matches (words in order, any spacing,
  // any suffix), so the trigram index on registry.company.name narrows the candidates first.
  await sql`
    CREATE FUNCTION crm.name_pattern(name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT replace(replace(replace(replace(crm.name_key(name), '\\', '\\\\'), '%', '\\%'), '_', '\\_'), ' ', '%') || '%'
    $$`.execute(db);
  await sql
    .raw(
      `
    CREATE TABLE crm.account (
      source_key text PRIMARY KEY,
      advisor_name text NOT NULL,
      office text,
      segment text,
      since date,${matchColumns}
    )`,
    )
    .execute(db);
  await sql
    .raw(
      `
    CREATE TABLE crm.meeting (
      source_key text PRIMARY KEY,
      meeting_date date NOT NULL,
      advisor_name text NOT NULL,
      topics text[] NOT NULL DEFAULT '{}',
      title text,${matchColumns}
    )`,
    )
    .execute(db);
  await sql
    .raw(
      `
    CREATE TABLE crm.programme (
      source_key text PRIMARY KEY,
      kind text NOT NULL,
      kind_text text NOT NULL,
      status text NOT NULL,
      started_on date NOT NULL,
      ended_on date,
      competence_plan_agreed boolean,
      advisor_name text,${matchColumns}
    )`,
    )
    .execute(db);
  await sql
    .raw(
      `
    CREATE TABLE crm.referral (
      source_key text PRIMARY KEY,
      to_actor text NOT NULL,
      referred_on date NOT NULL,
      reason text,
      status text NOT NULL,${matchColumns}
    )`,
    )
    .execute(db);
  // A company's section reads each table by CVR; the meeting list pages newest first.
  await sql`CREATE INDEX account_cvr ON crm.account (cvr, since DESC)`.execute(db);
  await sql`CREATE INDEX meeting_cvr_date ON crm.meeting (cvr, meeting_date DESC, source_key DESC)`.execute(db);
  await sql`CREATE INDEX programme_cvr ON crm.programme (cvr, started_on)`.execute(db);
  await sql`CREATE INDEX referral_cvr ON crm.referral (cvr, referred_on)`.execute(db);
  // Unmatched rows are listed for follow-up; partial indexes keep that list cheap.
  for (const t of ['account', 'meeting', 'programme', 'referral']) {
    await sql.raw(`CREATE INDEX ${t}_unmatched ON crm.${t} (source_key) WHERE cvr IS NULL`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP SCHEMA crm CASCADE`.execute(db);
}
