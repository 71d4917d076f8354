import type { DocumentNode } from 'graphql';
import type { Migration } from 'kysely';
import type { Db } from './db/database.js';
import type { IngestSource } from './ingest/types.js';
import type { Resolvers } from './generated/graphql.js';

/** What each folder under connectors/ exports: one Federation subgraph plus its data. */
export interface Connector<L = unknown> {
  /** Connector name; also its Postgres schema. */
  name: string;
  /** The connector's SDL (without the shared common types). */
  typeDefs: DocumentNode;
  resolvers: Resolvers;
  migrations: Record<string, Migration>;
  sources: IngestSource<any>[];
  /** Per-request DataLoaders. */
  loaders(db: Db): L;
}
