/** A caller with an API key, as listed (the key itself is shown once, at creation, and never stored). */
export interface CallerRecord {
  name: string;
  /** The key's first characters, to tell keys apart; not enough to use it. */
  keyHint: string;
  organisations: string[];
  scopes: string[];
  rateLimit: number | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** One request's reads of contact entries or personal names. */
export interface AccessLogRecord {
  id: number;
  at: Date;
  caller: string;
  operation: string | null;
  requestId: string;
  servedBy: string;
  reads: string[];
  cvrs: string[];
}

export interface AccessLogFilter {
  cvr?: string | null;
  caller?: string | null;
  /** First day, yyyy-mm-dd (from midnight UTC). */
  since?: string | null;
}

/** A caller as the graph shows it: an API key's record, or the principal of the request (`viewer`). */
export interface CallerView {
  name: string;
  kind: 'API_KEY' | 'TOKEN' | 'DEVELOPER';
  scopes: string[];
  organisations: string[] | '*';
  rateLimit: number | null;
  keyHint: string | null;
  createdAt: Date | null;
  revokedAt: Date | null;
}
