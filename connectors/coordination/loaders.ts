import DataLoader from 'dataloader';
import type { Db } from '../../src/db/database.js';
import type { ContactRecord } from './domain.js';
import { contactsOfCompanies, type ContactQuery } from './store.js';

export function coordinationLoaders(db: Db) {
  // Companies asking with the same arguments share one statement.
  const byQuery = new Map<string, DataLoader<string, ContactRecord[]>>();
  return {
    contacts(cvr: string, q: ContactQuery): Promise<ContactRecord[]> {
      const key = JSON.stringify(q);
      let loader = byQuery.get(key);
      if (!loader) {
        loader = new DataLoader(async (cvrs) => {
          const found = await contactsOfCompanies(db, cvrs, q);
          return cvrs.map((c) => found.get(c) ?? []);
        });
        byQuery.set(key, loader);
      }
      return loader.load(cvr);
    },
  };
}
