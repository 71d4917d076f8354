import { Readable } from 'node:stream';
import chain from 'stream-chain';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import type { SourceRecord } from './types.js';

/**
 * Reads JSON records from either NDJSON (one JSON value per line) or one JSON document
 * holding an array (top level, or at one of `arrayPaths`), streaming in both cases so a
 * file of a million records is never held in memory.
 */
export async function* jsonRecords(input: Readable, arrayPaths: string[]): AsyncGenerator<SourceRecord> {
  const { head, rest } = await peek(input);
  if (head.trim() === '') return;
  const headLines = head.split('\n');
  const firstLine = headLines[0]!.trim();
  // NDJSON when one of the first complete lines is a JSON object on its own (the first may be malformed).
  const complete = headLines.slice(0, Math.min(10, headLines.length - 1 || 1));
  if (!firstLine.startsWith('[') && complete.some((l) => parsesAlone(l.trim()))) {
    yield* ndjsonRecords(rest);
  } else {
    yield* documentRecords(rest, arrayPaths, firstLine.startsWith('['));
  }
}

export async function* ndjsonRecords(input: Readable): AsyncGenerator<SourceRecord> {
  let n = 0;
  for await (const text of lines(input)) {
    n++;
    const trimmed = n === 1 ? stripBom(text).trim() : text.trim();
    if (trimmed === '') continue;
    const record: SourceRecord = { line: n, position: `line ${n}`, raw: text };
    try {
      record.value = JSON.parse(trimmed);
    } catch (e) {
      record.parseError = `malformed JSON: ${(e as Error).message}`;
    }
    yield record;
  }
}

/** Lines of a UTF-8 stream without their line ends; a plain split is several times faster than readline. */
export async function* lines(input: Readable): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  for await (const chunk of input) {
    const text = rest + decoder.decode(chunk as Buffer, { stream: true });
    const parts = text.split('\n');
    rest = parts.pop()!;
    for (const p of parts) yield p.endsWith('\r') ? p.slice(0, -1) : p;
  }
  rest += decoder.decode();
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

async function* documentRecords(input: Readable, arrayPaths: string[], topLevelArray: boolean): AsyncGenerator<SourceRecord> {
  const filter = new RegExp(`^(${arrayPaths.map((p) => p.replace(/\./g, '\\.')).join('|')})$`);
  const stages: unknown[] = [input, parser()];
  if (!topLevelArray) stages.push(pick({ filter }));
  stages.push(streamArray());
  const pipeline = chain(stages as any);
  const label = topLevelArray ? '' : arrayPaths.length === 1 ? arrayPaths[0] : 'records';
  try {
    for await (const item of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
      yield { line: null, position: `${label}[${item.key}]`, raw: JSON.stringify(item.value), value: item.value };
    }
  } catch (e) {
    throw new Error(`the JSON document cannot be read: ${(e as Error).message}`);
  }
}

function parsesAlone(text: string): boolean {
  if (!text.startsWith('{')) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads the first chunk without losing it: `rest` yields the whole input again. */
export async function peek(input: Readable): Promise<{ head: string; rest: Readable }> {
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  let chunk: Buffer | undefined = first.done ? undefined : Buffer.from(first.value);
  // A UTF-8 byte-order mark would trip the JSON parser; it carries no data.
  if (chunk && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
  const head = chunk ? stripBom(chunk.toString('utf8')) : '';
  async function* replay() {
    if (chunk) yield chunk;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value as Buffer;
    }
  }
  return { head, rest: Readable.from(replay(), { objectMode: false }) };
}
