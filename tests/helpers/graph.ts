import { Readable } from 'node:stream';
import type { GraphQLFormattedError } from 'graphql';
import type { Db } from '../../src/db/database.js';
import { connectors, sourceByName } from '../../src/connectors.js';
import { createContext } from '../../src/graphql/context.js';
import { mergedSchema } from '../../src/graphql/schema.js';
import type { ReadOptions } from '../../src/ingest/types.js';
import { runIngest, type RunSummary } from '../../src/ingest/pipeline.js';
import { createApollo } from '../../src/server/apollo.js';

const schema = mergedSchema(connectors);

export interface Result<T = any> {
  data?: T;
  errors?: readonly GraphQLFormattedError[];
  /** SQL statements the request sent. */
  statements: number;
}

/** Runs an operation through Apollo Server exactly as HTTP requests are run, with a fresh context. */
export function graph(db: Db, opts: { production?: boolean } = {}) {
  const apollo = createApollo(schema, { production: opts.production ?? false });
  return async function run<T = any>(query: string, variables?: Record<string, unknown>): Promise<Result<T>> {
    const contextValue = createContext(db);
    const res = await apollo.executeOperation({ query, variables }, { contextValue });
    if (res.body.kind !== 'single') throw new Error('incremental delivery not expected');
    return { data: res.body.singleResult.data as T, errors: res.body.singleResult.errors, statements: contextValue.statements.count };
  };
}

/** Loads text through an ingest source as if it were a file. */
export function ingestText(db: Db, source: string, text: string, file = `${source}.txt`, options?: ReadOptions): Promise<RunSummary> {
  const s = sourceByName(source);
  if (!s) throw new Error(`unknown source ${source}`);
  return runIngest(db, s, { file, stream: Readable.from([Buffer.from(text)]), options });
}
