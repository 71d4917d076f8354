#!/usr/bin/env node
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Command, InvalidArgumentError } from 'commander';
import type { DbHandle } from '../db/database.js';
import type { Connector } from '../connector.js';
import type { SecurityCommand } from './security-commands.js';
import { cvrProblem } from '../codes/cvr.js';
import { ALL_SCOPES } from '../security/scopes.js';

// Each command loads only the modules it needs, when it runs: `indgang --help` or `callers add` must not pay
// for Apollo, every connector and the embedded database (seconds of CPU on a busy machine).
const config = async () => (await import('../config.js')).loadConfig();
const openHub = async (...args: Parameters<typeof import('../hub.js').openHub>) => (await import('../hub.js')).openHub(...args);
const logger = async () => (await import('../logger.js')).logger;
const terminalProgress = async (label: string) => (await import('./progress.js')).terminalProgress(label);
const connectorList = async () => (await import('../connectors.js')).connectors;

const DEMO_COMPANIES = 2000;

// Set here rather than on process.exitCode: PGlite's runtime resets process.exitCode when it closes.
let exitCode = 0;
let keepRunning = false;

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
};

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const program = new Command('indgang')
  .description('One GraphQL entry point to what the public sector knows about a company (CVR, jobcentres, business advice, VEU).')
  .version(version, '-V, --version', 'print the version')
  .showHelpAfterError()
  // Usage errors (unknown command or option, bad value) exit with 2, failures with 1; help and --version with 0.
  .exitOverride((e) => {
    process.exit(
      e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : e.exitCode === 0 ? 0 : 2,
    );
  });

program
  .command('serve')
  .description('serve the graph and its sandbox; on an empty embedded database, load the demo data first')
  .option('--subgraph <name>', 'serve only this connector, as an Apollo Federation 2 subgraph (distributed mode)')
  .action(async (opts: { subgraph?: string }) => {
    const logger = await loggerNow();
    // The first line comes before the slow part (loading the graph's modules), so a start is never silent.
    logger.info({ phase: 'starting' }, 'starting: loading the server modules');
    const config = await loadConfigNow();
    const connector = opts.subgraph ? await connectorByName(opts.subgraph) : undefined;
    const [
      { gatewayKey },
      { openHub: openTheHub },
      { isEmpty, loadDemo },
      { formatSummary },
      { keepInsightsCurrent },
      { keepAccessLogPruned },
      { mergedSchema, subgraphSchema },
      { clientAuthenticator },
      { startHttpServer },
      { serveAdminSocket },
      { startSyncWorker },
      { connectors },
    ] = await Promise.all([
      import('../security/gateway-trust.js'),
      import('../hub.js'),
      import('../demo/load.js'),
      import('../ingest/pipeline.js'),
      import('../../connectors/insights/schedule.js'),
      import('../security/callers.js'),
      import('../graphql/schema.js'),
      import('../security/authenticate.js'),
      import('../server/http.js'),
      import('./admin-socket.js'),
      import('./sync-commands.js'),
      import('../connectors.js'),
    ]);
    // A subgraph trusts only its gateway's signed assertions; the hub authenticates clients itself.
    const trust = connector ? gatewayKey(config.gatewaySecret) : undefined;
    logger.info({ phase: 'migrating' }, 'migrating: opening the database and bringing every schema up to date');
    const hub = await openTheHub(config);
    logger.info({ database: hub.kind, target: hub.target }, 'database ready');
    if (!connector && !config.databaseUrl && (await isEmpty(hub.db))) {
      logger.info({ companies: DEMO_COMPANIES }, 'empty embedded database: loading demo data for Region Midtjylland');
      const { terminalProgress } = await import('./progress.js');
      const progress = (src: string, n: number, of: number) => {
        logger.info({ phase: 'loading', source: src, n, of }, `loading demo source ${n} of ${of}: ${src}`);
        return terminalProgress(src);
      };
      for (const s of await loadDemo(hub.db, { companies: DEMO_COMPANIES }, progress)) console.error(formatSummary(s));
    }
    // The merged graph and the insights subgraph serve derived data: keep it current with the date.
    if (!connector || connector.name === 'insights')
      logger.info({ phase: 'deriving' }, 'deriving: bringing the insights current with today');
    const stopRefresh = !connector || connector.name === 'insights' ? await keepInsightsCurrent(hub.db) : () => {};
    const stopPrune = keepAccessLogPruned(hub.db, config.accessLogDays);
    const schema = connector ? subgraphSchema(connector) : mergedSchema(connectors);
    const auth: import('../server/http.js').ServerAuth = trust
      ? { kind: 'gateway', key: trust }
      : {
          kind: 'client',
          authenticate: clientAuthenticator({
            db: hub.db,
            required: config.authRequired,
            tokens: config.tokens,
            keyCacheMs: config.keyCacheSeconds * 1000,
          }),
        };
    const server = await startHttpServer({
      schema,
      db: hub.db,
      port: config.port,
      production: config.production,
      sandbox: config.sandbox && !connector,
      auth,
      servedBy: connector?.name ?? 'hub',
      requestTimeoutMs: config.requestTimeoutMs,
      defaultRateLimit: config.defaultRateLimit,
      corsOrigins: config.corsOrigins,
      drainDelayMs: config.drainSeconds * 1000,
    });
    // Callers and the access log stay manageable from the command line while this process holds the embedded database.
    const stopAdmin = config.databaseUrl ? async () => {} : await serveAdminSocket(hub.db, config.dataDir);
    // Sync lag on /metrics from the shared sync state, whether or not this process runs the worker.
    const [{ watchSyncLag }, { configuredSyncs }, { syncLags }] = await Promise.all([
      import('../observability/metrics.js'),
      import('../sync/freshness.js'),
      import('../sync/status.js'),
    ]);
    const unwatchLag = watchSyncLag(() => syncLags(hub.db, configuredSyncs()));
    // Scheduled syncs: the scheduler and a worker run here unless INDGANG_WORKER=0.
    const syncWorker = connector || process.env.INDGANG_WORKER === '0' ? null : await startSyncWorker(hub.db, config.databaseUrl);
    logger.info(
      {
        phase: 'serving',
        url: server.url,
        subgraph: connector?.name,
        sandbox: config.sandbox && !connector,
        authRequired: connector ? 'gateway' : config.authRequired,
        tokens: config.tokens?.issuer ?? null,
      },
      'indgang is serving',
    );
    keepRunning = true;
    onSignal(async () => {
      stopRefresh();
      stopPrune();
      unwatchLag();
      await syncWorker?.stop();
      await stopAdmin();
      await server.stop();
      await hub.close();
    });
  });

