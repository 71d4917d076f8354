/**
 * An example downstream sync job: pulls the companies that changed since its last run from indgang's
 * change feed (companies ordered by change sequence) with the typed client, and keeps its position
 * (the last change sequence and cursor) in a state file, so the next run starts where this one ended.
 *
 *   INDGANG_URL=http://localhost:4000/graphql INDGANG_API_KEY=indgang_… npx tsx examples/sync-changes.ts [state.json]
 *
 * The caller needs the scopes read:registry and read:insights.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompanyChangesDocument, createClient } from '../clients/typescript/src/index.js';

export interface SyncState {
  /** The highest change sequence seen; companies up to it are in sync. */
  lastSequence: string | null;
  /** Where the feed continues. */
  cursor: string | null;
}

export interface ChangedCompany {
  cvr: string;
  name: string | null;
  changeSequence: string | null;
}

export interface SyncOptions {
  url: string;
  apiKey?: string;
  stateFile: string;
  pageSize?: number;
  /** What the job does with each changed company (here: print it). */
  onCompany?: (c: ChangedCompany) => void | Promise<void>;
}

export function readState(file: string): SyncState {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as SyncState) : { lastSequence: null, cursor: null };
}

/** Written to a temporary file and renamed: a crash never leaves half a state. */
function writeState(file: string, state: SyncState): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

/** One run: every page after the saved cursor; the state is saved after each page. Returns how many companies changed. */
export async function syncChanges(opts: SyncOptions): Promise<{ changed: number; state: SyncState }> {
  const client = createClient({ url: opts.url, apiKey: opts.apiKey });
  let state = readState(opts.stateFile);
  let changed = 0;
  for (;;) {
    const { companies } = await client.request(CompanyChangesDocument, { first: opts.pageSize ?? 100, after: state.cursor });
    if (!companies) throw new Error('the change feed answered no companies');
    for (const { node } of companies.edges) {
      await opts.onCompany?.({ cvr: node.cvr, name: node.name, changeSequence: node.changeSequence ?? null });
      changed++;
    }
    const last = companies.edges.at(-1);
    if (last) {
      state = { lastSequence: last.node.changeSequence ?? state.lastSequence, cursor: last.cursor };
      writeState(opts.stateFile, state);
    }
    if (!companies.pageInfo.hasNextPage) return { changed, state };
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const stateFile = process.argv[2] ?? 'sync-state.json';
  const { changed, state } = await syncChanges({
    url: process.env.INDGANG_URL ?? 'http://localhost:4000/graphql',
    apiKey: process.env.INDGANG_API_KEY,
    stateFile,
    onCompany: (c) => console.log(`${c.changeSequence}\t${c.cvr}\t${c.name}`),
  });
  console.error(`${changed} changed companies; last change sequence ${state.lastSequence ?? 'none'} (kept in ${stateFile})`);
}
