import { defineConnector } from '../../src/connector.js';
import { enrolmentTimeline, providersByName } from './timeline.js';
import { writeVeuFiles } from './demo.js';
import { coursesSource } from './ingest/courses.js';
import { enrolmentsSource } from './ingest/enrolments.js';
import { instancesSource } from './ingest/instances.js';
import { providersSource } from './ingest/providers.js';
import { veuLoaders } from './loaders.js';
import * as m0001 from './migrations/0001_veu.js';
import * as m0002 from './migrations/0002_instance_details.js';
import { resolvers } from './resolvers.js';

/** VEU course supply: the AMU catalogue, planned instances, providers and companies' enrolments. */
export const veu = defineConnector({
  folder: import.meta.url,
  name: 'veu',
  resolvers,
  migrations: { '0001_veu': m0001, '0002_instance_details': m0002 },
  sources: [coursesSource, providersSource, instancesSource, enrolmentsSource],
  loaders: veuLoaders,
  demo: { files: (world, dir, rnd) => writeVeuFiles(world, dir, rnd) },
  timeline: [enrolmentTimeline],
  recognises: [providersByName],
  provenance: ['amu-courses', 'amu-instances', 'veu-enrolments'],
});
