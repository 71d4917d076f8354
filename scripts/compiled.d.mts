/** The checkout's root folder. */
export const root: string;
/** The compiled CLI's main.js for the sources as they are now, compiled first when no copy of them exists. */
export function compiledCli(opts?: { cacheDir?: string; onBuild?: (dir: string) => void }): string;
