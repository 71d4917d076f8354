import { Readable } from 'node:stream';
import { FileRejectedError } from './types.js';

/** The longest line (one NDJSON record, one CSV row) a reader takes; longer lines are rejected, not buffered. */
export const MAX_LINE_BYTES = Number(process.env.INDGANG_MAX_LINE_MB ?? 64) * 1024 * 1024;

/** Why a file is not UTF-8, for a run that must be refused as a whole. */
export function notUtf8(file: string, offset: number, byte: number | undefined): FileRejectedError {
  const found =
    byte === undefined
      ? 'ends inside a character'
      : `has byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at offset ${offset}, which is not UTF-8`;
  const hint = byte !== undefined && byte >= 0xc0 ? ' (Windows-1252/Latin-1 writes æ, ø, å as single bytes like this)' : '';
  return new FileRejectedError(`${file} ${found}${hint}; expected UTF-8: export the file as UTF-8`);
}

/** Offset of the first byte that breaks UTF-8 in `bytes`, for the message. */
function firstBadByte(bytes: Uint8Array): number {
  for (let i = 1; i <= bytes.length; i++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, i), { stream: true });
    } catch {
      return i - 1;
    }
  }
  return bytes.length;
}

/**
 * Decodes a byte stream as UTF-8 text, dropping a byte-order mark. The whole file is refused at the
 * first byte sequence that is not UTF-8: a file in another encoding is wrong everywhere, not on the
 * lines that happen to hold æ, ø or å.
 */
export async function* utf8Chunks(input: AsyncIterable<Buffer | string>, file: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let offset = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      const at = firstBadByte(bytes);
      throw notUtf8(file, offset + at, bytes[at]);
    }
    offset += bytes.length;
    if (text) yield text;
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    throw notUtf8(file, offset, undefined);
  }
  if (tail) yield tail;
}

/** One line of a text file: its 1-based number, and its text, or `tooLong` with its length in characters when over the limit. */
export type Line = { n: number; text: string; tooLong?: undefined } | { n: number; text?: undefined; tooLong: number };

/**
 * Lines of a UTF-8 stream without their line ends. A line over `maxChars` is reported as `tooLong` and
 * skipped without being held in memory, so one broken line cannot take the process down.
 */
export async function* textLines(chunks: AsyncIterable<string>, maxChars = MAX_LINE_BYTES): AsyncGenerator<Line> {
  let parts: string[] = [];
  let length = 0;
  let n = 1;
  let overflow = 0;
  const take = (piece: string) => {
    if (overflow) overflow += piece.length;
    else if (length + piece.length > maxChars) {
      overflow = length + piece.length;
      parts = [];
    } else {
      parts.push(piece);
      length += piece.length;
    }
  };
  const end = (): Line => {
    const line: Line = overflow ? { n, tooLong: overflow } : { n, text: stripCr(parts.length === 1 ? parts[0]! : parts.join('')) };
    parts = [];
    length = 0;
    overflow = 0;
    n++;
    return line;
  };
  for await (const chunk of chunks) {
    let from = 0;
    for (let at = chunk.indexOf('\n'); at !== -1; at = chunk.indexOf('\n', from)) {
      take(chunk.slice(from, at));
      yield end();
      from = at + 1;
    }
    if (from < chunk.length) take(chunk.slice(from));
  }
  if (length > 0 || overflow) yield end();
}

const stripCr = (s: string) => (s.endsWith('\r') ? s.slice(0, -1) : s);

/** Describes a too-long line for its reject. */
export function tooLongReason(chars: number, maxChars = MAX_LINE_BYTES): string {
  const mb = (x: number) => `${(x / 1024 / 1024).toFixed(1)} MB`;
  return `the line is longer than the limit of ${mb(maxChars)} (${mb(chars)} read before it was skipped); INDGANG_MAX_LINE_MB raises the limit`;
}

/** The first bytes of a stream without losing them: `rest` yields the whole input again. */
export async function peek(input: Readable): Promise<{ head: string; rest: Readable }> {
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  const chunk: Buffer | undefined = first.done ? undefined : Buffer.from(first.value);
  async function* replay() {
    if (chunk) yield chunk;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value as Buffer;
    }
  }
  return { head: chunk ? chunk.toString('utf8').replace(/^\ufeff/, '') : '', rest: Readable.from(replay(), { objectMode: false }) };
}
