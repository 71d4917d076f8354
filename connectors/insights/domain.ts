import type { ContactChannel, ContactKind, ContactSystem, Severity, SignalKind } from '../../src/generated/graphql.js';
import type { CountedConnection } from '../../src/graphql/pagination.js';
import type { CompanyKey } from '../../src/graphql/keys.js';
import { signalOf } from './derive/signals.js';
import { plural, SYSTEM_NAMES } from './text.js';

export type { ContactKind, Severity, SignalKind };

export type CompanyPage = CountedConnection<CompanyKey>;

/** A company's derived facts (insights.company_profile). */
export interface ProfileRecord {
  cvr: string;
  name: string;
  municipalityCode: string | null;
  areaCode: string | null;
  openVacancies: number;
  openPositions: number;
  hardToFillVacancies: number;
  participantsLast12Months: number;
  lastEnrolmentOn: string | null;
  activeProgrammes: number;
  competencePlanMissing: boolean;
  lastContactOn: string | null;
  lastContactSystem: ContactSystem | null;
  signals: SignalKind[];
  changeSequence: string;
  changedAt: Date;
}

/** One entry of the merged contact timeline (insights.contact_event). */
export interface ContactEntryRecord {
  cvr: string;
  source: string;
  sourceKey: string;
  date: string;
  system: ContactSystem;
  kind: ContactKind;
  organisation: string | null;
  consultant: string | null;
  channel: ContactChannel | null;
  topics: string[];
  summary: string | null;
  followUpOn: string | null;
  referredTo: ContactSystem | null;
}

/** How evidence and ContactEntry keys name an entry: its source and the record's key there. */
export const entryKey = (e: Pick<ContactEntryRecord, 'source' | 'sourceKey'>) => `${e.source}|${e.sourceKey}`;

/** A reference to the record behind a signal, as the derivation stores it. */
export interface EvidenceRef {
  type: 'Vacancy' | 'GuidanceProgramme' | 'LayoffNotice' | 'Course' | 'Company' | 'ContactEntry';
  key: string;
}

export interface SignalRecord {
  cvr: string;
  kind: SignalKind;
  severity: Severity;
  since: string | null;
  facts: Record<string, unknown>;
  evidence: EvidenceRef[];
}

export interface NeedRecord {
  cvr: string;
  disco: string;
  areaCode: string | null;
  municipalityCode: string | null;
  vacancies: number;
  openPositions: number;
  balanceCategory: string | null;
  balancePeriod: string | null;
  unemployed: number | null;
  jobRotationPossible: boolean;
}

export type Proximity = 'SAME_MUNICIPALITY' | 'SAME_AREA';

/** A course for a need: the course number and its best nearby instance, if any. */
export interface SuggestionRecord {
  courseNumber: string;
  instanceId: string | null;
  proximity: Proximity | null;
  /** The course and instance rows (as the VEU tables hold them) the suggestion was chosen from, for the VEU loaders to prime (no second read). */
  courseRow: { number: string };
  instanceRow: { id: string } | null;
}

export interface FollowUpRecord {
  date: string;
  overdue: boolean;
  entry: ContactEntryRecord;
}

export interface OverlapRecord {
  cvr: string;
  systems: ContactSystem[];
  from: string;
  to: string;
  referred: boolean;
  /** The window asked for: every overlap of one answer shares it, so its contacts load in one statement. */
  window: { from: string; to: string };
}

const SEVERITY_RANK: Record<Severity, number> = { HIGH: 0, MEDIUM: 1, LOW: 2 };

/** Most severe first, then by kind, so a list reads the same every time. */
export function bySeverity(a: SignalRecord, b: SignalRecord): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.kind.localeCompare(b.kind);
}

/** The signal's message, written from the facts the derivation stored with it. */
export function signalMessage(s: SignalRecord): string {
  return signalOf(s.kind).message(s.facts as Record<string, any>);
}

/** The situation in one paragraph. */
export function situationSummary(p: ProfileRecord, signals: SignalRecord[]): string {
  const parts = [
    p.openVacancies === 0
      ? 'no open vacancies'
      : `${plural(p.openVacancies, 'open vacancy', 'open vacancies')}${p.hardToFillVacancies ? ` (${p.hardToFillVacancies} hard to fill)` : ''}`,
    p.participantsLast12Months === 0
      ? 'no course participants in the last 12 months'
      : `${plural(p.participantsLast12Months, 'course participant')} in the last 12 months`,
    p.activeProgrammes === 0 ? 'no active business-promotion programme' : plural(p.activeProgrammes, 'active business-promotion programme'),
    p.lastContactOn ? `last public contact ${p.lastContactOn} (${SYSTEM_NAMES[p.lastContactSystem!]})` : 'no recorded public contact',
  ];
  const text = `${p.name}: ${parts.join('; ')}.`;
  if (signals.length === 0) return `${text} No signals.`;
  return `${text} Signals: ${signals.map((s) => s.kind.toLowerCase().replace(/_/g, ' ')).join(', ')}.`;
}