interface SubgraphArg {
  name: string;
  url: string;
}
const subgraphList = (value: string, previous: SubgraphArg[] = []) => {
  const [name, url] = value.split('=');
  if (!name || !url) throw new InvalidArgumentError('expected <connector>=<url>, e.g. registry=http://localhost:4001/graphql');
  return [...previous, { name, url }];
};
// Connector names are checked when the command runs, so parsing the arguments loads no connector.
const subgraphs = async (list: SubgraphArg[]) =>
  Promise.all(list.map(async (s) => ({ connector: await connectorByName(s.name), url: s.url })));

program
  .command('gateway')
  .description('serve the graph through a federation gateway over subgraphs started with serve --subgraph (distributed mode)')
  .requiredOption('--subgraph <name=url>', 'a subgraph and its URL; repeat for each', subgraphList)
  .action(async (opts: { subgraph: SubgraphArg[] }) => {
    const config = await loadConfigNow();
    const list = await subgraphs(opts.subgraph);
    const [{ gatewayKey }, { openDatabase }, { trustedGateway }, { clientAuthenticator }, { startHttpServer }, logger] = await Promise.all([
      import('../security/gateway-trust.js'),
      import('../db/database.js'),
      import('../server/gateway.js'),
      import('../security/authenticate.js'),
      import('../server/http.js'),
      loggerNow(),
    ]);
    const key = gatewayKey(config.gatewaySecret);
    // API keys live in the hub database; without DATABASE_URL the gateway accepts tokens only.
    const keys = config.databaseUrl
      ? await openDatabase({
          databaseUrl: config.databaseUrl,
          poolSize: 4,
          connectTimeoutMs: config.dbConnectTimeoutMs,
          preparedStatements: config.preparedStatements,
        })
      : undefined;
    const gateway = trustedGateway(list, key);
    const authenticate = clientAuthenticator({
      db: keys?.db,
      required: config.authRequired,
      tokens: config.tokens,
      keyCacheMs: config.keyCacheSeconds * 1000,
    });
    const server = await startHttpServer({
      schema: gateway,
      port: config.port,
      production: config.production,
      sandbox: config.sandbox,
      auth: { kind: 'client', authenticate },
      requestTimeoutMs: config.requestTimeoutMs,
      defaultRateLimit: config.defaultRateLimit,
      corsOrigins: config.corsOrigins,
      drainDelayMs: config.drainSeconds * 1000,
    });
    logger.info(
      {
        phase: 'serving',
        url: server.url,
        subgraphs: list.map((s) => s.url),
        apiKeys: Boolean(keys),
        tokens: config.tokens?.issuer ?? null,
      },
      'indgang gateway is serving',
    );
    keepRunning = true;
    onSignal(async () => {
      await server.stop();
      await keys?.close();
    });
  });

