import type { RequestScope } from '../../src/connector.js';
import type { Db } from '../../src/db/database.js';
import { keyedLoader } from '../../src/graphql/loaders.js';
import { contactsById } from './store.js';

export function coordinationLoaders(db: Db, _request: RequestScope) {
  return {
    /** Current versions of contacts by uuid, for references (the timeline, Contact entities). */
    contact: keyedLoader(
      (uuids) => contactsById(db, uuids),
      (c) => c.uuid,
    ),
  };
}

// Joins the request context's Loaders (src/graphql/context.ts) under the connector's name.
declare module '../../src/graphql/context.js' {
  interface Loaders {
    coordination: ReturnType<typeof coordinationLoaders>;
  }
}
