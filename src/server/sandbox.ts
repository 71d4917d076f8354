import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);
const dir = (pkg: string) => path.dirname(require.resolve(`${pkg}/package.json`));

/**
 * GraphiQL served by the hub itself from installed packages (React UMD builds and GraphiQL's
 * bundle), so the sandbox works with no internet access and no CDN.
 */
export function sandboxAssets(): Router {
  const router = express.Router();
  const files: Record<string, string> = {
    'react.js': path.join(dir('react'), 'umd/react.production.min.js'),
    'react-dom.js': path.join(dir('react-dom'), 'umd/react-dom.production.min.js'),
    'graphiql.js': path.join(dir('graphiql'), 'graphiql.min.js'),
    'graphiql.css': path.join(dir('graphiql'), 'graphiql.min.css'),
    'explorer.js': path.join(dir('@graphiql/plugin-explorer'), 'dist/index.umd.js'),
    'explorer.css': path.join(dir('@graphiql/plugin-explorer'), 'dist/style.css'),
  };
  for (const [name, file] of Object.entries(files)) {
    router.get(`/${name}`, (_req, res) => res.sendFile(file, { maxAge: '1h' }));
  }
  router.get('/favicon.svg', (_req, res) => res.type('image/svg+xml').set('Cache-Control', 'max-age=86400').send(FAVICON));
  return router;
}

const EXAMPLE = `# indgang: one graph of what the public sector knows about a company.
# Press the run button (or Ctrl-Enter); the docs pane describes every field.
# Companies in Herning with a hard-to-fill vacancy, most vacancies first:
{
  companies(filter: { municipality: "657", signals: [HARD_TO_FILL_VACANCY] }, orderBy: OPEN_VACANCIES_DESC, first: 5) {
    totalCount
    edges {
      node {
        cvr
        name
        situation {
          summary
          signals { kind severity message evidence { __typename } }
        }
        contacts(first: 3) { edges { node { date system organisation summary } } }
        coordination { activeActors followUpsDue { date system } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** A door ("indgang"): the sandbox's tab icon. */
const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1d4e89"/><rect x="10" y="6" width="12" height="22" rx="1" fill="#f4f1e8"/><circle cx="19" cy="18" r="1.5" fill="#1d4e89"/></svg>`;

/** The README's operations, one sandbox tab each (the first is the one above). */
const TABS: { query: string; variables?: string }[] = [
  { query: EXAMPLE },
  {
    query: `# One company from the register, by CVR (set it in Variables below).
query CompanyProfile($cvr: CVR!) {
  company(cvr: $cvr) {
    cvr name status founded
    legalForm { short long }
    address { street postcode city }
    municipality { code name region }
    industry { code title }
    employees { band bandLabel count year quarter }
    source { name syncedAt }
  }
}
`,
    variables: '{ "cvr": "" }',
  },
  {
    query: `# A company's recruitment, upskilling and growth situation in one request.
query CompanySituation($cvr: CVR!) {
  company(cvr: $cvr) {
    name
    situation { summary signals { kind severity message } }
    recruitment { openVacancies: vacancies(first: 5) { totalCount edges { node { title } } } }
    competenceMatch { needs { occupation { title } courses(first: 3) { course { number title } nextInstance { startsOn place { city } seatsLeft } } } }
  }
}
`,
    variables: '{ "cvr": "" }',
  },
  {
    query: `# The change feed for sync jobs: companies in change-sequence order, after the last cursor you kept.
query CompanyChanges($after: String) {
  companies(first: 50, after: $after, orderBy: CHANGE_SEQUENCE_ASC) {
    edges { cursor node { cvr name changeSequence } }
    pageInfo { hasNextPage endCursor }
  }
}
`,
  },
  {
    query: `# Companies several systems contacted in the last 30 days: where outreach overlaps.
{
  contactOverlaps(days: 30, first: 20) {
    edges { node { company { name } systems referred contacts { date system } } }
  }
}
`,
  },
];

export interface SandboxPageOptions {
  /** Link the schema file (/schema.graphql); off in production, where introspection needs admin. */
  schemaLink?: boolean;
}

export function sandboxPage(endpoint: string, opts: SandboxPageOptions = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>indgang sandbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" type="image/svg+xml" href="/sandbox/favicon.svg">
<link rel="stylesheet" href="/sandbox/graphiql.css">
<link rel="stylesheet" href="/sandbox/explorer.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }
#schema-link { position: fixed; right: 12px; bottom: 8px; z-index: 10; font: 12px sans-serif; color: #1d4e89; background: #fffc; padding: 2px 6px; border-radius: 4px; }</style>
</head>
<body>
<div id="graphiql">Loading the sandbox…</div>
${opts.schemaLink ? '<a id="schema-link" href="/schema.graphql" download="schema.graphql">Download schema.graphql</a>' : ''}
<script src="/sandbox/react.js"></script>
<script src="/sandbox/react-dom.js"></script>
<script src="/sandbox/graphiql.js"></script>
<script src="/sandbox/explorer.js"></script>
<script>
  const base = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
  // Outside production the server adds a stack trace to each error for API clients; the sandbox shows
  // what a person needs: the message, its code and the request id, not the stack dump.
  const readable = (e) => {
    const { stacktrace, ...extensions } = e.extensions || {};
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
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    // Headers (an API key: {"Authorization": "Bearer indgang_…"}) are kept in this browser's storage between visits.
    React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(EXAMPLE)}, defaultTabs: ${JSON.stringify(TABS)}, shouldPersistHeaders: true, plugins: [GraphiQLPluginExplorer.explorerPlugin()] })
  );
</script>
</body>
</html>`;
}
