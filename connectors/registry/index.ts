import { defineConnector } from '../../src/connector.js';
import { demoCompanies, writeCvrFile } from './demo.js';
import { readCodeList } from '../../src/codes/lists.js';
import { cvrSource } from './ingest/cvr.js';
import { registryLoaders } from './loaders.js';
import * as m0001 from './migrations/0001_company.js';
import * as m0002 from './migrations/0002_production_units.js';
import * as m0003 from './migrations/0003_name_key.js';
import * as m0004 from './migrations/0004_no_care_of.js';
import { prefetch } from './prefetch.js';
import { resolvers } from './resolvers.js';

/** The CVR register: companies, their addresses, industries, size and production units. */
export const registry = defineConnector({
  folder: import.meta.url,
  name: 'registry',
  resolvers,
  migrations: { '0001_company': m0001, '0002_production_units': m0002, '0003_name_key': m0003, '0004_no_care_of': m0004 },
  sources: [cvrSource],
  loaders: registryLoaders,
  prefetch,
  demo: {
    seedName: 'cvr',
    companies: demoCompanies,
    files: (world, dir, rnd) => [
      writeCvrFile(
        world.companies,
        new Map(readCodeList<{ code: string; title: string }>('codes/db07.csv').map((r) => [r.code, r.title])),
        dir,
        rnd,
      ),
    ],
  },
  provenance: ['cvr'],
});
