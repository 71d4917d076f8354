import { defineConnector } from '../../src/connector.js';
import { jobOrderTimeline, measureTimeline } from './timeline.js';
import { writeJobcentreFiles } from './demo.js';
import { balanceSource, layoffsSource, measuresSource, supplySource } from './ingest/aggregates.js';
import { jobOrdersSource } from './ingest/joborders.js';
import { jobnetFullSource, jobnetSource } from './ingest/jobnet.js';
import { jobcentreLoaders } from './loaders.js';
import * as m0001 from './migrations/0001_jobcentre.js';
import * as m0002 from './migrations/0002_vacancy_occupation.js';
import * as m0003 from './migrations/0003_jobnet_as_published.js';
import { prefetch } from './prefetch.js';
import { resolvers } from './resolvers.js';
import { openVacancy, vacancyLapsesOn } from './store.js';

/** The employment system: job ads, job orders, company-directed measures, layoff notices, labour-market balance. */
export const jobcentre = defineConnector({
  folder: import.meta.url,
  name: 'jobcentre',
  resolvers,
  migrations: { '0001_jobcentre': m0001, '0002_vacancy_occupation': m0002, '0003_jobnet_as_published': m0003 },
  sources: [jobnetSource, jobnetFullSource, jobOrdersSource, measuresSource, layoffsSource, supplySource, balanceSource],
  loaders: jobcentreLoaders,
  demo: { files: writeJobcentreFiles },
  timeline: [jobOrderTimeline, measureTimeline],
  provenance: ['jobnet', 'joborders', 'measures', 'layoffs', 'supply', 'balance'],
  rules: { openVacancy, vacancyLapsesOn },
  prefetch,
});
