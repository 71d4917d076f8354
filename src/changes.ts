import type { ChangeSection } from './generated/graphql.js';
import type { Db } from './db/database.js';

/** What changed in one transaction: the companies whose source data changed, and which source changed it. */
export interface CompanyChange {
  /** CVRs whose rows in `source` were inserted or changed; may be empty (a balance feed names no company). */
  cvrs: string[];
  /** Ingest source name (e.g. "jobnet") or "contact-log" for the hub's own contact writes. */
  source: string;
  /** The ingest run, when the change is one; its rows carry this run id. */
  runId?: number;
  /** The parts of the companies it changed, as the change feed names them (the source's `sections`). */
  sections?: readonly ChangeSection[];
}

export type ChangeHook = (tx: Db, change: CompanyChange) => Promise<unknown>;

const hooks: ChangeHook[] = [];

/**
 * Registers a step that must run inside every transaction that changes company data, before it
 * commits (the insights connector's derivation). Wired once in src/connectors.ts.
 */
export function onCompaniesChanged(hook: ChangeHook): void {
  if (!hooks.includes(hook)) hooks.push(hook);
}

export async function companiesChanged(tx: Db, change: CompanyChange): Promise<void> {
  for (const hook of hooks) await hook(tx, change);
}
