import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Faults a fake source server injects, each consumed once when it fires. */
export type Fault = '500' | 'hang' | 'cut' | 'expire';

export interface FakeServer {
  url: string;
  requests: { method: string; url: string; body: string; headers: http.IncomingHttpHeaders }[];
  /** Faults to inject on the next requests matching a path prefix, in order. */
  faults: { path: string; fault: Fault }[];
  close(): Promise<void>;
}

export type Handler = (req: {
  method: string;
  url: URL;
  body: string;
  headers: http.IncomingHttpHeaders;
}) => { status?: number; headers?: Record<string, string>; body?: unknown } | undefined;

/** A node:http server on 127.0.0.1 (port 0) answering with `handler`, with faults injected first. */
export async function fakeServer(handler: Handler): Promise<FakeServer> {
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      state.requests.push({ method: req.method!, url: req.url!, body, headers: req.headers });
      const i = state.faults.findIndex((f) => url.pathname.startsWith(f.path));
      if (i >= 0) {
        const [{ fault }] = state.faults.splice(i, 1);
        if (fault === '500') return res.writeHead(500).end('internal error');
        if (fault === 'hang') return void hanging.add(res);
        if (fault === 'cut') {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
          res.write('{"hits": {"hits": [{"_source": ');
          setTimeout(() => res.destroy(), 20);
          return;
        }
        if (fault === 'expire')
          return res
            .writeHead(404, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: { type: 'search_context_missing_exception', reason: 'No search context found' }, status: 404 }));
      }
      const out = handler({ method: req.method!, url, body, headers: req.headers }) ?? { status: 404, body: { error: 'not found' } };
      const text = typeof out.body === 'string' ? out.body : out.body === undefined ? '' : JSON.stringify(out.body);
      res
        .writeHead(out.status ?? 200, { 'content-type': typeof out.body === 'string' ? 'text/plain' : 'application/json', ...out.headers })
        .end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const state: FakeServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: [],
    faults: [],
    async close() {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  return state;
}

/**
 * An Elasticsearch index with a scroll API: `_search?scroll=` with a range query (gt/gte) on a dot-path
 * field, sorted on it; `/_search/scroll` pages through the stored context.
 */
export function elasticsearch(docs: () => object[], field: string, index = '/cvr-permanent/virksomhed'): Handler {
  const contexts = new Map<string, { hits: object[]; at: number; size: number }>();
  const get = (d: any) => field.split('.').reduce((v, k) => v?.[k], d);
  let n = 0;
  const page = (id: string) => {
    const c = contexts.get(id)!;
    const hits = c.hits.slice(c.at, c.at + c.size).map((s, i) => ({ _index: 'cvr-permanent', _id: String(c.at + i), _source: s }));
    c.at += c.size;
    return { _scroll_id: id, hits: { total: c.hits.length, hits } };
  };
  return ({ method, url, body }) => {
    if (method === 'POST' && url.pathname === `${index}/_search` && url.searchParams.get('scroll')) {
      const q = JSON.parse(body);
      const range = q.query?.range?.[field];
      const all = docs()
        .filter((d) => !range || (range.gt !== undefined ? get(d) > range.gt : get(d) >= range.gte))
        .sort((a, b) => (get(a) < get(b) ? -1 : get(a) > get(b) ? 1 : 0));
      const id = `scroll-${++n}`;
      contexts.set(id, { hits: all, at: 0, size: q.size });
      return { body: page(id) };
    }
    if (method === 'POST' && url.pathname === '/_search/scroll') {
      const { scroll_id } = JSON.parse(body);
      if (!contexts.has(scroll_id)) return { status: 404, body: { error: { type: 'search_context_missing_exception' } } };
      return { body: page(scroll_id) };
    }
    return undefined;
  };
}
