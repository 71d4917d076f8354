import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { veu } from '../connectors/veu/index.js';
import type { DbHandle } from '../src/db/database.js';
import { createContext } from '../src/graphql/context.js';
import { subgraphSchema } from '../src/graphql/schema.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { ingestText } from './helpers/graph.js';
import { testCvr } from './helpers/cvr.js';

describe.each(dbTargets)('VEU as a federation subgraph on $name', (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await freshDatabase(target);
    await ingestText(h.db, 'amu-courses', 'nummer;titel;dage\n22906;MIG/MAG-svejsning;5\n');
    await ingestText(h.db, 'veu-enrolments', `cvr;kursusnummer;periode;deltagere\n${testCvr(1)};22906;2020-03;4\n`);
  });
  afterAll(async () => h?.close());

  it('builds on its own and resolves Company.upskilling from the key alone', async () => {
    const schema = subgraphSchema(veu);
    const r = await graphql({
      schema,
      contextValue: createContext(h.db),
      source: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Company { cvr upskilling {
        enrolments(from: "2019-06-01", to: "2021-12-31") { course { title } participants period } } } } }`,
      variableValues: { r: [{ __typename: 'Company', cvr: testCvr(1) }] },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      _entities: [
        { cvr: testCvr(1), upskilling: { enrolments: [{ course: { title: 'MIG/MAG-svejsning' }, participants: 4, period: '2020-03' }] } },
      ],
    });
  });
});
