import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import type { SignalKind } from '../domain.js';
import type { DeriveContext } from './context.js';
import { growthWithoutCompetencePlan } from './signals/growth-without-competence-plan.js';
import { hardToFillVacancy } from './signals/hard-to-fill-vacancy.js';
import { layoffNotice } from './signals/layoff-notice.js';
import { noPublicContact } from './signals/no-public-contact.js';
import { signalsStatement, type Signal } from './signals/signal.js';
import { uncoordinatedContact } from './signals/uncoordinated-contact.js';

/** Every signal, one file each in signals/ (its rows, the subqueries they read, its message). A new signal is a file and a line here. */
export const SIGNALS: readonly Signal[] = [
  growthWithoutCompetencePlan,
  hardToFillVacancy,
  layoffNotice,
  uncoordinatedContact,
  noPublicContact,
];

const BY_KIND = new Map(SIGNALS.map((s) => [s.kind, s]));

/** The signal of a kind (every SignalKind has one; tests check it). */
export function signalOf(kind: SignalKind): Signal {
  const s = BY_KIND.get(kind);
  if (!s) throw new Error(`no signal ${kind}`);
  return s;
}

/**
 * The signals for the scope, in one statement (after removing the scope's old ones). Each row keeps the facts
 * its message is written from and its evidence: references to the records behind it, as {type, key} pairs the
 * resolvers load through the owning connector.
 */
export async function deriveSignals(tx: Db, c: DeriveContext): Promise<void> {
  await sql`DELETE FROM insights.signal g USING insights_scope s WHERE g.cvr = s.cvr`.execute(tx);
  await signalsStatement(c, SIGNALS).execute(tx);
}
