// The layering (docs/architecture.md), checked by `npm run lint:layers`:
//   platform  src/ (db, ingest toolkit, GraphQL plumbing, codes, config, security, sync, observability, demo helpers)
//   app       src/connectors.ts, src/hub.ts, src/cli/, src/server/, src/demo/{generate,load}.ts
//   connectors connectors/<name>/: import the platform, never the app, never each other.
// No import breaks them (a rule one connector owns and another reuses is declared: src/rules.ts).
const APP = '^src/(connectors|hub)[.]ts$|^src/(cli|server)/|^src/demo/(generate|load)[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'platform-not-to-connectors',
      severity: 'error',
      comment:
        "The platform never imports connectors/: it reaches them through the connector list the app hands it (useConnectors) and their declarations (declaration merging for Loaders and Database). src/generated is the composed graph's types, generated from every connector's schema.mappers.ts.",
      from: { path: '^src/', pathNot: [APP, '^src/generated/'] },
      to: { path: '^connectors/' },
    },
    {
      name: 'platform-not-to-app',
      severity: 'error',
      comment: 'The platform does not know the app that composes it.',
      from: { path: '^src/', pathNot: APP },
      to: { path: APP },
    },
    {
      name: 'connectors-not-to-app',
      severity: 'error',
      comment: 'A connector is composed by the app, it does not import it.',
      from: { path: '^connectors/' },
      to: { path: APP },
    },
    {
      name: 'connectors-not-to-each-other',
      severity: 'error',
      comment:
        "A connector imports the platform, never another connector: it reaches other connectors' data through federation references and declared contributions (src/timeline.ts).",
      from: { path: '^connectors/([^/]+)/' },
      to: { path: '^connectors/', pathNot: '^connectors/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // TypeScript 7 has no compiler API for dependency-cruiser to parse with: swc parses the .ts files
    // (type-only imports included); .js specifiers resolve to the .ts beside them.
    parser: 'swc',
    exclude: { path: '^(node_modules|dist)/' },
  },
};
