import type { ContactChannel, ContactSystem } from '../../src/generated/graphql.js';

/** The current version of a contact the hub has recorded. */
export interface ContactRecord {
  /** The contact's uuid in the log. */
  uuid: string;
  version: number;
  cvr: string;
  system: ContactSystem;
  organisation: string;
  consultant: string | null;
  channel: ContactChannel;
  date: string;
  topics: string[];
  outcome: string | null;
  followUpOn: string | null;
  status: 'RECORDED' | 'CORRECTED' | 'WITHDRAWN';
  reason: string | null;
  /** The caller that wrote this version (never a name the client supplied). */
  recordedBy: string;
  recordedAt: Date;
}

/** What a caller states about a contact (record or correct). */
export interface ContactFields {
  cvr: string;
  system: ContactSystem;
  organisation: string;
  consultant?: string | null;
  channel: ContactChannel;
  date: string;
  topics: string[];
  outcome?: string | null;
  followUpOn?: string | null;
}

export interface UserError {
  field: string[];
  message: string;
}

/** Limits on free text, so the log stays a log of contacts and not a case file. */
export const LIMITS = { organisation: 200, consultant: 200, topics: 10, topic: 60, outcome: 2000 };

/**
 * Checks a contact's fields; every problem is reported with its input path. `today` is passed in so the
 * rule "not in the future" is testable.
 */
export function contactProblems(f: ContactFields, today: string, path = ['input']): UserError[] {
  const errors: UserError[] = [];
  const err = (field: string, message: string) => errors.push({ field: [...path, field], message });
  if (!f.organisation.trim()) err('organisation', 'give the organisation that made the contact');
  else if (f.organisation.length > LIMITS.organisation) err('organisation', `at most ${LIMITS.organisation} characters`);
  if (f.consultant && f.consultant.length > LIMITS.consultant) err('consultant', `at most ${LIMITS.consultant} characters`);
  if (f.date > today) err('date', `a contact cannot be recorded before it happens (date ${f.date} is after today, ${today})`);
  if (f.followUpOn && f.followUpOn < f.date)
    err('followUpOn', `the follow-up (${f.followUpOn}) cannot come before the contact (${f.date})`);
  if (f.topics.length > LIMITS.topics) err('topics', `at most ${LIMITS.topics} topics`);
  f.topics.forEach((t, i) => {
    if (!t.trim()) errors.push({ field: [...path, 'topics', String(i)], message: 'a topic cannot be empty' });
    else if (t.length > LIMITS.topic)
      errors.push({ field: [...path, 'topics', String(i)], message: `a topic is at most ${LIMITS.topic} characters` });
  });
  if (f.outcome && f.outcome.length > LIMITS.outcome) err('outcome', `at most ${LIMITS.outcome} characters`);
  return errors;
}
