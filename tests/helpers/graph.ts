import { Readable } from 'node:stream';
import type { GraphQLFormattedError } from 'graphql';
import type { Db } from '../../src/db/database.js';
import { connectors, sourceByName } from '../../src/connectors.js';
import { createContext, type Context } from '../../src/graphql/context.js';
import type { Principal } from '../../src/security/principal.js';
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
  /** Statements the access log sent for it, apart from `statements` (0 or 1). */
  logStatements: number;
  /** The request's context (its access recorder, its request id). */
  context: Context;
}

/**
 * Runs an operation through Apollo Server exactly as HTTP requests are run, with a fresh context, as the
 * local developer unless a principal is given.
 */
export function graph(db: Db, opts: { production?: boolean; principal?: Principal } = {}) {
  const apollo = createApollo(schema, { production: opts.production ?? false });
  return async function run<T = any>(query: string, variables?: Record<string, unknown>, operationName?: string): Promise<Result<T>> {
    const contextValue = createContext(db, opts.principal);
    const res = await apollo.executeOperation({ query, variables, operationName }, { contextValue });
    if (res.body.kind !== 'single') throw new Error('incremental delivery not expected');
    return {
      data: res.body.singleResult.data as T,
      errors: res.body.singleResult.errors,
      statements: contextValue.statements.count,
      logStatements: contextValue.logStatements.count,
      context: contextValue,
    };
  };
}

/** Loads text through an ingest source as if it were a file. */
export function ingestText(db: Db, source: string, text: string, file = `${source}.txt`, options?: ReadOptions): Promise<RunSummary> {
  const s = sourceByName(source);
  if (!s) throw new Error(`unknown source ${source}`);
  return runIngest(db, s, { file, stream: Readable.from([Buffer.from(text)]), options });
}
