import { municipalityByCode } from '../codes/lists.js';
import { occupationByCode } from '../codes/occupations.js';
import type { Resolvers } from '../generated/graphql.js';
import { scalars } from './scalars.js';
import { sourceStale } from '../sync/freshness.js';

/** Resolvers for the shared types in schema/common.graphql; every subgraph carries them. */
export const commonResolvers: Resolvers = {
  ...scalars,
  Occupation: {
    __resolveReference: (ref) => (occupationByCode(ref.disco) ? { disco: ref.disco } : null),
    disco: (o) => o.disco,
    title: (o) => occupationByCode(o.disco)?.title ?? o.disco,
    level: (o) => occupationByCode(o.disco)?.level ?? (o.disco.length === 6 ? 5 : o.disco.length),
    parent: (o) => {
      const parent = occupationByCode(o.disco)?.parent;
      return parent ? { disco: parent } : null;
    },
  },
  SourceInfo: {
    stale: (s) => sourceStale(s.name, s.syncedAt as Date | string | null | undefined),
  },
};

/** An Occupation object for a code, or null when the shipped list does not know it. */
export function occupationRef(disco: string | null | undefined): { disco: string } | null {
  return disco && occupationByCode(disco) ? { disco } : null;
}

/** The shared Municipality object for a code from the shipped list, or null when there is none. */
export function municipalityRef(code: string | null | undefined) {
  const m = code ? municipalityByCode(code) : undefined;
  return m ? { code: m.code, name: m.name, region: m.regionName } : null;
}
