import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useConnectors } from '../src/connector.js';
import { connectors, migrationsOf, sourceByName } from '../src/connectors.js';
import type { DbHandle } from '../src/db/database.js';
import { migrateAll } from '../src/db/migrate.js';
import { createContext } from '../src/graphql/context.js';
import { mergedSchema } from '../src/graphql/schema.js';
import { composeSupergraph } from '../src/graphql/supergraph.js';
import { runIngest } from '../src/ingest/pipeline.js';
import type { IngestSource } from '../src/ingest/types.js';
import { createApollo } from '../src/server/apollo.js';
import { example } from './fixtures/example-connector/index.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { dbTargets, freshDatabase } from './helpers/db.js';

// A new connector is its folder plus one line in the list: here the line is this spread.
const hub = [...connectors, example];
const COMPANY = testCvr(21);
const OTHER = testCvr(22);

const load = (db: DbHandle['db'], source: IngestSource<any>, text: string) =>
  runIngest(db, source, { file: `${source.name}.txt`, stream: Readable.from([Buffer.from(text)]) });

const QUERY = `query ($cvr: CVR!) { company(cvr: $cvr) { name exampleVisits
  contacts { totalCount edges { node { date system kind organisation summary sourceKey source { name } } } } } }`;

const VISITS = `cvr;dato;note\n${COMPANY};2026-02-03;Første besøg\n${COMPANY};2026-03-04;Opfølgning\n${COMPANY};3. marts;Forkert dato\n`;

describe.each(dbTargets)('an example connector registered with the hub on $name', (target) => {
  // The visits are loaded once, before the tests: the timeline test reads them, and the load test checks
  // that run and that loading a visit again changes nothing (so nothing the timeline test reads).
  let h: DbHandle;
  let visits: Awaited<ReturnType<typeof load>>;
  const apollo = () => createApollo(mergedSchema(hub), { production: false });
  const ask = async (cvr: string) => {
    const res = await apollo().executeOperation({ query: QUERY, variables: { cvr } }, { contextValue: createContext(h.db) });
    if (res.body.kind !== 'single') throw new Error('incremental delivery not expected');
    expect(res.body.singleResult.errors).toBeUndefined();
    return (res.body.singleResult.data as any).company;
  };

  // Migrating every schema on a busy machine can take minutes: the hook may wait; no assertion is timed.
  beforeAll(async () => {
    useConnectors(hub);
    h = await freshDatabase(target);
    await migrateAll(h.db, migrationsOf(hub));
    const cvr = await load(h.db, sourceByName('cvr')!, ndjson([vrv({ cvr: COMPANY, name: 'Eksempel ApS' }), vrv({ cvr: OTHER })]));
    expect(cvr.status).toBe('succeeded');
    visits = await load(h.db, example.sources[0]!, VISITS);
  }, 600_000);

  afterAll(async () => {
    useConnectors(connectors);
    await h?.close();
  });

  it('is part of the merged graph and composes into the supergraph', () => {
    expect(mergedSchema(hub).getType('Company')?.toConfig()).toHaveProperty('fields.exampleVisits');
    expect(mergedSchema(connectors).getType('Company')?.toConfig()).not.toHaveProperty('fields.exampleVisits');
    const supergraph = composeSupergraph(hub.map((connector) => ({ connector, url: `http://${connector.name}:4000/graphql` })));
    expect(supergraph).toContain('exampleVisits: Int! @join__field(graph: EXAMPLE)');
  });

  it('loads its source through the real pipeline, rejecting bad rows with the reason', async () => {
    expect(visits).toMatchObject({ status: 'succeeded', inserted: 2, rejected: 1 });
    const again = await load(h.db, example.sources[0]!, `cvr;dato;note\n${COMPANY};2026-02-03;Første besøg\n`);
    expect(again).toMatchObject({ status: 'succeeded', inserted: 0, unchanged: 1 });
  });

  it('serves its field, and its rows are on the company timeline among the other connectors', async () => {
    const company = await ask(COMPANY);
    expect(company.name).toBe('Eksempel ApS');
    expect(company.exampleVisits).toBe(2);
    expect(company.contacts.totalCount).toBe(2);
    expect(company.contacts.edges.map((e: any) => e.node)).toEqual([
      {
        date: '2026-03-04',
        system: 'JOBCENTRE',
        kind: 'MEETING',
        organisation: 'Example organisation',
        summary: 'Opfølgning',
        sourceKey: `${COMPANY}|2026-03-04`,
        source: { name: 'example-visits' },
      },
      {
        date: '2026-02-03',
        system: 'JOBCENTRE',
        kind: 'MEETING',
        organisation: 'Example organisation',
        summary: 'Første besøg',
        sourceKey: `${COMPANY}|2026-02-03`,
        source: { name: 'example-visits' },
      },
    ]);
    const other = await ask(OTHER);
    expect(other).toMatchObject({ exampleVisits: 0, contacts: { totalCount: 0 } });
  });
});
