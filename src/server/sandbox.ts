import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { PREBUILT_DIR, sandboxBundleDir } from './sandbox-bundle.js';

/**
 * GraphiQL served by the hub itself: GraphiQL 5 with its Monaco editor, bundled from installed packages by
 * esbuild (see sandbox-bundle.ts), so the sandbox works with no internet access and no CDN. Its files are
 * served under /sandbox/.
 */
export async function sandboxAssets(app: FastifyInstance): Promise<void> {
  // Start bundling now (a few seconds, once per install); asset requests wait for it.
  const dir = sandboxBundleDir();
  dir.catch((err) => console.error('the sandbox bundle failed to build:', err));
  // Files only through sendFile below, from the bundle's folder once it is known (the root is a placeholder).
  await app.register(fastifyStatic, { root: PREBUILT_DIR, serve: false });
  app.get('/sandbox/favicon.svg', (_request, reply) => reply.type('image/svg+xml').header('cache-control', 'max-age=86400').send(FAVICON));
  app.get<{ Params: { '*': string } }>('/sandbox/*', async (request, reply) =>
    reply.sendFile(request.params['*'], await dir, { maxAge: 3_600_000 }),
  );
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
  // JSON inside <script>: escape "<" so no value can close the element.
  const config = JSON.stringify({ endpoint, tabs: TABS }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>indgang sandbox · GraphiQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" type="image/svg+xml" href="/sandbox/favicon.svg">
<link rel="stylesheet" href="/sandbox/sandbox.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }
#schema-link { position: fixed; right: 12px; bottom: 8px; z-index: 10; font: 12px sans-serif; color: #1d4e89; background: #fffc; padding: 2px 6px; border-radius: 4px; }</style>
</head>
<body>
<div id="graphiql">Loading the sandbox…</div>
${opts.schemaLink ? '<a id="schema-link" href="/schema.graphql" download="schema.graphql">Download schema.graphql</a>' : ''}
<script id="sandbox-config" type="application/json">${config}</script>
<script type="module" src="/sandbox/sandbox.js"></script>
</body>
</html>`;
}