program
  .command('supergraph')
  .description('print the composed supergraph SDL for a federation gateway of your choice (e.g. Hive Gateway)')
  .requiredOption('--subgraph <name=url>', 'a subgraph and its URL; repeat for each', subgraphList)
  .action(async (opts: { subgraph: SubgraphArg[] }) => {
    const { composeSupergraph } = await import('../graphql/supergraph.js');
    process.stdout.write(composeSupergraph(await subgraphs(opts.subgraph)));
  });

program
  .command('ingest')
  .description('load a source file (or - for standard input) through its ingest adapter')
  .argument('[file]', 'file to read, or - for standard input')
  .option('-s, --source <name>', 'ingest source (see --list)')
  .option('-l, --list', 'list the sources and their formats')
  .option('--course <number>', 'amu-instances: the AMU course number of a course-search answer (its subject_code)')
  .action(async (file: string | undefined, opts: { source?: string; list?: boolean; course?: string }) => {
    const { allSources, sourceByName } = await import('../connectors.js');
    if (opts.list) {
      for (const s of allSources) console.log(`${s.name.padEnd(16)} ${s.connector.padEnd(12)} ${s.summary}\n${indent(s.format)}\n`);
      return;
    }
    if (!opts.source || !file) throw new InvalidArgumentError('give --source <name> and a file (or -); see indgang ingest --list');
    const source = sourceByName(opts.source);
    if (!source) throw new InvalidArgumentError(`unknown source "${opts.source}"; known: ${allSources.map((s) => s.name).join(', ')}`);
    const options = { course: opts.course };
    for (const [name, value] of Object.entries(options)) {
      if (value !== undefined && !source.options?.[name]) throw new InvalidArgumentError(`--${name} is not an option of ${source.name}`);
    }
    if (opts.course !== undefined && !/^\d{5}$/.test(opts.course))
      throw new InvalidArgumentError(`--course ${opts.course}: an AMU course number is 5 digits`);
    const { runIngest, formatSummary } = await import('../ingest/pipeline.js');
    const progress = await terminalProgress(source.name);
    await withHub(async (hub) => {
      const summary = await runIngest(hub.db, source, { file, options }, progress);
      // A failed run's summary (with its error) goes to standard error, like every failure.
      if (summary.status === 'failed') {
        console.error(formatSummary(summary));
        exitCode = 1;
      } else console.log(formatSummary(summary));
    });
  });

program
  .command('runs')
  .description('show recent ingest runs')
  .option('-n, --limit <n>', 'how many', int, 20)
  .option('--json', 'as JSON (an array, newest first)')
  .action(async (opts: { limit: number; json?: boolean }) => {
    const { listRuns } = await import('../ingest/runs.js');
    await withHub(async (hub) => {
      const runs = await listRuns(hub.db, opts.limit);
      if (opts.json) {
        console.log(JSON.stringify(runs, null, 2));
        return;
      }
      if (runs.length === 0) console.log('no runs yet');
      for (const r of runs) {
        const notes = Object.entries(r.notes ?? {})
          .map(([k, v]) => ` ${k}=${v}`)
          .join('');
        console.log(
          `${String(r.id).padStart(5)} ${r.source.padEnd(14)} ${r.status.padEnd(9)} ${r.started_at.toISOString()} read=${r.read} inserted=${r.inserted} updated=${r.updated} unchanged=${r.unchanged} rejected=${r.rejected}${notes}  ${r.file}${r.error ? `\n      error: ${r.error}` : ''}`,
        );
      }
    });
  });

