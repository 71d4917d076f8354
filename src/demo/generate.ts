import fs from 'node:fs';
import { readCodeList } from '../codes/lists.js';
import { Random } from './random.js';
import type { DemoFile, DemoWorld } from './world.js';
import { demoCompanies, writeCvrFile } from '../../connectors/registry/demo.js';
import { writeVeuFiles } from '../../connectors/veu/demo.js';
import { writeCrmFiles } from '../../connectors/crm/demo.js';
import { writeJobcentreFiles } from '../../connectors/jobcentre/demo.js';
import { writeContactFiles } from '../../connectors/coordination/demo.js';

export interface GenerateOptions {
  companies: number;
  outDir: string;
  seed?: string;
  /** Reference day for dated records; defaults to today so the demo always has current data. */
  today?: string;
}

export const DEFAULT_SEED = 'indgang-midtjylland';

/**
 * Writes deterministic source-format files for Region Midtjylland, one per ingest source,
 * and returns them in the order they must be loaded (the registry first).
 */
export function generateDemo(opts: GenerateOptions): { world: DemoWorld; files: DemoFile[] } {
  const seed = opts.seed ?? DEFAULT_SEED;
  const rnd = new Random(seed);
  fs.mkdirSync(opts.outDir, { recursive: true });
  const world: DemoWorld = {
    seed,
    today: opts.today ?? new Date().toISOString().slice(0, 10),
    companies: demoCompanies(rnd, opts.companies),
  };
  const titles = new Map(readCodeList<{ code: string; title: string }>('codes/db07.csv').map((r) => [r.code, r.title]));
  const files: DemoFile[] = [
    writeCvrFile(world.companies, titles, opts.outDir, new Random(`${seed}/cvr`)),
    ...writeVeuFiles(world, opts.outDir, new Random(`${seed}/veu`)),
    // CRM rows are matched against the registry, so they load after cvr.
    ...writeCrmFiles(world, opts.outDir, new Random(`${seed}/crm`)),
    ...writeJobcentreFiles(world, opts.outDir, new Random(`${seed}/jobcentre`)),
    ...writeContactFiles(world, opts.outDir, new Random(`${seed}/contacts`)),
  ];
  return { world, files };
}
