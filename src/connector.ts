import fs from 'node:fs';
import { parse, type DocumentNode } from 'graphql';
import type { Migration } from 'kysely';
import type { Db } from './db/database.js';
import type { DemoFile, DemoWorld } from './demo/world.js';
import type { Random } from './demo/random.js';
import type { IngestSource } from './ingest/types.js';
import type { Resolvers } from './generated/graphql.js';
import type { CompanyPrefetch } from './prefetch.js';
import type { SqlRules } from './rules.js';
import type { ProvenanceSource, Recognises, TimelineContribution } from './timeline.js';

/** What one request shares with every connector's loaders. */
export interface RequestScope {
  /** The request's calendar day (yyyy-mm-dd): every "open", "due" and "last 12 months" of one answer uses the same day. */
  today: string;
}

/** A connector's demo: its source files for the shared demo world, loaded in connector order. */
export interface ConnectorDemo {
  /** Name of its random stream under the demo's seed (default: the connector's name); fixed so a seed's files stay the same. */
  seedName?: string;
  /** Only the spine (the registry) makes the demo's companies; the other connectors write files about them. */
  companies?(rnd: Random, count: number): DemoWorld['companies'];
  files(world: DemoWorld, dir: string, rnd: Random): DemoFile[];
}

/** What each folder under connectors/ exports: one Federation subgraph plus its data. */
export interface Connector<L = unknown> {
  /** Connector name; also its Postgres schema and its key in `Context.loaders`. */
  name: string;
  /** The connector's SDL (without the shared common types). */
  typeDefs: DocumentNode;
  resolvers: Resolvers;
  migrations: Record<string, Migration>;
  sources: IngestSource<any>[];
  /** Per-request DataLoaders (`Context.loaders[name]`); their type joins `Loaders` by declaration merging in loaders.ts. */
  loaders?(db: Db, request: RequestScope): L;
  /** Demo files for `indgang demo`. */
  demo?: ConnectorDemo;
  /** What the connector's records add to a company's contact timeline (insights reads these; it imports no connector). */
  timeline?: TimelineContribution[];
  /** Organisations it knows by name, for other connectors' entries that name them. */
  recognises?: Recognises[];
  /** Its sources the derived situation is made from, in the order `Situation.sources` lists them. */
  provenance?: (string | ProvenanceSource)[];
  /** SQL rules it owns that other connectors' statements reuse (src/rules.ts); their types join `SqlRules` by declaration merging. */
  rules?: Partial<SqlRules>;
  /** Fields below a company a list of companies answers in its own statement (src/prefetch.ts). */
  prefetch?: CompanyPrefetch[];
}

export interface ConnectorDefinition<L> extends Omit<Connector<L>, 'typeDefs'> {
  /** The folder's URL (`import.meta.url` of its index.ts): its schema.graphql is read from there. */
  folder: string | URL;
}

/**
 * One connector from its folder: reads the folder's schema.graphql and checks that names are not
 * reused, so a mistake shows when the hub starts instead of as a wrong answer.
 */
export function defineConnector<N extends string, L = never>(def: ConnectorDefinition<L> & { name: N }): Connector<L> & { name: N } {
  const { folder, ...rest } = def;
  if (!/^[a-z][a-z0-9_]*$/.test(rest.name))
    throw new Error(`connector name ${JSON.stringify(rest.name)} must be a Postgres schema name (a-z, 0-9, _)`);
  for (const s of rest.sources) {
    if (s.connector !== rest.name)
      throw new Error(`source ${s.name} says it loads into ${s.connector}, but connector ${rest.name} lists it`);
  }
  const typeDefs = parse(fs.readFileSync(new URL('./schema.graphql', folder), 'utf8'));
  return { ...rest, name: def.name, typeDefs };
}

let active: readonly Connector<any>[] = [];

/**
 * The connectors this process serves, set once by the app (src/connectors.ts). Platform code that
 * must reach every connector (request loaders, the timeline's contributions) asks here rather than
 * importing connectors/.
 */
export function useConnectors(list: readonly Connector<any>[]): void {
  const names = new Set<string>();
  const sources = new Set<string>();
  for (const c of list) {
    if (names.has(c.name)) throw new Error(`two connectors are named ${c.name}`);
    names.add(c.name);
    for (const s of c.sources) {
      if (sources.has(s.name)) throw new Error(`two ingest sources are named ${s.name}`);
      sources.add(s.name);
    }
  }
  active = list;
}

export function activeConnectors(): readonly Connector<any>[] {
  return active;
}

/** An ingest source of the active connectors by its name (`indgang ingest --source`, sync jobs). */
export function activeSource(name: string): IngestSource<any> | undefined {
  for (const c of active) for (const s of c.sources) if (s.name === name) return s;
  return undefined;
}
