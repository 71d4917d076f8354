/** An AMU course from the catalogue (domain type). */
export interface CourseRecord {
  number: string;
  title: string;
  days: number;
  occupations: string[];
  positiveList: boolean;
}

/** How a course is reached: `courses(filter)` hands its place and date conditions down to `instances`. */
export interface InstanceScope {
  municipalities?: string[] | null;
  from?: string | null;
  to?: string | null;
}

/** The GraphQL parent of Course: the key, plus the scope of the list it came from. */
export interface CourseKey {
  number: string;
  scope?: InstanceScope;
}

export type TeachingForm = 'CLASSROOM' | 'DISTANCE' | 'BLENDED' | 'WORKPLACE' | 'OTHER';

export interface PlaceRecord {
  name: string | null;
  street: string | null;
  postcode: string | null;
  city: string | null;
  municipalityCode: string | null;
}

export interface InstanceRecord {
  id: string;
  courseNumber: string;
  title: string | null;
  providerName: string | null;
  providerKey: string | null;
  place: PlaceRecord;
  startsOn: string;
  endsOn: string;
  applyBy: string | null;
  formText: string | null;
  participants: number;
  capacity: number | null;
  cancelled: boolean;
  timeOfDay: string | null;
  days: number | null;
  minimumParticipants: number | null;
  guaranteed: boolean | null;
  price: number | null;
  surcharge: number | null;
  searchCode: string | null;
  website: string | null;
}

export interface ProviderRecord {
  name: string;
  number: string | null;
  kind: string | null;
  street: string | null;
  postcode: string | null;
  city: string | null;
  municipalityCode: string | null;
  website: string | null;
}

export interface EnrolmentRecord {
  /** The enrolment's key in the hub (see enrolmentKey). */
  key: string;
  cvr: string;
  courseNumber: string;
  startsOn: string;
  endsOn: string;
  period: string;
  participants: number;
  wageCompensation: number | null;
}

/** An enrolment is one per company, course and period (the table's primary key). */
export function enrolmentKey(cvr: string, courseNumber: string, startsOn: string, endsOn: string): string {
  return `${cvr}|${courseNumber}|${startsOn}|${endsOn}`;
}

/** The GraphQL parent of Upskilling: the company's key alone, as federation requires. */
export interface UpskillingKey {
  cvr: string;
}

export interface UpskillingSummary {
  participantsLast12Months: number;
  wageCompensationLast12Months: number;
  lastCourseOn: string | null;
}

/** Seats left on an instance: capacity minus participants, never below zero; unknown without a capacity. */
export function seatsLeft(i: Pick<InstanceRecord, 'capacity' | 'participants'>): number | null {
  return i.capacity === null ? null : Math.max(0, i.capacity - i.participants);
}

/** How instances refer to providers: the course search gives the institution's name only. */
export function providerKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** AMU course numbers are 5 digits. */
export function courseNumberProblem(value: string): string | null {
  return /^\d{5}$/.test(value) ? null : 'an AMU course number is 5 digits';
}

/** The national course search's undervisningsform texts, grouped. */
export function teachingForm(text: string | null): TeachingForm | null {
  const t = (text ?? '').trim().toLowerCase();
  if (t === '') return null;
  if (t.includes('almindelig') || t.includes('klasse') || t.includes('tilstedeværelse') || t === 'dag' || t.includes('dagundervisning'))
    return 'CLASSROOM';
  if (t.includes('blended') || t.includes('kombineret')) return 'BLENDED';
  if (t.includes('fjern') || t.includes('online') || t.includes('virtuel') || t.includes('e-læring')) return 'DISTANCE';
  if (t.includes('virksomhed') || t.includes('arbejdsplads')) return 'WORKPLACE';
  return 'OTHER';
}
