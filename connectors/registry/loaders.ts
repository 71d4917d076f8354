import DataLoader from 'dataloader';
import type { RequestScope } from '../../src/connector.js';
import type { Db } from '../../src/db/database.js';
import type { CompanyRecord, ProductionUnitRecord } from './domain.js';
import { companiesByCvr, productionUnitsOf, toCompany } from './store.js';

export function registryLoaders(db: Db, _request: RequestScope) {
  /** Companies by CVR: one query per batch, null for unknown numbers. */
  const company = new DataLoader<string, CompanyRecord | null>(async (cvrs) => {
    const found = new Map((await companiesByCvr(db, cvrs)).map((c) => [c.cvr, c]));
    return cvrs.map((cvr) => found.get(cvr) ?? null);
  });

  /**
   * A company's production units, one query per batch, ordered by P-number: the unit records that name
   * the company, plus the P-numbers its own record lists (penheder) that have no unit record (P-number
   * only). A listed P-number whose unit record names another company is that company's: the unit's
   * own record says where it belongs now.
   */
  const productionUnits = new DataLoader<string, ProductionUnitRecord[]>(async (cvrs) => {
    // Usually primed already: the company was loaded to resolve the field's parent.
    const companies = await company.loadMany(cvrs);
    const listed = companies.flatMap((c) => (c && !(c instanceof Error) ? c.productionUnits : []));
    const units = await productionUnitsOf(db, cvrs, [...new Set(listed)]);
    const byPNumber = new Map(units.map((u) => [u.pNumber, u]));
    return cvrs.map((cvr, i) => {
      const c = companies[i];
      const mine = new Set(c && !(c instanceof Error) ? c.productionUnits : []);
      // A unit record that names no company belongs to the company that lists it.
      const own = units.filter((u) => u.cvr === cvr || (u.cvr === null && mine.has(u.pNumber)));
      const bare = [...mine].filter((p) => !byPNumber.has(p)).map((p) => bareUnit(p, cvr));
      return [...own, ...bare].sort((a, b) => (a.pNumber < b.pNumber ? -1 : a.pNumber > b.pNumber ? 1 : 0));
    });
  });

  /** Primes `company` with a register row another statement already read (a page of `companies`, see prefetch.ts). */
  const primeRow = (row: { cvr: string }) => void company.prime(row.cvr, toCompany(row as Parameters<typeof toCompany>[0]));

  /** Names a list of companies read without their records (prefetch.ts): `name` needs no record then. */
  const names = new Map<string, string | null>();
  const primeName = (cvr: string, name: string | null) => void names.set(cvr, name);

  return { company, productionUnits, primeRow, names, primeName };
}

const bareUnit = (pNumber: string, cvr: string): ProductionUnitRecord => ({
  pNumber,
  cvr,
  name: null,
  statusText: null,
  address: null,
  municipalityCode: null,
  industry: null,
  employees: null,
});

// Joins the request context's Loaders (src/graphql/context.ts) under the connector's name.
declare module '../../src/graphql/context.js' {
  interface Loaders {
    registry: ReturnType<typeof registryLoaders>;
  }
}
