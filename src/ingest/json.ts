import { Readable } from 'node:stream';
import chain from 'stream-chain';
import { parser } from 'stream-json';
import Assembler from 'stream-json/assembler.js';
import { MAX_LINE_BYTES, textLines, tooLongReason, utf8Chunks } from './text.js';
import { FileRejectedError, type SourceRecord } from './types.js';

/** What a JSON source accepts: where its records sit, and how to tell one. */
export interface JsonShape {
  /** Dotted paths of arrays whose elements are records, e.g. "hits.hits" or "JobPositionPostings". A top-level array always is one. */
  arrays: string[];
  /** Whether a value is one record of this source, bare or in a wrapper the source's validation unwraps. */
  isRecord(value: unknown): boolean;
  /** What the source expects, for messages: "Vrvirksomhed objects (NDJSON, hits.hits[] …)". */
  expected: string;
}

export const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The keys of an object, for messages naming what was found. */
export function keysOf(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  // An Elasticsearch hit is named by what it holds, not by _index, _id and _score.
  if (isObj(v) && isObj(v._source)) return `an Elasticsearch hit whose _source is ${keysOf(v._source)}`;
  if (!isObj(v)) return `a ${v === null ? 'null' : typeof v}`;
  const keys = Object.keys(v);
  return keys.length ? `an object with keys ${keys.slice(0, 12).join(', ')}${keys.length > 12 ? ', …' : ''}` : 'an empty object';
}

const at = (v: unknown, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), v);

/**
 * Records from JSON in any of the forms the source systems publish: NDJSON (one value per line, of any
 * length up to the line limit), one JSON document on one line (an Elasticsearch `_search` answer),
 * or a pretty-printed document. The form is told from the structure of the first value, not from
 * the first chunk read: a value that closes before its line ends is a line of NDJSON (or a one-line
 * document, when nothing follows); a value that spans lines is a document, streamed so that a file of
 * a million records is never held in memory. A value that is neither a record nor an envelope the
 * source knows is a reject (in NDJSON) or fails the run (a whole document), naming the keys found.
 */
export async function* jsonRecords(
  input: Readable,
  file: string,
  shape: JsonShape,
  maxLine = MAX_LINE_BYTES,
): AsyncGenerator<SourceRecord> {
  const chunks = utf8Chunks(input, file)[Symbol.asyncIterator]();
  const { head, form } = await detect(chunks, file, shape);
  if (form === 'empty') return;
  async function* replay() {
    yield head;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield next.value;
    }
  }
  if (form === 'lines') yield* lineRecords(replay(), shape, maxLine);
  else yield* documentRecords(replay(), file, shape);
}

type Form = 'empty' | 'lines' | 'document';

async function detect(chunks: AsyncIterator<string>, file: string, shape: JsonShape): Promise<{ head: string; form: Form }> {
  let head = '';
  let done = false;
  const more = async () => {
    const next = await chunks.next();
    if (next.done) done = true;
    else head += next.value;
    return !next.done;
  };
  let start = -1;
  while (start < 0) {
    start = head.search(/\S/);
    if (start < 0 && !(await more())) return { head, form: 'empty' };
  }
  const first = head[start];
  if (first === '[') return { head, form: 'document' };
  if (first !== '{') {
    throw new FileRejectedError(
      `${file} is not JSON: it starts with ${JSON.stringify(head.slice(start, start + 20))}; expected ${shape.expected}`,
    );
  }
  // Walk the first value: where does it close, and does a line end inside it?
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; ; i++) {
    if (i >= head.length && !(await more())) return { head, form: 'document' };
    const c = head[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (--depth === 0) {
        // Closed on its own line: NDJSON, unless nothing follows (a one-line document, streamed as one).
        for (let j = i + 1; ; j++) {
          if (j >= head.length && !(await more())) return { head, form: 'document' };
          if (!/\s/.test(head[j]!)) return { head, form: 'lines' };
        }
      }
    } else if (c === '\n') {
      const form = (await laterLinesAreRecords(
        () => head,
        i,
        more,
        () => done,
      ))
        ? 'lines'
        : 'document';
      return { head, form };
    }
  }
}

/**
 * The first value spans lines: a pretty-printed document, or NDJSON whose first line is broken.
 * NDJSON's later lines are whole objects at the start of a line; a document's inner lines are indented
 * or end in a comma, so they never parse alone.
 */
async function laterLinesAreRecords(head: () => string, from: number, more: () => Promise<boolean>, done: () => boolean): Promise<boolean> {
  const enough = () => head().length - from > 1 << 20 || head().slice(from).split('\n').length > 12;
  while (!done() && !enough()) {
    if (!(await more())) break;
  }
  const lines = head()
    .slice(from + 1)
    .split('\n')
    .slice(0, done() ? undefined : -1)
    .slice(0, 10);
  return lines.some((l) => {
    if (!l.startsWith('{')) return false;
    try {
      return isObj(JSON.parse(l));
    } catch {
      return false;
    }
  });
}

