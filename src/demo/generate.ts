import fs from 'node:fs';
import { Random } from './random.js';
import type { DemoFile, DemoWorld } from './world.js';
import { connectors } from '../connectors.js';

export interface GenerateOptions {
  companies: number;
  outDir: string;
  seed?: string;
  /** Reference day for dated records; defaults to today so the demo always has current data. */
  today?: string;
}

export const DEFAULT_SEED = 'indgang-midtjylland';

/**
 * Writes deterministic source-format files for Region Midtjylland, one per ingest source, from each
 * connector's demo, and returns them in the order they must be loaded: connector order (the registry,
 * which makes the companies, first).
 */
export function generateDemo(opts: GenerateOptions): { world: DemoWorld; files: DemoFile[] } {
  const seed = opts.seed ?? DEFAULT_SEED;
  const rnd = new Random(seed);
  fs.mkdirSync(opts.outDir, { recursive: true });
  const spine = connectors.filter((c) => c.demo?.companies);
  if (spine.length !== 1) throw new Error(`exactly one connector must make the demo's companies, found ${spine.length}`);
  const world: DemoWorld = {
    seed,
    today: opts.today ?? new Date().toISOString().slice(0, 10),
    companies: spine[0]!.demo!.companies!(rnd, opts.companies),
  };
  const files = connectors.flatMap((c) =>
    c.demo ? c.demo.files(world, opts.outDir, new Random(`${seed}/${c.demo.seedName ?? c.name}`)) : [],
  );
  return { world, files };
}
