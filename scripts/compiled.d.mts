/** The checkout's root folder. */
export const root: string;
/** The compiled CLI's main.js for the sources as they are now, compiled first when no copy of them exists. */
export function compiledCli(opts?: {
  compiler?: 'esbuild' | 'tsc';
  from?: string;
  cacheDir?: string;
  onBuild?: (dir: string) => void;
}): Promise<string>;
/** The sources did not compile; the compiler's message has been printed. */
export class BuildError extends Error {}
