import fs from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import type { ReadOptions } from '../ingest/types.js';
import type { FetchConfig, SyncConfig } from './config.js';
import { authHeaders, PermanentError, request, requestJson } from './http.js';

/** One ingest run's input: the records of one fetch (or of one course number), as text the source reads. */
export interface FetchedPart {
  /** What the run records as its file: a URL or path. */
  label: string;
  options?: ReadOptions;
  body: AsyncIterable<string>;
}

/** A fetch in progress: its parts, and the cursor of what has been read so far (after the parts are read). */
export interface Fetcher {
  parts(): AsyncIterable<FetchedPart>;
  cursor(): string | null;
}

/** A value at a dot path ("Vrvirksomhed.sidstOpdateret"). */
export function at(doc: unknown, dotted: string): unknown {
  let v: any = doc;
  for (const k of dotted.split('.')) {
    if (v == null || typeof v !== 'object') return undefined;
    v = v[k];
  }
  return v;
}

/** Cursor values compare as instants when both are dates, otherwise as numbers or text. */
function later(a: string | null, b: string): boolean {
  if (a === null) return true;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && /\d{4}-\d\d-\d\d/.test(a)) return tb > ta;
  if (/^-?\d+(\.\d+)?$/.test(a) && /^-?\d+(\.\d+)?$/.test(b)) return Number(b) > Number(a);
  return b > a;
}

class CursorMax {
  constructor(public value: string | null) {}
  see(v: unknown) {
    if (v == null || v === '') return;
    const s = String(v);
    if (later(this.value, s)) this.value = s;
  }
}

export function makeFetcher(sync: SyncConfig, cursor: string | null, env: NodeJS.ProcessEnv = process.env): Fetcher {
  const f = sync.fetch;
  switch (f.kind) {
    case 'es-scroll':
      return esScroll(sync, f, cursor, env);
    case 'odata':
      return odata(sync, f, cursor, env);
    case 'paged-json':
      return pagedJson(sync, f, cursor, env);
    case 'http':
      return httpFile(sync, f, cursor, env);
    case 'file':
      return files(f, cursor);
  }
}

type Kind<K extends FetchConfig['kind']> = Extract<FetchConfig, { kind: K }>;

/**
 * Elasticsearch (CVR's distribution service): `POST <url>/_search?scroll=…` with a range query on the
 * cursor field above the last cursor, sorted on it, then `POST <base>/_search/scroll` with the scroll_id
 * until a page has no hits. A scroll that expires (404, search_context_missing) is started again from
 * the highest cursor read so far (gte: re-sent records load as unchanged).
 */
function esScroll(sync: SyncConfig, f: Kind<'es-scroll'>, start: string | null, env: NodeJS.ProcessEnv): Fetcher {
  const max = new CursorMax(start);
  const index = f.url.replace(/\/+$/, '');
  const root = new URL(index).origin;
  const headers = { 'content-type': 'application/json', ...authHeaders(f, env) };
  const search = (from: string | null, inclusive: boolean) => ({
    size: f.pageSize,
    query: from === null ? { match_all: {} } : { range: { [f.cursorField]: { [inclusive ? 'gte' : 'gt']: from } } },
    sort: [{ [f.cursorField]: 'asc' }, '_doc'],
  });
  async function* body(): AsyncGenerator<string> {
    let restarts = 0;
    let doc = await requestJson(
      sync,
      `${index}/_search?scroll=${f.scroll}`,
      { method: 'POST', headers, body: JSON.stringify(search(start, false)) },
      `${index}/_search`,
    );
    for (;;) {
      const hits: any[] = doc?.hits?.hits;
      if (!Array.isArray(hits)) throw new Error(`${index}/_search: the answer has no hits.hits array`);
      if (hits.length === 0) break;
      let text = '';
      for (const h of hits) {
        max.see(at(h._source, f.cursorField));
        text += JSON.stringify(h) + '\n';
      }
      yield text;
      const scrollId = doc._scroll_id;
      if (typeof scrollId !== 'string') throw new Error(`${index}/_search: the answer has no _scroll_id`);
      try {
        doc = await requestJson(
          sync,
          `${root}/_search/scroll`,
          { method: 'POST', headers, body: JSON.stringify({ scroll: f.scroll, scroll_id: scrollId }) },
          `${root}/_search/scroll`,
        );
      } catch (e) {
        if (!(e instanceof PermanentError && e.status === 404) || restarts >= 3) throw e;
        // The scroll expired between pages: search again from what has been read.
        restarts++;
        doc = await requestJson(
          sync,
          `${index}/_search?scroll=${f.scroll}`,
          { method: 'POST', headers, body: JSON.stringify(search(max.value, true)) },
          `${index}/_search`,
        );
      }
    }
  }
  let done = false;
  return {
    async *parts() {
      if (done) return;
      done = true;
      yield { label: index, body: body() };
    },
    cursor: () => max.value,
  };
}

