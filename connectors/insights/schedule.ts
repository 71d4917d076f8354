import type { Db } from '../../src/db/database.js';
import { logger } from '../../src/logger.js';
import { needsRebuild, rebuildInsights, refreshInsights } from './derive/index.js';

const HOUR = 3_600_000;

/**
 * Keeps the derived data current while a server runs: builds it once if an older database has none,
 * then re-derives the companies whose facts change with the date (an ad's deadline passing …), at
 * start and every hour. Several servers on one Postgres share the work: the refresh takes an advisory
 * lock, so only one of them runs it at a time. Returns a function that stops the timer.
 */
export async function keepInsightsCurrent(db: Db): Promise<() => void> {
  if (await needsRebuild(db)) {
    logger.info('the derived insights are missing for this database: rebuilding them');
    const r = await rebuildInsights(db);
    logger.info({ companies: r.companies, seconds: r.seconds }, 'insights rebuilt');
  }
  const refresh = async () => {
    try {
      const r = await refreshInsights(db);
      if (r && r.companies > 0) logger.info({ companies: r.companies, seconds: r.seconds }, 'insights refreshed for the date');
    } catch (e) {
      logger.error({ err: e }, 'insights refresh failed; it is tried again within the hour');
    }
  };
  await refresh();
  const timer = setInterval(refresh, HOUR);
  timer.unref();
  return () => clearInterval(timer);
}
