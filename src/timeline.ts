import type { RawBuilder } from 'kysely';
import type { Context } from './graphql/context.js';

/**
 * The contract between a connector and the company timeline (the insights connector's
 * contact_event table). A connector whose records are contacts with a company declares them here;
 * insights composes every declaration into one statement and never imports the connector.
 */

/** The timeline's wording settings (thresholds.json `timeline`): organisations' names, channel patterns, topics. */
export interface TimelineSettings {
  organisations: Record<string, string>;
  meetingChannels: Partial<Record<string, string>>;
  referralTargets: Record<string, string>;
  topics: Record<string, string[]>;
}

/** What a contribution's SELECT may use. */
export interface TimelineQuery {
  /** Condition on the scope row `s` (insights_scope): which scope companies this derivation rebuilds. */
  who: RawBuilder<unknown>;
  settings: TimelineSettings;
  /** Municipality code → name and labour-market area as one JSON parameter (the code lists are files, not tables). */
  places: string;
  /** SQL: whether the text `name` names an organisation another connector knows for `system` (see `Recognises`). */
  recognised(system: string, name: RawBuilder<unknown>): RawBuilder<unknown>;
}

/** One kind of timeline entry, from one connector's table. */
export interface TimelineContribution {
  /** The entry's source (contact_event.source, unique across connectors), e.g. "crm-meetings". */
  source: string;
  /** Ingest sources (or "contact-log") whose changes rebuild these entries for the companies they name. */
  rebuiltBy: string[];
  /** Entries named after the company's municipality ("Jobcenter Herning"): a move of the company renames them. */
  namedByMunicipality?: boolean;
  /**
   * A SELECT of the entries of the scope companies (joined as `insights_scope s`) that `q.who` admits,
   * yielding, in this order: cvr, date, system, kind, source, source_key, organisation, consultant,
   * channel, topics, summary, follow_up_on, referred_to.
   */
  select(q: TimelineQuery): RawBuilder<unknown>;
  /**
   * Entries that name organisations another connector knows (see `Recognises`): when a run changes
   * those organisations, the entries of the companies returned here are rebuilt.
   */
  naming?: { system: string; companies(changedByRun: (name: RawBuilder<unknown>) => RawBuilder<unknown>): RawBuilder<unknown> };
  /** The GraphQL type (a member of ContactSourceRecord) of the record an entry is made from, and how to load it. */
  record?: { type: string; load(ctx: Context, key: string): Promise<object | null | undefined> };
}

/**
 * Organisations a connector knows by name, for other connectors' entries that only name them
 * (a CRM referral "to Tradium" is a referral to education). The run that changes them re-derives
 * the entries that may name them.
 */
export interface Recognises {
  system: string;
  /** SQL: whether `name` is one of them; with a run id, one the run inserted or changed. */
  matches(name: RawBuilder<unknown>, runId?: number): RawBuilder<unknown>;
  /** The ingest source that changes them. */
  changedBy: string;
}

/** A source of the derived situation, for provenance (`Situation.sources`). */
export interface ProvenanceSource {
  name: string;
  /**
   * SQL for when it last changed, if not its last successful ingest run (the hub's own contact log): a
   * scalar subquery, so every source's time comes in the one statement that reads a company's facts.
   */
  lastChanged?: RawBuilder<unknown>;
}
