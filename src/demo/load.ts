import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { Db } from '../db/database.js';
import { runIngest, type Progress, type RunSummary } from '../ingest/pipeline.js';
import { sourceByName } from '../connectors.js';
import { generateDemo, type GenerateOptions } from './generate.js';

/** Generates the demo files and loads them through the same ingest adapters as real feeds. */
export async function loadDemo(
  db: Db,
  opts: Omit<GenerateOptions, 'outDir'> & { outDir?: string },
  progress?: (source: string, n: number, of: number) => Progress | undefined,
): Promise<RunSummary[]> {
  const outDir = opts.outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-demo-'));
  const { files } = generateDemo({ ...opts, outDir });
  const summaries: RunSummary[] = [];
  for (const [i, f] of files.entries()) {
    const source = sourceByName(f.source);
    if (!source) throw new Error(`demo file ${f.file} names unknown source ${f.source}`);
    summaries.push(await runIngest(db, source, { file: f.file }, progress?.(f.source, i + 1, files.length)));
  }
  if (!opts.outDir) fs.rmSync(outDir, { recursive: true, force: true });
  return summaries;
}

/** Whether the database holds no companies yet (a first start). */
export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('registry.company').select('cvr').limit(1).executeTakeFirst();
  return row === undefined;
}
