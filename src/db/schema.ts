import type { IngestTables } from '../ingest/tables.js';
import type { RegistryTables } from '../../connectors/registry/tables.js';
import type { VeuTables } from '../../connectors/veu/tables.js';
import type { CrmTables } from '../../connectors/crm/tables.js';
import type { JobcentreTables } from '../../connectors/jobcentre/tables.js';
import type { CoordinationTables } from '../../connectors/coordination/tables.js';
import type { InsightsTables } from '../../connectors/insights/tables.js';
import type { SecurityTables } from '../../connectors/security/tables.js';

/** Every table the hub owns, schema-qualified: one interface per connector, joined here. */
export interface Database extends IngestTables, RegistryTables, JobcentreTables, CrmTables, VeuTables, CoordinationTables, InsightsTables, SecurityTables {}
