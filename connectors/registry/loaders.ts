import DataLoader from 'dataloader';
import type { Db } from '../../src/db/database.js';
import type { CompanyRecord } from './domain.js';
import { companiesByCvr } from './store.js';

export function registryLoaders(db: Db) {
  return {
    /** Companies by CVR: one query per batch, null for unknown numbers. */
    company: new DataLoader<string, CompanyRecord | null>(async (cvrs) => {
      const found = new Map((await companiesByCvr(db, cvrs)).map((c) => [c.cvr, c]));
      return cvrs.map((cvr) => found.get(cvr) ?? null);
    }),
  };
}
