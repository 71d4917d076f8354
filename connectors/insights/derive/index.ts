import { sql, type RawBuilder } from 'kysely';
import type { CompanyChange } from '../../../src/changes.js';
import type { Db } from '../../../src/db/database.js';
import { today } from '../../../src/today.js';
import { openVacancy } from '../../jobcentre/store.js';
import { deriveContext, type DeriveContext } from './context.js';
import { deriveEvents, EVENT_SOURCES, type EventSource } from './events.js';
import { finalizeProfiles } from './finalize.js';
import { deriveNeeds } from './needs.js';
import { deriveProfileBase, deriveProfileFacts } from './profile.js';
import { createScope, createScopeOf } from './scope.js';
import { deriveSignals } from './signals.js';

/** What a change from one source re-derives: timeline sources rebuilt for the scope, and companies it affects without naming them. */
interface Plan {
  events: EventSource[];
  related: ((c: DeriveContext, runId: number | undefined) => RawBuilder<unknown>) | null;
}

// Companies with a recent layoff notice: their evidence names nearby companies recruiting in related occupations.
const layoffCompanies = (c: DeriveContext) =>
  sql`SELECT cvr FROM jobcentre.layoff_notice WHERE notice_date > ${c.monthsAgo(c.cfg.signals.LAYOFF_NOTICE.months)}::date`;

// Companies with open ads in occupations whose rows this run changed in `table` (balance or supply).
const recruitingIn = (table: 'balance' | 'supply') => (c: DeriveContext, runId: number | undefined) => sql`
  SELECT v.cvr FROM jobcentre.vacancy v
  WHERE v.cvr IS NOT NULL AND ${openVacancy(c.today, 'v')}
    AND (v.disco IN (SELECT disco FROM ${sql.table(`jobcentre.${table}`)} WHERE run_id = ${runId ?? -1})
      OR left(v.disco, 4) IN (SELECT disco FROM ${sql.table(`jobcentre.${table}`)} WHERE run_id = ${runId ?? -1}))
  UNION ${layoffCompanies(c)}`;

const PLANS: Record<string, Plan> = {
  'contact-log': { events: ['contact-log'], related: null },
  contacts: { events: ['contact-log'], related: null },
  'crm-meetings': { events: ['crm-meetings'], related: null },
  'crm-referrals': { events: ['crm-referrals'], related: null },
  joborders: { events: ['joborders'], related: null },
  measures: { events: ['measures'], related: null },
  'veu-enrolments': { events: ['veu-enrolments'], related: null },
  // Referrals to education providers are recognised by the providers' names.
  'veu-providers': { events: ['crm-referrals'], related: () => sql`SELECT DISTINCT cvr FROM crm.referral WHERE cvr IS NOT NULL` },
  balance: { events: [], related: recruitingIn('balance') },
  supply: { events: [], related: recruitingIn('supply') },
  cvr: { events: [], related: layoffCompanies },
  jobnet: { events: [], related: layoffCompanies },
  'jobnet-full': { events: [], related: layoffCompanies },
  'amu-courses': { events: [], related: layoffCompanies },
};

export interface DeriveSummary {
  companies: number;
  seconds: number;
}

/**
 * The change hook: derives the insights of exactly the companies a transaction changed (and those
 * its source affects without naming them), inside that transaction. A fixed number of statements
 * whatever the number of companies.
 */
export async function deriveChange(tx: Db, change: CompanyChange, day = today()): Promise<DeriveSummary> {
  const started = Date.now();
  const c = deriveContext(day);
  const plan = PLANS[change.source] ?? { events: [], related: null };
  const size = await createScope(tx, change.cvrs, plan.related?.(c, change.runId) ?? null);
  if (size > 0) await derive(tx, c, plan.events);
  return { companies: size, seconds: (Date.now() - started) / 1000 };
}

/** `indgang insights rebuild`: every registry company from every source, in one transaction. */
export async function rebuildInsights(db: Db, day = today()): Promise<DeriveSummary> {
  const started = Date.now();
  const c = deriveContext(day);
  const size = await db.transaction().execute(async (tx) => {
    // Entries of companies no longer in the register, or of records gone from their source, go with the rebuild.
    await sql`TRUNCATE insights.contact_event, insights.competence_need, insights.signal`.execute(tx);
    await sql`DELETE FROM insights.company_profile p WHERE NOT EXISTS (SELECT 1 FROM registry.company r WHERE r.cvr = p.cvr)`.execute(tx);
    const n = await createScopeOf(tx, sql`SELECT cvr FROM registry.company`);
    if (n > 0) await derive(tx, c, [...EVENT_SOURCES]);
    await sql`UPDATE insights.state SET rebuilt_at = now(), refreshed_on = ${c.today}::date`.execute(tx);
    return n;
  });
  return { companies: size, seconds: (Date.now() - started) / 1000 };
}

/**
 * The daily step: derives again the companies whose facts changed with the date (stale_on). Several
 * servers may run it; a transaction-level advisory lock lets one of them do it.
 */
export async function refreshInsights(db: Db, day = today()): Promise<DeriveSummary | null> {
  const started = Date.now();
  const c = deriveContext(day);
  const size = await db.transaction().execute(async (tx) => {
    const lock = await sql<{ got: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext('indgang.insights.refresh')) AS got`.execute(tx);
    if (!lock.rows[0]!.got) return null;
    const n = await createScopeOf(tx, sql`SELECT cvr FROM insights.company_profile WHERE stale_on <= ${c.today}::date`);
    if (n > 0) await derive(tx, c, []);
    await sql`UPDATE insights.state SET refreshed_on = ${c.today}::date`.execute(tx);
    return n;
  });
  return size === null ? null : { companies: size, seconds: (Date.now() - started) / 1000 };
}

/** Whether the derived tables have never been built while the register has companies (an older database). */
export async function needsRebuild(db: Db): Promise<boolean> {
  const r = await sql<{ needed: boolean }>`
    SELECT (SELECT rebuilt_at IS NULL FROM insights.state)
      AND EXISTS (SELECT 1 FROM registry.company c WHERE NOT EXISTS (SELECT 1 FROM insights.company_profile p WHERE p.cvr = c.cvr)) AS needed`.execute(db);
  return r.rows[0]!.needed;
}

async function derive(tx: Db, c: DeriveContext, events: readonly EventSource[]): Promise<void> {
  await deriveProfileBase(tx, c);
  await deriveEvents(tx, c, events);
  await deriveNeeds(tx, c);
  await deriveProfileFacts(tx, c);
  await deriveSignals(tx, c);
  await finalizeProfiles(tx, c);
}
