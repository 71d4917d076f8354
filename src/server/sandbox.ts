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
  };
  for (const [name, file] of Object.entries(files)) {
    router.get(`/${name}`, (_req, res) => res.sendFile(file, { maxAge: '1h' }));
  }
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

export function sandboxPage(endpoint: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>indgang sandbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/sandbox/graphiql.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading the sandbox…</div>
<script src="/sandbox/react.js"></script>
<script src="/sandbox/react-dom.js"></script>
<script src="/sandbox/graphiql.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(EXAMPLE)}, shouldPersistHeaders: false })
  );
</script>
</body>
</html>`;
}
