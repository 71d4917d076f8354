import { sql } from 'kysely';
import type { CompanyChange } from '../../../src/changes.js';
import type { Db } from '../../../src/db/database.js';
import { analyze, bulkWorkMemory, deferIndexesIfEmpty, restoreIndexes } from '../../../src/ingest/bulk.js';
import { activeSource } from '../../../src/connector.js';
import { today } from '../../../src/today.js';
import { deriveContext, type DeriveContext } from './context.js';
import { timelineContributions, timelinePlan } from './contributions.js';
import { deriveEvents } from './events.js';
import { finalizeProfiles } from './finalize.js';
import { inputsOf } from './inputs.js';
import { deriveNeeds, needsInputs } from './needs.js';
import { deriveFacts, deriveHardToFill, lockProfiles } from './profile.js';
import { createScope, createScopeOf, type Scope } from './scope.js';
import { deriveSignals, SIGNALS } from './signals.js';

// The companies a run affects without naming them, declared by the steps and signals that read its tables.
const INPUTS = [...needsInputs, ...SIGNALS.flatMap((s) => s.inputs ?? [])];

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
  const c = { ...deriveContext(day), sections: [...(change.sections ?? [])] };
  const plan = timelinePlan(change);
  const related = [...plan.related, ...inputsOf(INPUTS, activeSource(change.source)?.tables ?? [], c, change)];
  const large = change.cvrs.length >= largeScope();
  if (large) {
    await bulkWorkMemory(tx);
    // Before the scope is made, so no profile can go between its count of companies without one and the end.
    await lockProfileTable(tx);
  }
  const scope = await createScope(tx, change.cvrs, related.length ? sql.join(related, sql` UNION ALL `) : null, { large });
  if (scope.size > 0) await derive(tx, c, plan.events, scope, { freshSettled: large });
  return { companies: scope.size, seconds: (Date.now() - started) / 1000 };
}

/** `indgang insights rebuild`: every registry company from every source, in one transaction. */
export async function rebuildInsights(db: Db, day = today()): Promise<DeriveSummary> {
  const started = Date.now();
  const c = deriveContext(day);
  const size = await db.transaction().execute(async (tx) => {
    // Not a request: at national scale it runs past the pool's per-request statement_timeout, which must not cancel it.
    await sql`SELECT set_config('statement_timeout', '0', true)`.execute(tx);
    // One rebuild or refresh at a time. A rebuild is a large derivation: it locks the profile table, so writes wait for it.
    await sql`SELECT pg_advisory_xact_lock(hashtext('indgang.insights.refresh'))`.execute(tx);
    await bulkWorkMemory(tx);
    // Rows of companies no longer in the register go; every other row is derived again below.
    for (const table of ['insights.contact_event', 'insights.competence_need', 'insights.signal', 'insights.company_profile']) {
      await sql`DELETE FROM ${sql.table(table)} x WHERE NOT EXISTS (SELECT 1 FROM registry.company r WHERE r.cvr = x.cvr)`.execute(tx);
    }
    const scope = await createScopeOf(tx, sql`SELECT cvr FROM registry.company`);
    if (scope.size > 0)
      await derive(
        tx,
        c,
        timelineContributions().map((t) => t.source),
        scope,
        { freshSettled: true },
      );
    await sql`UPDATE insights.state SET rebuilt_at = now(), refreshed_on = ${c.today}::date`.execute(tx);
    return scope.size;
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
    await sql`SELECT set_config('statement_timeout', '0', true)`.execute(tx);
    const lock = await sql<{ got: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext('indgang.insights.refresh')) AS got`.execute(tx);
    if (!lock.rows[0]!.got) return null;
    const scope = await createScopeOf(tx, sql`SELECT cvr FROM insights.company_profile WHERE stale_on <= ${c.today}::date`);
    if (scope.size > 0) await derive(tx, c, [], scope, { freshSettled: true });
    await sql`UPDATE insights.state SET refreshed_on = ${c.today}::date`.execute(tx);
    return scope.size;
  });
  return size === null ? null : { companies: size, seconds: (Date.now() - started) / 1000 };
}

/** Whether the derived tables have never been built while the register has companies (an older database). */
export async function needsRebuild(db: Db): Promise<boolean> {
  const r = await sql<{ needed: boolean }>`
    SELECT (SELECT rebuilt_at IS NULL FROM insights.state)
      AND EXISTS (SELECT 1 FROM registry.company c WHERE NOT EXISTS (SELECT 1 FROM insights.company_profile p WHERE p.cvr = c.cvr)) AS needed`.execute(
    db,
  );
  return r.rows[0]!.needed;
}

/**
 * From this many companies a derivation locks the profile table instead of its rows (a full load, a rebuild),
 * and the companies a change names go to the database as a table rather than an array.
 */
const largeScope = () => Number(process.env.INDGANG_DERIVE_LARGE_SCOPE || 20_000);
const lockProfileTable = (tx: Db) => sql`LOCK TABLE insights.company_profile IN SHARE ROW EXCLUSIVE MODE`.execute(tx);
const DERIVED_TABLES = ['insights.company_profile', 'insights.contact_event', 'insights.competence_need', 'insights.signal'];

/**
 * `freshSettled`: no other transaction can have deleted a profile since the scope counted its companies without
 * one: the profile table was locked first, or the scope was made under the rebuild and refresh lock (a rebuild's
 * deletions of companies the register lacks are the only ones).
 */
async function derive(
  tx: Db,
  c: DeriveContext,
  events: readonly string[],
  scope: Scope,
  { freshSettled }: { freshSettled: boolean },
): Promise<void> {
  let deferred: string[] = [];
  const large = scope.size >= largeScope();
  if (large) {
    // A scope made large by the companies a change affects without naming them (a balance, the date) too.
    await bulkWorkMemory(tx);
    // Other derivations wait for this one as a whole (readers do not); new profiles are then written once,
    // at the end, and into an empty table the indexes are built once afterwards, as the ingest pipeline does.
    await lockProfileTable(tx);
    deferred = await deferIndexesIfEmpty(tx, DERIVED_TABLES);
  } else {
    await lockProfiles(tx, c);
  }
  await deriveEvents(tx, c, events);
  await deriveFacts(tx, c);
  await deriveNeeds(tx, c);
  await deriveHardToFill(tx, c);
  await deriveSignals(tx, c);
  // A small derivation made every missing profile when it locked them; a large one makes them at the end, unless its
  // scope, counted while no profile could go, had no company without one.
  await finalizeProfiles(tx, c, { newCompanies: large && (scope.fresh > 0 || !freshSettled) });
  await restoreIndexes(tx, deferred);
  // After a derivation of many companies (a load, a rebuild) the next ones plan on fresh statistics.
  if (scope.size >= 1000) await analyze(tx, [...DERIVED_TABLES, 'insights.company_change']);
}