program
  .command('rejects')
  .description('show rejected records with file, line and reason')
  .option('-r, --run <id>', 'only this run', int)
  .option('-n, --limit <n>', 'how many', int, 100)
  .option('--json', 'as JSON (an array)')
  .action(async (opts: { run?: number; limit: number; json?: boolean }) => {
    const { listRejects } = await import('../ingest/runs.js');
    await withHub(async (hub) => {
      const rejects = await listRejects(hub.db, opts.run, opts.limit);
      if (opts.json) {
        console.log(JSON.stringify(rejects, null, 2));
        return;
      }
      if (rejects.length === 0) console.log('no rejects');
      for (const r of rejects)
        console.log(`run ${r.run_id} ${r.file} ${r.position}: ${r.reason}\n    ${r.raw.length > 300 ? `${r.raw.slice(0, 300)}…` : r.raw}`);
    });
  });

const demo = program.command('demo').description('demo data for Region Midtjylland');
demo
  .command('generate')
  .description('write deterministic source-format files')
  .option('-c, --companies <n>', 'number of companies', int, DEMO_COMPANIES)
  .requiredOption('-o, --out <dir>', 'output folder')
  .option('--seed <seed>', 'random seed')
  .option('--today <date>', 'reference day (yyyy-mm-dd) for dated records')
  .action(async (opts: { companies: number; out: string; seed?: string; today?: string }) => {
    const { generateDemo } = await import('../demo/generate.js');
    const { files } = generateDemo({ companies: opts.companies, outDir: opts.out, seed: opts.seed, today: opts.today });
    for (const f of files) console.log(`${f.source.padEnd(16)} ${f.file}`);
  });
demo
  .command('load')
  .description('generate the demo files and load them through the ingest adapters')
  .option('-c, --companies <n>', 'number of companies', int, DEMO_COMPANIES)
  .option('--seed <seed>', 'random seed')
  .action(async (opts: { companies: number; seed?: string }) => {
    const [{ loadDemo }, { formatSummary }, { terminalProgress }] = await Promise.all([
      import('../demo/load.js'),
      import('../ingest/pipeline.js'),
      import('./progress.js'),
    ]);
    await withHub(async (hub) => {
      for (const s of await loadDemo(hub.db, { companies: opts.companies, seed: opts.seed }, (src) => terminalProgress(src))) {
        if (s.status === 'failed') {
          console.error(formatSummary(s));
          exitCode = 1;
        } else console.log(formatSummary(s));
      }
    });
  });

const insightsCommand = program
  .command('insights')
  .description('the data derived across sources: timeline, profiles, signals, competence match');
insightsCommand
  .command('rebuild')
  .description('derive every company again from every source (after changing thresholds.json, or to repair)')
  .action(async () => {
    const { rebuildInsights } = await import('../../connectors/insights/derive/index.js');
    await withHub(async (hub) => {
      const r = await rebuildInsights(hub.db);
      console.log(`insights rebuilt for ${r.companies} companies in ${r.seconds.toFixed(1)}s`);
    });
  });
insightsCommand
  .command('refresh')
  .description('derive again the companies whose facts changed with the date (serve does this every hour)')
  .action(async () => {
    const { refreshInsights } = await import('../../connectors/insights/derive/index.js');
    await withHub(async (hub) => {
      const r = await refreshInsights(hub.db);
      console.log(
        r
          ? `insights refreshed for ${r.companies} companies in ${r.seconds.toFixed(1)}s`
          : 'another process is refreshing the insights; nothing done',
      );
    });
  });

const collect = (value: string, previous: string[] = []) => [...previous, value];

