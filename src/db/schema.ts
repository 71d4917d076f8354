import type { IngestTables } from '../ingest/tables.js';
import type { SecurityTables } from '../security/tables.js';
import type { SyncTables } from '../sync/tables.js';

/**
 * Every table the hub owns, schema-qualified: the hub's own here, each connector's added by
 * declaration merging in its tables.ts (`declare module`), so the database layer never imports
 * connectors/ and a new connector's tables join by existing.
 */
export interface Database extends IngestTables, SecurityTables, SyncTables {}
