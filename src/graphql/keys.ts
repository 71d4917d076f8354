/**
 * Federation keys: what every connector knows of an entity another connector owns. A connector
 * resolves Company from its key alone, so the key is the platform's, not the registry's.
 */

/** The federated key every connector resolves Company from. */
export interface CompanyKey {
  cvr: string;
}
