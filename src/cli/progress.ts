import cliProgress from 'cli-progress';
import type { Progress } from '../ingest/pipeline.js';

/** A progress bar on a terminal; nothing otherwise (the summary line says what happened). */
export function terminalProgress(label: string): Progress | undefined {
  if (!process.stderr.isTTY) return undefined;
  let bar: cliProgress.SingleBar | undefined;
  let total = 0;
  return {
    start(totalBytes) {
      total = totalBytes ?? 0;
      bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: total
            ? `${label} [{bar}] {percentage}% | {read} records, {rejected} rejected | {eta_formatted}`
            : `${label} {read} records, {rejected} rejected`,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total || 1, 0, { read: 0, rejected: 0 });
    },
    update(bytes, totals) {
      bar?.update(total ? bytes : 0, { read: totals.read, rejected: totals.rejected });
    },
    stop() {
      if (bar && total) bar.update(total);
      bar?.stop();
    },
  };
}