/** OData: `$filter=<field> gt <cursor>`, `$orderby=<field>`, following `@odata.nextLink`; one {"value": […]} document. */
function odata(sync: SyncConfig, f: Kind<'odata'>, start: string | null, env: NodeJS.ProcessEnv): Fetcher {
  const max = new CursorMax(start);
  const headers = { accept: 'application/json', ...authHeaders(f, env) };
  const first = new URL(f.url);
  if (start !== null) first.searchParams.set('$filter', `${f.cursorField} gt ${start}`);
  first.searchParams.set('$orderby', f.cursorField);
  async function* body(): AsyncGenerator<string> {
    yield '{"value":[';
    let url: string | null = first.toString();
    let n = 0;
    const seen = new Set<string>();
    while (url) {
      if (seen.has(url)) throw new Error(`${f.url}: @odata.nextLink leads back to a page already read`);
      seen.add(url);
      const doc: any = await requestJson(sync, url, { headers }, f.url);
      if (!Array.isArray(doc?.value)) throw new Error(`${f.url}: an OData response holds its records in a "value" array`);
      let text = '';
      for (const item of doc.value) {
        max.see(item?.[f.cursorField]);
        text += (n++ ? ',' : '') + JSON.stringify(item);
      }
      if (text) yield text;
      const next = doc['@odata.nextLink'] ?? doc['odata.nextLink'];
      url = typeof next === 'string' && next ? new URL(next, url).toString() : null;
    }
    yield ']}';
  }
  let done = false;
  return {
    async *parts() {
      if (done) return;
      done = true;
      yield { label: f.url, body: body() };
    },
    cursor: () => max.value,
  };
}

/**
 * Page or offset parameters until an empty page (Jobnet's search, the course search). With courses,
 * one query per course number (`courseParam=<number>`), each its own run with that course number.
 */
function pagedJson(sync: SyncConfig, f: Kind<'paged-json'>, start: string | null, env: NodeJS.ProcessEnv): Fetcher {
  const headers = { accept: 'application/json', ...authHeaders(f, env) };
  const pageUrl = (page: number, course?: string) => {
    const u = new URL(f.url);
    if (course && f.courseParam) u.searchParams.set(f.courseParam, course);
    u.searchParams.set(f.pageParam, String(f.style === 'page' ? page : (page - f.firstPage) * f.pageSize));
    if (f.sizeParam) u.searchParams.set(f.sizeParam, String(f.pageSize));
    return u.toString();
  };
  async function* body(course?: string): AsyncGenerator<string> {
    for (let page = f.firstPage; ; page++) {
      const doc = await requestJson(sync, pageUrl(page, course), { headers }, f.url);
      const items = f.itemsPath ? at(doc, f.itemsPath) : doc;
      if (items == null) break;
      if (!Array.isArray(items)) throw new Error(`${f.url}: page ${page}: ${f.itemsPath ?? 'the answer'} is not an array`);
      if (items.length === 0) break;
      yield items.map((i) => JSON.stringify(i)).join('\n') + '\n';
      if (page - f.firstPage > 100_000) throw new Error(`${f.url}: more than 100000 pages; is the page parameter (${f.pageParam}) right?`);
    }
  }
  let finished: string | null = start;
  return {
    async *parts() {
      const at = new Date().toISOString();
      if (f.courses) {
        for (const [i, course] of f.courses.entries()) {
          if (i === f.courses.length - 1) finished = at;
          yield { label: `${f.url}?${f.courseParam}=${course}`, options: { course }, body: body(course) };
        }
      } else {
        finished = at;
        yield { label: f.url, body: body() };
      }
    },
    // A full read has no cursor of its own: the time of the last complete one is kept for the record.
    cursor: () => finished,
  };
}

/** A CSV or JSON file over HTTP, fetched again only when changed (ETag / If-Modified-Since). */
function httpFile(sync: SyncConfig, f: Kind<'http'>, start: string | null, env: NodeJS.ProcessEnv): Fetcher {
  let prior: { etag?: string; lastModified?: string } = {};
  try {
    prior = start ? JSON.parse(start) : {};
  } catch {
    prior = {};
  }
  let now: string | null = start;
  const name = path.basename(new URL(f.url).pathname) || 'download';
  return {
    async *parts() {
      const headers: Record<string, string> = { ...authHeaders(f, env) };
      if (prior.etag) headers['if-none-match'] = prior.etag;
      if (prior.lastModified) headers['if-modified-since'] = prior.lastModified;
      const a = await request(sync, f.url, { headers });
      if (a.status === 304) return;
      if (a.status >= 400) throw new Error(`GET ${f.url}: HTTP ${a.status}`);
      const etag = a.headers.get('etag') ?? undefined;
      const lastModified = a.headers.get('last-modified') ?? undefined;
      const text = a.text;
      now = etag || lastModified ? JSON.stringify({ etag, lastModified }) : null;
      yield {
        label: name,
        body: (async function* () {
          yield text;
        })(),
      };
    },
    cursor: () => now,
  };
}

/** Files on disk matching a glob, those changed after the cursor (modification time), oldest first. */
function files(f: Kind<'file'>, start: string | null): Fetcher {
  const since = start ? Date.parse(start) : -Infinity;
  const max = new CursorMax(start);
  return {
    async *parts() {
      const found = await glob(f.glob, { absolute: true, onlyFiles: true });
      const changed = found
        .map((p) => ({ p, m: fs.statSync(p).mtime }))
        .filter((x) => x.m.getTime() > since)
        .sort((a, b) => a.m.getTime() - b.m.getTime() || a.p.localeCompare(b.p));
      for (const { p, m } of changed) {
        // The cursor the part's run commits with names this file; a failed run keeps the one before.
        max.see(m.toISOString());
        yield {
          label: p,
          body: (async function* () {
            for await (const chunk of fs.createReadStream(p, { encoding: 'utf8' })) yield chunk as string;
          })(),
        };
      }
    },
    cursor: () => max.value,
  };
}
