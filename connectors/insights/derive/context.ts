import { areaOfMunicipality } from '../../../src/codes/areas.js';
import { allMunicipalities } from '../../../src/codes/lists.js';
import { addDays, addMonths } from '../../../src/today.js';
import { insightsConfig, type InsightsConfig } from '../config.js';

/** What every derivation step needs besides the transaction: the day it derives for and the thresholds. */
export interface DeriveContext {
  today: string;
  cfg: InsightsConfig;
  /** Municipality code → name and labour-market area, as one JSON parameter (the code lists are files, not tables). */
  places: string;
  monthsAgo(months: number): string;
  daysAgo(days: number): string;
  /** The sections the change's source touches, recorded with each new change sequence number. */
  sections?: string[];
}

export function deriveContext(today: string, cfg: InsightsConfig = insightsConfig()): DeriveContext {
  const places = allMunicipalities().map((m) => ({ code: m.code, name: m.name, area: areaOfMunicipality(m.code)?.code ?? null }));
  return {
    today,
    cfg,
    places: JSON.stringify(places),
    monthsAgo: (months) => addMonths(today, -months),
    daysAgo: (days) => addDays(today, -days),
  };
}