async function* lineRecords(chunks: AsyncIterable<string>, shape: JsonShape, maxLine: number): AsyncGenerator<SourceRecord> {
  for await (const line of textLines(chunks, maxLine)) {
    const where = `line ${line.n}`;
    if (line.tooLong !== undefined) {
      yield { line: line.n, position: where, parseError: tooLongReason(line.tooLong, maxLine) };
      continue;
    }
    const text = line.text.trim();
    if (text === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      yield { line: line.n, position: where, text, parseError: `malformed JSON: ${(e as Error).message}` };
      continue;
    }
    yield* unfold(value, line.n, where, shape);
  }
}

/** A value read whole: a record, or an envelope whose arrays hold records. */
function* unfold(value: unknown, line: number | null, where: string, shape: JsonShape): Generator<SourceRecord> {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield candidate(item, line, `${where} [${i}]`, shape);
    return;
  }
  if (shape.isRecord(value)) {
    yield { line, position: where, value };
    return;
  }
  const envelopes = shape.arrays.filter((p) => Array.isArray(at(value, p)));
  if (envelopes.length === 0) {
    yield { line, position: where, parseError: `found ${keysOf(value)}; expected ${shape.expected}` };
    return;
  }
  for (const p of envelopes)
    for (const [i, item] of (at(value, p) as unknown[]).entries()) yield candidate(item, line, `${where} ${p}[${i}]`, shape);
}

function candidate(value: unknown, line: number | null, position: string, shape: JsonShape): SourceRecord {
  return shape.isRecord(value)
    ? { line, position, value }
    : { line, position, parseError: `found ${keysOf(value)}; expected ${shape.expected}` };
}

interface Frame {
  array: boolean;
  /** The object's current key. */
  key: string | null;
  /** Dotted path of object keys to this container; "[]" marks a step into an array that holds no records. */
  path: string;
  /** An array whose elements are records. */
  records: boolean;
}

const childPath = (parent: Frame | undefined): string =>
  parent === undefined ? '' : parent.array ? `${parent.path}[]` : parent.path ? `${parent.path}.${parent.key}` : (parent.key ?? '');

const STARTS_VALUE = new Set(['startObject', 'startArray', 'stringValue', 'numberValue', 'nullValue', 'trueValue', 'falseValue']);

/** Tokens the envelope may take when it holds no record array, before it is refused: a few large records' worth. */
const ENVELOPE_TOKENS = 5_000_000;

/**
 * A document read token by token: the elements of its record arrays are assembled and yielded one at a
 * time; the rest (the envelope's own fields, or a single record) is assembled whole.
 */
async function* documentRecords(chunks: AsyncIterable<string>, file: string, shape: JsonShape): AsyncGenerator<SourceRecord> {
  const tokens = chain([Readable.from(chunks), parser({ packValues: true, streamValues: false })]) as unknown as AsyncIterable<{
    name: string;
    value?: unknown;
  }>;
  const stack: Frame[] = [];
  const outer = new Assembler();
  let item: Assembler | null = null;
  let arrayPath = '';
  let index = 0;
  let recordArrays = 0;
  let outerTokens = 0;
  const label = () => `${arrayPath}[${index++}]`;
  try {
    for await (const t of tokens) {
      if (item) {
        item.consume(t as never);
        if (item.done) {
          yield candidate(item.current, null, label(), shape);
          item = null;
        }
        continue;
      }
      const top = stack[stack.length - 1];
      if (top?.records && STARTS_VALUE.has(t.name)) {
        item = new Assembler();
        item.consume(t as never);
        if (item.done) {
          yield candidate(item.current, null, label(), shape);
          item = null;
        }
        continue;
      }
      if (t.name === 'keyValue') top!.key = t.value as string;
      else if (t.name === 'startObject' || t.name === 'startArray') {
        const path = childPath(top);
        const array = t.name === 'startArray';
        const records = array && (stack.length === 0 || shape.arrays.includes(path));
        if (records) {
          recordArrays++;
          arrayPath = path;
          index = 0;
        }
        stack.push({ array, key: null, path, records });
      } else if (t.name === 'endObject' || t.name === 'endArray') stack.pop();
      outer.consume(t as never);
      if (++outerTokens > ENVELOPE_TOKENS && recordArrays === 0) {
        throw new FileRejectedError(
          `${file}: found ${keysOf(outer.stack[0] ?? outer.current)} holding no record array the source knows; expected ${shape.expected}`,
        );
      }
    }
  } catch (e) {
    if (e instanceof FileRejectedError) throw e;
    throw new Error(`the JSON document cannot be read: ${(e as Error).message}`, { cause: e });
  }
  // No record array: the document is one record (a wrapper the source unwraps), or not the source's at all.
  if (recordArrays === 0) {
    const whole = outer.current;
    if (!shape.isRecord(whole)) throw new FileRejectedError(`${file}: found ${keysOf(whole)}; expected ${shape.expected}`);
    yield { line: null, position: 'document', value: whole };
  }
}
