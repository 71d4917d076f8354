import { allMunicipalities, readCodeList } from './lists.js';

export interface LabourMarketArea {
  code: string;
  name: string;
  scheme: string;
}

/**
 * The area schemes the hub knows:
 * - `RAR2015`: the eight regionale arbejdsmarkedsråd of 2015-2024 (data/codes/rar2015-areas.csv). Their municipalities
 *   come from an analyst's map package, not from an official publication: no official list was found.
 * - `RBR2025`: the five regionale beskæftigelsesråd of § 28 of the law as amended from 2025
 *   (data/codes/rar-areas.csv). Bornholm (400) and Christiansø (411) have no row: the stored copy of § 28 was cut off.
 */
export const AREA_SCHEMES = ['RAR2015', 'RBR2025'] as const;
export type AreaScheme = (typeof AREA_SCHEMES)[number];

/**
 * The scheme in force, from INDGANG_AREA_SCHEME. The default is RAR2015: the demo's labour-market balance and
 * unemployed supply are per RAR area (RAR Vestjylland, RAR Østjylland), as the published balances were until 2025.
 */
export const CURRENT_SCHEME: AreaScheme = schemeFrom(process.env.INDGANG_AREA_SCHEME);

export function schemeFrom(value: string | undefined): AreaScheme {
  if (value === undefined || value === '') return 'RAR2015';
  if ((AREA_SCHEMES as readonly string[]).includes(value)) return value as AreaScheme;
  throw new Error(`INDGANG_AREA_SCHEME=${value} is not an area scheme; use one of ${AREA_SCHEMES.join(', ')}`);
}

interface Row {
  municipality: string;
  area: LabourMarketArea;
}

let rows: Map<AreaScheme, Row[]> | undefined;

function load(scheme: AreaScheme): Row[] {
  if (!rows) {
    const codes = new Map<string, LabourMarketArea>();
    for (const r of readCodeList<{ scheme: string; council: string; area_code: string; area_name: string }>('codes/area-codes.csv')) {
      codes.set(`${r.scheme}|${r.council}`, { code: r.area_code, name: r.area_name, scheme: r.scheme });
    }
    const area = (s: string, council: string): LabourMarketArea => {
      const a = codes.get(`${s}|${council}`);
      if (!a) throw new Error(`data/codes/area-codes.csv has no code for the ${s} council ${JSON.stringify(council)}`);
      return a;
    };
    rows = new Map([
      [
        'RAR2015',
        readCodeList<{ municipality_code: string; council: string }>('codes/rar2015-areas.csv').map((r) => ({
          municipality: r.municipality_code,
          area: area('RAR2015', r.council),
        })),
      ],
      [
        'RBR2025',
        readCodeList<{ municipality_code: string; council: string }>('codes/rar-areas.csv').map((r) => ({
          municipality: r.municipality_code,
          area: area('RBR2025', r.council),
        })),
      ],
    ]);
  }
  return rows.get(scheme)!;
}

/** The labour-market area a municipality belongs to under a scheme; undefined where the scheme's list has no row. */
export function areaOfMunicipality(municipality: string, scheme: AreaScheme = CURRENT_SCHEME): LabourMarketArea | undefined {
  return load(scheme).find((x) => x.municipality === municipality)?.area;
}

/** An area by its code ("RAR-VEST", "RBR-MIDT") under a scheme. */
export function areaByCode(code: string, scheme: AreaScheme = CURRENT_SCHEME): LabourMarketArea | undefined {
  return load(scheme).find((x) => x.area.code === code)?.area;
}

export function municipalitiesInArea(code: string, scheme: AreaScheme = CURRENT_SCHEME): string[] {
  return load(scheme)
    .filter((x) => x.area.code === code)
    .map((x) => x.municipality);
}

/** The areas of a scheme, each once, in the order of the list. */
export function allAreas(scheme: AreaScheme = CURRENT_SCHEME): LabourMarketArea[] {
  return [...new Map(load(scheme).map((x) => [x.area.code, x.area])).values()];
}

let areaNames: Map<string, LabourMarketArea> | undefined;

/** A labour-market area by code ("RAR-VEST") or name ("RAR Vestjylland"), under the scheme in force. */
export function resolveArea(text: string): LabourMarketArea | undefined {
  const t = text.trim();
  const direct = areaByCode(t) ?? areaByCode(t.toUpperCase());
  if (direct) return direct;
  if (!areaNames) {
    areaNames = new Map();
    for (const m of allMunicipalities()) {
      const a = areaOfMunicipality(m.code);
      if (a) areaNames.set(a.name.toLowerCase(), a);
    }
  }
  return areaNames.get(t.toLowerCase());
}
