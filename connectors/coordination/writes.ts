import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/database.js';
import { groupCommit, type Written } from '../../src/group-commit.js';
import { actsFor, type Principal } from '../../src/security/principal.js';
import { contactProblems, type ContactFields, type ContactRecord, type UserError } from './domain.js';
import { claimRequest, companyKnown, contactsById, contactVersion, findRequest, insertVersion } from './store.js';

export type WriteResult = { contact: ContactRecord | null; userErrors: UserError[] };

/** The contact log as a source of company data (the name the change hook and provenance use). */
export const CONTACT_LOG = 'contact-log';

const refused = (userErrors: UserError[]): WriteResult => ({ contact: null, userErrors });

function inputHash(operation: string, input: object): string {
  const sorted = Object.fromEntries(
    Object.entries(input)
      .filter(([k]) => k !== 'idempotencyKey')
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return createHash('sha256')
    .update(JSON.stringify([operation, sorted]))
    .digest('hex');
}

/** Who may write: the caller's organisations, for messages. */
const organisationsOf = (caller: Principal) =>
  caller.organisations === '*'
    ? 'any organisation'
    : caller.organisations.length
      ? caller.organisations.map((o) => `"${o}"`).join(', ')
      : 'no organisation';

/** The caller's spelling of the organisation it records for, or why it may not. */
function ownOrganisation(caller: Principal, organisation: string): string | UserError {
  if (!organisation.trim()) return { field: ['input', 'organisation'], message: 'give the organisation that made the contact' };
  return (
    actsFor(caller, organisation) ?? {
      field: ['input', 'organisation'],
      message: `caller "${caller.id}" records contacts only for ${organisationsOf(caller)}, not "${organisation.trim()}"`,
    }
  );
}

/** A contact another organisation recorded is not the caller's to change: the error for `input.id`. */
function notOwn(caller: Principal, existing: ContactRecord): UserError[] | null {
  if (actsFor(caller, existing.organisation)) return null;
  return [
    {
      field: ['input', 'id'],
      message: `the contact belongs to "${existing.organisation}"; caller "${caller.id}" may change only contacts of ${organisationsOf(caller)}`,
    },
  ];
}

/**
 * Writes one contact version under the caller's idempotency key, in one transaction with its derived
 * data (shared with the contact writes that arrive meanwhile: see groupCommit, so `db` is the shared
 * handle): the key is claimed with the write, so a concurrent duplicate waits for the first write and
 * then returns its contact instead of writing again. Keys are the caller's own: another caller's same
 * key is another write.
 */
async function idempotent(
  db: Db,
  caller: string,
  operation: string,
  key: string,
  input: object,
  write: (tx: Db) => Promise<{ contactId: string; version: number; cvr: string } | UserError[]>,
): Promise<WriteResult> {
  const hash = inputHash(operation, input);
  const replay = async (tx: Db): Promise<WriteResult | null> => {
    const earlier = await findRequest(tx, caller, key);
    if (!earlier) return null;
    if (earlier.operation !== operation || earlier.input_hash !== hash) {
      return refused([{ field: ['input', 'idempotencyKey'], message: 'this key was already used for a different write; use a new key' }]);
    }
    return { contact: (await contactVersion(tx, earlier.contact_id, earlier.version))!, userErrors: [] };
  };
  const before = await replay(db);
  if (before) return before;
  return groupCommit(db, { source: CONTACT_LOG, sections: ['CONTACTS'] }, async (tx): Promise<Written<WriteResult>> => {
    const target = await write(tx);
    if (Array.isArray(target)) return { answer: refused(target), cvrs: [] };
    if (!(await claimRequest(tx, { caller, key, operation, inputHash: hash, contactId: target.contactId, version: target.version }))) {
      // Lost a race with the same key: this attempt is undone (it names no company) and answers as the winner did.
      return { answer: (await replay(tx))!, cvrs: [] };
    }
    // The company's timeline, signals and change sequence follow the write in the same transaction (group commit).
    return { answer: { contact: (await contactVersion(tx, target.contactId, target.version))!, userErrors: [] }, cvrs: [target.cvr] };
  });
}

export interface RecordInput extends ContactFields {
  idempotencyKey: string;
}

/** Records a contact for one of the caller's organisations; `recordedBy` is the caller, whatever the input says. */
export function recordContact(db: Db, input: RecordInput, caller: Principal, today: string): Promise<WriteResult> {
  return idempotent(db, caller.id, 'record', input.idempotencyKey, input, async (tx) => {
    const errors = contactProblems(input, today);
    const organisation = ownOrganisation(caller, input.organisation);
    if (typeof organisation !== 'string' && !errors.some((e) => e.field[1] === 'organisation')) errors.unshift(organisation);
    if (!(await companyKnown(tx, input.cvr)))
      errors.unshift({ field: ['input', 'cvr'], message: `no company with CVR ${input.cvr} in the register` });
    if (errors.length) return errors;
    const contactId = randomUUID();
    await insertVersion(tx, {
      contact_id: contactId,
      version: 1,
      status: 'RECORDED',
      reason: null,
      recorded_by: caller.id,
      ...columns({ ...input, organisation: organisation as string }),
    });
    return { contactId, version: 1, cvr: input.cvr };
  });
}

export interface CorrectInput extends Omit<ContactFields, 'cvr'> {
  idempotencyKey: string;
  /** The contact's global id as the caller gave it (part of the idempotent input). */
  id: string;
  uuid: string;
}

/** Corrects a contact of one of the caller's organisations (and it stays one of theirs). */
export function correctContact(db: Db, input: CorrectInput, caller: Principal, today: string): Promise<WriteResult> {
  return idempotent(db, caller.id, 'correct', input.idempotencyKey, input, async (tx) => {
    const [existing] = await contactsById(tx, [input.uuid]);
    if (!existing) return [{ field: ['input', 'id'], message: 'no contact with this id' }];
    const foreign = notOwn(caller, existing);
    if (foreign) return foreign;
    if (existing.status === 'WITHDRAWN') return [{ field: ['input', 'id'], message: 'the contact was withdrawn and cannot be corrected' }];
    const fields = { ...input, cvr: existing.cvr };
    const errors = contactProblems(fields, today);
    const organisation = ownOrganisation(caller, input.organisation);
    if (typeof organisation !== 'string' && !errors.some((e) => e.field[1] === 'organisation')) errors.unshift(organisation);
    if (errors.length) return errors;
    const version = existing.version + 1;
    await insertVersion(tx, {
      contact_id: existing.uuid,
      version,
      status: 'CORRECTED',
      reason: null,
      recorded_by: caller.id,
      ...columns({ ...fields, organisation: organisation as string }),
    });
    return { contactId: existing.uuid, version, cvr: existing.cvr };
  });
}

export interface WithdrawInput {
  idempotencyKey: string;
  id: string;
  uuid: string;
  reason: string;
}

/** Withdraws a contact of one of the caller's organisations. */
export function withdrawContact(db: Db, input: WithdrawInput, caller: Principal): Promise<WriteResult> {
  return idempotent(db, caller.id, 'withdraw', input.idempotencyKey, input, async (tx) => {
    const [existing] = await contactsById(tx, [input.uuid]);
    if (!existing) return [{ field: ['input', 'id'], message: 'no contact with this id' }];
    const foreign = notOwn(caller, existing);
    if (foreign) return foreign;
    if (existing.status === 'WITHDRAWN') return [{ field: ['input', 'id'], message: 'the contact is already withdrawn' }];
    if (!input.reason.trim()) return [{ field: ['input', 'reason'], message: 'say why the contact is withdrawn' }];
    const version = existing.version + 1;
    await insertVersion(tx, {
      contact_id: existing.uuid,
      version,
      status: 'WITHDRAWN',
      reason: input.reason.trim(),
      recorded_by: caller.id,
      ...columns(existing),
    });
    return { contactId: existing.uuid, version, cvr: existing.cvr };
  });
}

function columns(f: ContactFields) {
  return {
    cvr: f.cvr,
    system: f.system,
    organisation: f.organisation.trim(),
    consultant: f.consultant?.trim() || null,
    channel: f.channel,
    date: f.date,
    topics: f.topics.map((t) => t.trim()),
    outcome: f.outcome?.trim() || null,
    follow_up_on: f.followUpOn ?? null,
  };
}
