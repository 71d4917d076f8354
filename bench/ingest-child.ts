// Runs one ingest in its own process so the benchmark can read this process's peak RSS alone.
import { loadConfig } from '../src/config.js';
import { openHub } from '../src/hub.js';
import { sourceByName } from '../src/connectors.js';
import { runIngest } from '../src/ingest/pipeline.js';

const [source, file] = process.argv.slice(2);
const hub = await openHub(loadConfig());
const summary = await runIngest(hub.db, sourceByName(source!)!, { file: file! });
await hub.close();
process.stdout.write(
  JSON.stringify({ ...summary, touched: summary.touched.length, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n',
);