const callersCommand = program.command('callers').description('systems allowed to call the graph, with API keys, scopes and organisations');
callersCommand
  .command('add')
  .description('add a caller and print its new API key, alone on standard output, once (only a hash is kept)')
  .requiredOption('--name <name>', 'a name for the caller, e.g. herning-jc (never reused)')
  .option('--organisation <name>', 'an organisation it writes contacts for, e.g. "Jobcenter Herning"; repeat for more', collect, [])
  .requiredOption('--scopes <list>', `comma-separated scopes: ${ALL_SCOPES.join(', ')}`)
  .option('--rate-limit <points>', 'cost points per minute (enforced by the limits)', int)
  .action((opts: { name: string; organisation: string[]; scopes: string; rateLimit?: number }) =>
    securityCommand({ name: 'callers-add', opts }),
  );
callersCommand
  .command('list')
  .description('list the callers (never their keys)')
  .option('--json', 'as JSON')
  .action((opts: { json?: boolean }) => securityCommand({ name: 'callers-list', opts }));
callersCommand
  .command('revoke')
  .description("revoke a caller's API key for good; its requests get 401 from then on")
  .argument('<name>', 'the caller')
  .action((name: string) => securityCommand({ name: 'callers-revoke', opts: { name } }));

const cvrOption = (v: string) => {
  const problem = cvrProblem(v);
  if (problem) throw new InvalidArgumentError(`${v} is not a valid CVR: ${problem}`);
  return v;
};
const dateOption = async (v: string) => {
  const { scalarChecks } = await import('../graphql/scalars.js');
  const problem = scalarChecks.Date!(v);
  if (problem) throw new InvalidArgumentError(`${v}: ${problem}`);
  return v;
};

program
  .command('access-log')
  .description('who read contact entries or the names of consultants and advisors, newest first')
  .option('--cvr <cvr>', 'only requests that returned such data for this company')
  .option('--caller <name>', 'only this caller')
  .option('--since <date>', 'only from this day (yyyy-mm-dd, UTC)')
  .option('-n, --limit <n>', 'how many', int, 100)
  .option('--json', 'as JSON')
  .action(async (opts: { cvr?: string; caller?: string; since?: string; limit: number; json?: boolean }) => {
    // Checked here rather than by commander, so a bad value is a usage error (exit code 2) like the others.
    if (opts.cvr) cvrOption(opts.cvr);
    if (opts.since) await dateOption(opts.since);
    return securityCommand({ name: 'access-log', opts });
  });

const codesCommand = program.command('codes').description('code lists: occupation labels of loaded job ads that map to no DISCO-08 code');
codesCommand
  .command('unmapped')
  .description('occupation labels of loaded job ads that map to no DISCO-08 code, with how many ads carry each, most frequent first')
  .option('--json', 'print a JSON array of {label, count}')
  .option('-n, --limit <n>', 'how many labels (0: all)', int, 100)
  .action(async (opts: { json?: boolean; limit: number }) => {
    const { unmappedOccupationLabels } = await import('../../connectors/jobcentre/store.js');
    await withHub(async (hub) => {
      const labels = await unmappedOccupationLabels(hub.db, { limit: opts.limit || 2 ** 31 - 1, after: null });
      if (opts.json) {
        console.log(JSON.stringify(labels, null, 2));
        return;
      }
      if (labels.length === 0) console.log('every occupation label of the loaded ads maps to a DISCO-08 code');
      for (const l of labels) console.log(`${String(l.count).padStart(7)}  ${l.label}`);
      if (labels.length)
        console.error('map a label by adding a "label,disco" row to data/codes/occupation-labels.csv, then run: indgang codes remap');
    });
  });
codesCommand
  .command('remap')
  .description('map the stored job ads and job orders again after data/codes/occupation-labels.csv or esco-disco.csv changed')
  .action(async () => {
    const { remapOccupations } = await import('../../connectors/jobcentre/remap.js');
    await withHub(async (hub) => {
      const r = await remapOccupations(hub.db);
      console.log(
        `run ${r.runId} codes-remap succeeded: looked up=${r.looked} vacancies changed=${r.vacancies} job orders changed=${r.jobOrders} in ${r.seconds.toFixed(1)}s`,
      );
    });
  });

const syncCommand = program
  .command('sync')
  .description('scheduled syncs from the source systems (INDGANG_SYNC_CONFIG, default sync.config.json)');
