import { isObj } from './json.js';
import type { SourceRecord } from './types.js';

/**
 * Keys naming or reaching people, dropped from every source before anything is stored, rejects included:
 * contact persons (Jobnet's ContactPersons, the course search's kontaktPerson/kontaktMail/kontaktPersonTlfNummer),
 * CVR's participants (deltagerRelation) and contact details (kontaktoplysning, elektroniskPost, telefonNummer,
 * telefaxNummer, obligatoriskEmail), an address's c/o name (conavn: often a person's), CPR numbers, e-mail
 * addresses and phone numbers anywhere.
 */
export const PERSON_KEY =
  /contact|kontakt|cpr|e-?mail|elektroniskpost|phone|telefon|telefax|tlf|mobil|deltager|personnavn|personname|conavn/i;

/**
 * Whether a key names or reaches a person. A source repeats the same few dozen keys in every record, so
 * each verdict is kept (a CVR record holds 36 keys, so a million records ran the test 36 million times:
 * 4.3 s of the load's CPU).
 */
function isPersonKey(key: string, extra: RegExp | undefined): boolean {
  let known = extra ? extraVerdicts.get(extra) : verdicts;
  if (!known) extraVerdicts.set(extra!, (known = new Map()));
  let verdict = known.get(key);
  if (verdict === undefined) {
    // With a g or y flag a pattern resumes where its last match ended and could miss this key; the miss would be kept.
    if (extra) extra.lastIndex = 0;
    verdict = PERSON_KEY.test(key) || extra?.test(key) === true;
    // Keys are the source's field names; a feed whose keys are data (ids as keys) must not grow this without end.
    if (known.size < 10_000) known.set(key, verdict);
  }
  return verdict;
}
const verdicts = new Map<string, boolean>();
// Per source pattern, held no longer than the pattern: a source that made a new one per run leaves nothing behind.
const extraVerdicts = new WeakMap<RegExp, Map<string, boolean>>();

/** A value without person keys, at any depth (arrays included). Returns the same object when nothing is dropped. */
export function scrub(value: unknown, extra?: RegExp): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const s = scrub(value[i], extra);
      if (s !== value[i]) (out ??= value.slice())[i] = s;
    }
    return out ?? value;
  }
  if (!isObj(value)) return value;
  let out: Record<string, unknown> | null = null;
  for (const k in value) {
    if (isPersonKey(k, extra)) {
      out ??= { ...value };
      delete out[k];
      continue;
    }
    const v = value[k];
    if (typeof v !== 'object' || v === null) continue;
    const s = scrub(v, extra);
    if (s !== v) {
      out ??= { ...value };
      out[k] = s;
    }
  }
  return out ?? value;
}

const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
// CPR numbers (ddmmyy-xxxx) and Danish phone numbers written as such (+45, or spaced in pairs or fours):
// a bare 8-digit number is more often a CVR number, which must stay.
const CPR = /\b\d{6}-?\d{4}\b/g;
const PHONE = /\+45[\s-]?\d{2}[\s-]?\d{2}[\s-]?\d{2}[\s-]?\d{2}\b|\b\d{2}[\s-]\d{2}[\s-]\d{2}[\s-]\d{2}\b|\b\d{4}[\s-]\d{4}\b/g;

/** Where the JSON value starting at `from` ends (a broken value runs to the end of the text). */
function valueEnd(text: string, from: number): number {
  const open = text[from];
  if (open === '"') {
    for (let i = from + 1; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') return i + 1;
    }
    return text.length;
  }
  if (open === '{' || open === '[') {
    let depth = 0;
    let inString = false;
    for (let i = from; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && --depth === 0) return i + 1;
    }
    return text.length;
  }
  const m = /[,}\]\n]/.exec(text.slice(from));
  return m ? from + m.index : text.length;
}

/**
 * Text that could not be parsed into keys (a broken JSON line): the whole value of every person key,
 * however deeply nested, and e-mail addresses, CPR-like and phone-like numbers anywhere are blanked.
 */
export function maskText(text: string, extra?: RegExp): string {
  let out = '';
  let at = 0;
  const key = /"((?:[^"\\]|\\.){1,80})"\s*:\s*/g;
  for (let m = key.exec(text); m; m = key.exec(text)) {
    if (!(PERSON_KEY.test(m[1]!) || extra?.test(m[1]!))) continue;
    const start = m.index + m[0].length;
    out += `${text.slice(at, m.index)}"${m[1]}":"[removed]"`;
    at = valueEnd(text, start);
    key.lastIndex = at;
  }
  out += text.slice(at);
  return out.replace(EMAIL, '[e-mail removed]').replace(CPR, '[number removed]').replace(PHONE, '[number removed]');
}

/** A record without person keys: what validation sees and what a reject keeps. */
export function withoutPersons(record: SourceRecord, extra?: RegExp): SourceRecord {
  if (record.value !== undefined) {
    const value = scrub(record.value, extra);
    // A record's own text (a CSV row's known cells) stays only while nothing had to be dropped from it.
    return value === record.value ? record : { ...record, value, text: undefined };
  }
  return record.text === undefined ? record : { ...record, text: maskText(record.text, extra) };
}

/** The text a reject keeps: the scrubbed record as JSON, or the masked text of what could not be parsed. */
export function rejectText(record: SourceRecord): string {
  return record.text ?? JSON.stringify(record.value) ?? '';
}
