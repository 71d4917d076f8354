import { allMunicipalities, municipalityByCode, municipalityByName, normaliseMunicipalityCode } from '../../src/codes/lists.js';

export type MatchedBy = 'CVR' | 'NAME_AND_MUNICIPALITY';

export type ProgrammeKind = 'GROWTH' | 'GROWTH_PACKAGE' | 'EXPORT' | 'DIGITAL' | 'GREEN_TRANSITION' | 'START_UP' | 'COMPETENCE';
export type ProgrammeStatus = 'PLANNED' | 'ACTIVE' | 'COMPLETED' | 'CANCELLED';
export type ReferralStatus = 'SENT' | 'ACCEPTED' | 'COMPLETED' | 'DECLINED';

/** Texts CRM exports use for each enum value (compared case-insensitively, ignoring spaces, hyphens and colons). */
const PROGRAMME_KINDS: Record<ProgrammeKind, string[]> = {
  GROWTH: ['growth', 'vækst', 'vækstforløb', 'væksthusforløb', 'vækstvejledning'],
  GROWTH_PACKAGE: ['growth package', 'vækstpakke', 'vækstpakken'],
  EXPORT: ['export', 'eksport', 'eksportforløb', 'eksportrådgivning'],
  DIGITAL: ['digital', 'digitalisering', 'digitaliseringsforløb', 'SMV:Digital', 'smv digital'],
  GREEN_TRANSITION: ['green transition', 'grøn omstilling', 'grøn', 'bæredygtighed'],
  START_UP: ['start-up', 'iværksætter', 'iværksætteri', 'opstart', 'opstartsforløb'],
  COMPETENCE: ['competence', 'kompetence', 'kompetenceudvikling', 'kompetenceforløb'],
};

const PROGRAMME_STATUSES: Record<ProgrammeStatus, string[]> = {
  PLANNED: ['planned', 'planlagt', 'aftalt', 'ikke startet'],
  ACTIVE: ['active', 'aktiv', 'i gang', 'igangværende', 'åben', 'startet'],
  COMPLETED: ['completed', 'afsluttet', 'gennemført', 'lukket', 'færdig'],
  CANCELLED: ['cancelled', 'canceled', 'annulleret', 'afbrudt', 'stoppet', 'opgivet'],
};

const REFERRAL_STATUSES: Record<ReferralStatus, string[]> = {
  SENT: ['sent', 'sendt', 'henvist', 'oprettet', 'afsendt'],
  ACCEPTED: ['accepted', 'modtaget', 'accepteret', 'i gang', 'igangværende'],
  COMPLETED: ['completed', 'afsluttet', 'gennemført', 'lukket'],
  DECLINED: ['declined', 'afvist', 'annulleret', 'afslået'],
};

const squash = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s:_-]+/g, '');

function lookup<T extends string>(table: Record<T, string[]>): (text: string) => T | null {
  const map = new Map<string, T>();
  for (const [value, texts] of Object.entries(table) as [T, string[]][]) for (const t of texts) map.set(squash(t), value);
  return (text) => map.get(squash(text)) ?? null;
}

export const programmeKind = lookup(PROGRAMME_KINDS);
export const programmeStatus = lookup(PROGRAMME_STATUSES);
export const referralStatus = lookup(REFERRAL_STATUSES);

/** The accepted texts, for format documentation and reject reasons. */
export const acceptedTexts = {
  programmeKind: PROGRAMME_KINDS,
  programmeStatus: PROGRAMME_STATUSES,
  referralStatus: REFERRAL_STATUSES,
};

let byName: Map<string, string> | undefined;
// "Århus" and "Aarhus" name the same municipality: compare with å written as aa.
const nameKey = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/å/g, 'aa')
    .replace(/\s+kommune$/, '')
    .replace(/^kommune\s+/, '');

/** A municipality written as its 3-digit code, its name, or "<name> Kommune": the code, or null. */
export function municipalityCode(text: string): string | null {
  const code = normaliseMunicipalityCode(text);
  if (code) return municipalityByCode(code) ? code : null;
  byName ??= new Map(allMunicipalities().map((m) => [nameKey(m.name), m.code]));
  return byName.get(nameKey(text)) ?? municipalityByName(text)?.code ?? null;
}

/** How a CRM row points at its company, before the registry is asked. */
export interface CompanyRef {
  given_cvr: string | null;
  company_name: string | null;
  municipality_code: string | null;
  /** The given CVR when it passes its check; else null and the row is matched by name. */
  cvr: string | null;
  problem: string | null;
}

/** The CRM-side identity of the company for building stable row keys: CVR, else name@municipality. */
export function companyKey(ref: CompanyRef): string {
  return ref.cvr ?? `${(ref.company_name ?? '').toLowerCase().replace(/\s+/g, ' ')}@${ref.municipality_code ?? ref.given_cvr ?? ''}`;
}

// Domain records as the resolvers see them.
export interface Match {
  matchedBy: MatchedBy;
}

/** An advisor as the graph shows one: with the company it is shown for, so reading the name is logged against it. */
export interface AdvisorRecord {
  name: string;
  office: string | null;
  cvr: string;
}

export interface AccountRecord extends Match {
  cvr: string;
  advisor: { name: string; office: string | null };
  segment: string | null;
  since: string | null;
}

/** A CRM row as an entity of the graph: `key` is the hub's source key (the resolvers make the global id from it). */
export interface Keyed {
  key: string;
}

export interface MeetingRecord extends Match, Keyed {
  cvr: string;
  date: string;
  advisor: { name: string; office: null };
  topics: string[];
  title: string | null;
}

export interface ProgrammeRecord extends Match, Keyed {
  cvr: string;
  kind: ProgrammeKind;
  kindText: string;
  status: ProgrammeStatus;
  startedOn: string;
  endedOn: string | null;
  competencePlanAgreed: boolean | null;
  advisor: { name: string; office: null } | null;
}

export interface ReferralRecord extends Match, Keyed {
  cvr: string;
  toActor: string;
  date: string;
  reason: string | null;
  status: ReferralStatus;
}

export type CrmRecordKind = 'ACCOUNT' | 'MEETING' | 'PROGRAMME' | 'REFERRAL';

/** A CRM row that is not tied to any company (kept, never dropped). */
export interface UnmatchedRecord {
  kind: CrmRecordKind;
  key: string;
  companyName: string | null;
  municipalityCode: string | null;
  givenCvr: string | null;
  date: string | null;
  problem: string | null;
  nameCandidates: number | null;
  runId: number;
}

/** Growth programmes that under the national rule call for a stand on a competence-development plan. */
export const PLAN_REQUIRED: ProgrammeKind[] = ['GROWTH', 'GROWTH_PACKAGE'];