// `list` and `status` print the same table: the configured syncs with their state.
const listSyncs = async (opts: { json?: boolean }) => {
  const { syncList } = await import('./sync-commands.js');
  await withHub(async (hub) => {
    exitCode = await syncList(hub.db, opts);
  });
};
syncCommand
  .command('list')
  .description('every configured sync: source, fetch kind, schedule, last run, cursor, next run')
  .option('--json', 'as JSON')
  .action(listSyncs);
syncCommand
  .command('status')
  .description('the state of every sync (exit code 1 when one failed last)')
  .option('--json', 'as JSON')
  .action(listSyncs);
syncCommand
  .command('run <name>')
  .description('run one sync now: queued for a worker on Postgres, run here on the embedded database')
  .option('--here', 'run it in this process even on Postgres')
  .action(async (name: string, opts: { here?: boolean }) => {
    const config = await loadConfigNow();
    const { syncRun } = await import('./sync-commands.js');
    await withHub(async (hub) => {
      exitCode = await syncRun(hub.db, name, { databaseUrl: config.databaseUrl, here: opts.here });
    });
  });

program
  .command('worker')
  .description('run queued and scheduled sync jobs (several workers never run the same job twice)')
  .action(async () => {
    const config = await loadConfigNow();
    const { startSyncWorker } = await import('./sync-commands.js');
    const hub = await openHub(config);
    const worker = await startSyncWorker(hub.db, config.databaseUrl);
    if (!worker) {
      await hub.close();
      exitCode = 2;
      console.error('indgang: no syncs to run (see the log for a wrong configuration)');
      return;
    }
    keepRunning = true;
    onSignal(async () => {
      await worker.stop();
      await hub.close();
    });
  });

program
  .command('migrate')
  .description('bring every connector schema up to date (serve does this too)')
  .action(async () => {
    const hub = await openHub(await loadConfigNow());
    await hub.close();
    console.log('migrations up to date');
  });

/**
 * Runs a command on callers or the access log. While a server holds the embedded database, the server
 * runs it, over the admin socket in its data folder.
 */
async function securityCommand(cmd: SecurityCommand): Promise<void> {
  const config = await loadConfigNow();
  const [{ HubInUse }, { adminSocketPath, sendAdminCommand }, { runSecurityCommand, terminal }] = await Promise.all([
    import('../hub.js'),
    import('./admin-socket.js'),
    import('./security-commands.js'),
  ]);
  let hub: DbHandle;
  try {
    hub = await openHub(config);
  } catch (e) {
    if (!(e instanceof HubInUse) || !fs.existsSync(adminSocketPath(config.dataDir))) throw e;
    const r = await sendAdminCommand(config.dataDir, cmd);
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    exitCode = r.code;
    return;
  }
  try {
    exitCode = await runSecurityCommand(hub.db, cmd, terminal);
  } finally {
    await hub.close();
  }
}

/** Opens the configured database for one command and always closes it (releasing the embedded lock). */
async function withHub(work: (hub: DbHandle) => Promise<void>): Promise<void> {
  const hub = await openHub(await loadConfigNow());
  try {
    await work(hub);
  } finally {
    await hub.close();
  }
}

async function connectorByName(name: string): Promise<Connector> {
  const connectors = await connectorList();
  const c = connectors.find((x) => x.name === name);
  if (!c) throw new InvalidArgumentError(`unknown connector "${name}"; known: ${connectors.map((x) => x.name).join(', ')}`);
  return c;
}

async function loadConfigNow() {
  return config();
}

async function loggerNow() {
  return logger();
}

/** A long-running process (serve, gateway, worker): stops cleanly on a signal, and outlives a stray rejection. */
function onSignal(stop: () => Promise<void>): void {
  // graphql-js 16 abandons the other items' promises when one item of a non-null list fails synchronously
  // (the request deadline does that): their later rejections are unhandled, and Node would exit on them,
  // taking every other request down. The request already answered with its error; log the stray one and go on.
  process.on('unhandledRejection', (reason) => {
    void logger().then((log) => log.error({ err: reason }, 'unhandled rejection (after its request had answered); still serving'));
  });
  const handler = async () => {
    await stop();
    process.exit(0);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

program
  .parseAsync()
  .then(() => {
    if (!keepRunning) process.exit(exitCode);
  })
  .catch((e: Error) => {
    console.error(`indgang: ${e.message}`);
    process.exit(e instanceof InvalidArgumentError ? 2 : 1);
  });
