import DataLoader from 'dataloader';
import { fromGlobalId } from './pagination.js';

/** Splits a batch's rows by company, in the order of the batch's keys (an empty list for a company without rows). */
export function groupByCvr<T extends { cvr: string }>(rows: T[], cvrs: readonly string[]): T[][] {
  const by = new Map<string, T[]>(cvrs.map((c) => [c, []]));
  for (const r of rows) by.get(r.cvr)?.push(r);
  return cvrs.map((c) => by.get(c)!);
}

/**
 * Records by their key: one statement per batch, null for keys not found. Entities referenced from
 * another subgraph (signal evidence, timeline records) are loaded this way, in both serving modes.
 */
export function keyedLoader<T>(fetch: (keys: readonly string[]) => Promise<T[]>, keyOf: (t: T) => string): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (keys) => {
    const found = new Map((await fetch(keys)).map((t) => [keyOf(t), t]));
    return keys.map((k) => found.get(k) ?? null);
  });
}

/** Loads the record a global id of the given type names; null for an id of another type or none. */
export function byGlobalId<T>(id: string, type: string, loader: DataLoader<string, T | null>): Promise<T | null> | null {
  const gid = fromGlobalId(id);
  return gid?.type === type ? loader.load(gid.key) : null;
}

/**
 * A loader whose keys carry arguments besides the entity key: keys with the same arguments (all the
 * companies in a list asking `vacancies(first: 10)`) become one statement, so statement counts follow
 * the query's shape, not the list's length.
 */
export function groupedLoader<K extends object, V>(argsOf: (k: K) => unknown, load: (keys: K[]) => Promise<V[]>): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(
    async (keys) => {
      const groups = new Map<string, number[]>();
      keys.forEach((k, i) => {
        const g = JSON.stringify(argsOf(k));
        groups.set(g, [...(groups.get(g) ?? []), i]);
      });
      const out = new Array<V>(keys.length);
      await Promise.all(
        [...groups.values()].map(async (idx) => {
          const values = await load(idx.map((i) => keys[i]!));
          idx.forEach((i, j) => (out[i] = values[j]!));
        }),
      );
      return out;
    },
    { cacheKeyFn: (k) => JSON.stringify(k) },
  );
}

/**
 * A grouped loader over a fetch that answers a set of entity ids (one group's) with a map by id: a key is
 * an entity id plus arguments, and an id the map lacks gets `empty`.
 */
export function groupedMapLoader<K extends object, V>(
  argsOf: (k: K) => unknown,
  idOf: (k: K) => string,
  fetch: (ids: string[], args: K) => Promise<Map<string, V>>,
  empty: V,
): DataLoader<K, V, string> {
  return groupedLoader<K, V>(argsOf, async (keys) => {
    const found = await fetch([...new Set(keys.map(idOf))], keys[0]!);
    return keys.map((k) => found.get(idOf(k)) ?? empty);
  });
}
