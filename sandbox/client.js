// The sandbox page's script, bundled by src/server/sandbox-bundle.ts with esbuild (no CDN: every module,
// Monaco's web workers and fonts come from node_modules and are served by the hub under /sandbox/).
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';

// Monaco runs its language services in workers; each is a separate bundle next to this one.
globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    const name = label === 'json' ? 'json' : label === 'graphql' ? 'graphql' : 'editor';
    return new Worker(`/sandbox/${name}.worker.js`);
  },
};

// The server writes the endpoint and the README's operations into the page as JSON.
const config = JSON.parse(document.getElementById('sandbox-config').textContent);
const base = createGraphiQLFetcher({ url: config.endpoint });
// Outside production the server adds a stack trace to each error for API clients; the sandbox shows
// what a person needs: the message, its code and the request id, not the stack dump.
const readable = (e) => {
  const { stacktrace: _stacktrace, ...extensions } = e.extensions || {};
  return { ...e, extensions };
};
const clean = (r) => (r && Array.isArray(r.errors) ? { ...r, errors: r.errors.map(readable) } : r);
const fetcher = async (params, opts) => {
  const r = await base(params, opts);
  // GraphiQL's fetcher answers with an async iterable (incremental delivery) or one result.
  if (r && typeof r[Symbol.asyncIterator] === 'function') {
    return (async function* () {
      for await (const part of r) yield clean(part);
    })();
  }
  return clean(r);
};

createRoot(document.getElementById('graphiql')).render(
  // Headers (an API key: {"Authorization": "Bearer indgang_…"}) are kept in this browser's storage between visits.
  createElement(GraphiQL, {
    fetcher,
    defaultQuery: config.tabs[0].query,
    defaultTabs: config.tabs,
    shouldPersistHeaders: true,
    plugins: [explorerPlugin()],
  }),
);
