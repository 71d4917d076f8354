import { defineConnector } from '../../src/connector.js';
import { insightsLoaders } from './loaders.js';
import * as m0001 from './migrations/0001_insights.js';
import * as m0002 from './migrations/0002_company_change.js';
import * as m0003 from './migrations/0003_webhooks.js';
import * as m0004 from './migrations/0004_change_order.js';
import * as m0005 from './migrations/0005_change_feed_filters.js';
import { resolvers } from './resolvers.js';
import { changeResolvers } from './changes/resolvers.js';

/**
 * What is derived across the sources: the merged contact timeline, company profiles with their
 * change sequence, signals and the competence match. Recomputed for exactly the companies a change
 * touches (derive/), inside that change's transaction; it has no ingest sources of its own.
 */
export const insights = defineConnector({
  folder: import.meta.url,
  name: 'insights',
  resolvers: { ...resolvers, Query: { ...resolvers.Query, ...changeResolvers.Query }, Mutation: { ...changeResolvers.Mutation } },
  migrations: {
    '0001_insights': m0001,
    '0002_company_change': m0002,
    '0003_webhooks': m0003,
    '0004_change_order': m0004,
    '0005_change_feed_filters': m0005,
  },
  sources: [],
  loaders: insightsLoaders,
});
