import type { BalanceCategory, LayoffReason, MeasureKind, UnmatchedVacancyReason, VacancyStatus } from '../../src/generated/graphql.js';
import { addDays, today } from '../../src/today.js';

export { addDays, today };

export type { BalanceCategory, LayoffReason, MeasureKind, UnmatchedVacancyReason, VacancyStatus };

/** A job ad as the connector hands it to resolvers. */
export interface VacancyRecord {
  id: string;
  cvr: string | null;
  hiringOrgCvr: string | null;
  hiringOrgName: string | null;
  title: string;
  disco: string | null;
  occupationLabel: string | null;
  positions: number | null;
  postedAt: string;
  applyBy: string | null;
  closedAt: string | null;
  employmentType: string | null;
  workHours: string | null;
  external: boolean | null;
  workplace: WorkplaceRecord;
  /** Why the ad is tied to no company of the register, decided when it is read; null when it is. */
  unmatchedReason: UnmatchedVacancyReason | null;
}

export interface WorkplaceRecord {
  address: string | null;
  postcode: string | null;
  city: string | null;
  municipalityCode: string | null;
  notStatic: boolean | null;
}

export type Page<T> = import('../../src/graphql/pagination.js').CountedConnection<T>;

/** An occupation label that maps to no DISCO code, with the number of stored ads that carry it. */
export interface OccupationLabelRecord {
  label: string;
  count: number;
}

export interface JobOrderRecord {
  id: string;
  cvr: string;
  pNumber: string | null;
  title: string;
  disco: string | null;
  type: string | null;
  status: string | null;
  startDate: string | null;
}

export interface LayoffRecord {
  /** The notice's key in the hub: cvr|date|reason (see layoffKey). */
  key: string;
  cvr: string;
  date: string;
  persons: number;
  reason: LayoffReason;
}

/** A layoff notice is one per company, day and reason (the table's primary key). */
export function layoffKey(cvr: string, date: string, reason: string): string {
  return `${cvr}|${date}|${reason}`;
}

export interface BalanceRecord {
  disco: string;
  area: string;
  period: string;
  category: BalanceCategory;
}

export interface SupplyRecord {
  disco: string;
  area: string;
  period: string;
  count: number;
}

/** The parent of Recruitment: the company key alone. */
export interface RecruitmentKey {
  cvr: string;
}

/** An ad without a deadline stays open this many days after it was posted. */
export const OPEN_DAYS_WITHOUT_DEADLINE = 60;

/** OPEN while applyBy is today or later, or, without a deadline, while posted within 60 days; CLOSED once a full feed dropped it. */
export function vacancyStatus(v: Pick<VacancyRecord, 'postedAt' | 'applyBy' | 'closedAt'>, day = today()): VacancyStatus {
  if (v.closedAt) return 'CLOSED';
  if (v.applyBy) return v.applyBy >= day ? 'OPEN' : 'CLOSED';
  return v.postedAt >= addDays(day, -OPEN_DAYS_WITHOUT_DEADLINE) ? 'OPEN' : 'CLOSED';
}

const fold = (s: string) => s.trim().toLowerCase().normalize('NFC').replace(/\s+/g, ' ');

const MEASURES: [string, MeasureKind][] = [
  ['virksomhedspraktik', 'INTERNSHIP'],
  ['løntilskud', 'WAGE_SUBSIDY'],
  ['loentilskud', 'WAGE_SUBSIDY'],
  ['jobrotation', 'JOB_ROTATION'],
  ['fleksjob', 'FLEXJOB'],
];
export const MEASURE_KINDS: MeasureKind[] = ['INTERNSHIP', 'WAGE_SUBSIDY', 'JOB_ROTATION', 'FLEXJOB'];

export function measureKind(text: string): MeasureKind | null {
  const t = fold(text);
  return MEASURES.find(([w]) => w === t)?.[1] ?? MEASURE_KINDS.find((k) => k.toLowerCase() === t) ?? null;
}

export function layoffReason(text: string): LayoffReason | null {
  const t = fold(text);
  if (t === 'indskrænkning' || t === 'indskraenkning' || t === 'downsizing') return 'DOWNSIZING';
  if (t === 'lukning' || t === 'closure') return 'CLOSURE';
  return null;
}

const CATEGORIES: [string, BalanceCategory][] = [
  ['mangel på arbejdskraft', 'SHORTAGE'],
  ['paradoksproblemer', 'PARADOX'],
  ['gode jobmuligheder', 'GOOD_PROSPECTS'],
  ['mindre gode jobmuligheder', 'LIMITED_PROSPECTS'],
];

export function balanceCategory(text: string): BalanceCategory | null {
  const t = fold(text);
  return CATEGORIES.find(([l, c]) => l === t || c.toLowerCase() === t)?.[1] ?? null;
}

/** A month as Jobindsats writes it ("2025M03") or as yyyy-mm → "2025-03"; null when it is neither. */
export function monthPeriod(text: string): string | null {
  const m = /^(\d{4})(?:M|-)(\d{2})$/i.exec(text.trim());
  return m && Number(m[2]) >= 1 && Number(m[2]) <= 12 ? `${m[1]}-${m[2]}` : null;
}

/** A month ("2025M03", "2025-03") or a quarter ("2025K1", "2025Q1") → "2025-03" or "2025Q1". */
export function supplyPeriod(text: string): string | null {
  const month = monthPeriod(text);
  if (month) return month;
  const q = /^(\d{4})\s*(?:K|Q)([1-4])$/i.exec(text.trim());
  return q ? `${q[1]}Q${q[2]}` : null;
}

/** A half-year: "2025H1", "2025-1", "1. halvår 2025", "2025 2. halvår" → "2025H1"/"2025H2". */
export function halfYear(text: string): string | null {
  const t = fold(text);
  let m = /^(\d{4})\s*[h-]\s*([12])$/.exec(t);
  if (m) return `${m[1]}H${m[2]}`;
  m = /^([12])\.?\s*halvår\s*(\d{4})$/.exec(t);
  if (m) return `${m[2]}H${m[1]}`;
  m = /^(\d{4})\s*([12])\.?\s*halvår$/.exec(t);
  return m ? `${m[1]}H${m[2]}` : null;
}
