import { readCodeList } from './lists.js';

export interface LabourMarketArea {
  code: string;
  name: string;
  scheme: string;
}

/** The scheme in force; the 2025 reform's regional employment councils can be loaded as another scheme. */
export const CURRENT_SCHEME = process.env.INDGANG_AREA_SCHEME ?? 'RAR2015';

let rows: { municipality_code: string; area_code: string; area_name: string; scheme: string }[] | undefined;
const load = () => (rows ??= readCodeList('codes/labour-market-areas.csv'));

/** The labour-market area a municipality belongs to (data/codes/labour-market-areas.csv). */
export function areaOfMunicipality(municipality: string, scheme = CURRENT_SCHEME): LabourMarketArea | undefined {
  const r = load().find((x) => x.municipality_code === municipality && x.scheme === scheme);
  return r ? { code: r.area_code, name: r.area_name, scheme: r.scheme } : undefined;
}

export function areaByCode(code: string, scheme = CURRENT_SCHEME): LabourMarketArea | undefined {
  const r = load().find((x) => x.area_code === code && x.scheme === scheme);
  return r ? { code: r.area_code, name: r.area_name, scheme: r.scheme } : undefined;
}

export function municipalitiesInArea(code: string, scheme = CURRENT_SCHEME): string[] {
  return load()
    .filter((x) => x.area_code === code && x.scheme === scheme)
    .map((x) => x.municipality_code);
}
