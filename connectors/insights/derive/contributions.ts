import { sql, type RawBuilder } from 'kysely';
import type { CompanyChange } from '../../../src/changes.js';
import { activeConnectors } from '../../../src/connector.js';
import type { ProvenanceSource, TimelineContribution } from '../../../src/timeline.js';

/**
 * What the other connectors declare for the insights: their timeline entries, the organisations
 * they know by name, the sources of the derived situation. Read from the app's connector list, so
 * insights imports no connector and a new connector's entries join by its declaration alone.
 */
export function timelineContributions(): TimelineContribution[] {
  return activeConnectors().flatMap((c) => c.timeline ?? []);
}

const recognisers = () => activeConnectors().flatMap((c) => c.recognises ?? []);

/** SQL: whether `name` names an organisation some connector knows for `system` (false when none does). */
export function recognised(system: string, name: RawBuilder<unknown>, runId?: number): RawBuilder<unknown> {
  const parts = recognisers()
    .filter((r) => r.system === system)
    .map((r) => r.matches(name, runId));
  return parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`false`;
}

/** The contributions a change rebuilds for the companies it names, and for companies it affects without naming them. */
export function timelinePlan(change: CompanyChange): { events: string[]; related: RawBuilder<unknown>[] } {
  const all = timelineContributions();
  const events = all.filter((t) => t.rebuiltBy.includes(change.source)).map((t) => t.source);
  const related: RawBuilder<unknown>[] = [];
  for (const r of recognisers().filter((x) => x.changedBy === change.source)) {
    for (const t of all.filter((x) => x.naming?.system === r.system)) {
      if (!events.includes(t.source)) events.push(t.source);
      related.push(t.naming!.companies((name) => r.matches(name, change.runId ?? -1)));
    }
  }
  return { events, related };
}

/** Every source the derived facts are made from, in connector order, for provenance. */
export function provenanceSources(): ProvenanceSource[] {
  return activeConnectors().flatMap((c) => (c.provenance ?? []).map((p) => (typeof p === 'string' ? { name: p } : p)));
}
