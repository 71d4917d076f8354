import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/** Code lists ship as data files under data/codes (see its README for sources). */
export const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data');

export function readCodeList<T extends Record<string, string>>(relative: string): T[] {
  const text = fs.readFileSync(path.join(dataDir, relative), 'utf8');
  return parse(text, { delimiter: ';', columns: true, comment: '#', comment_no_infix: true, skip_empty_lines: true, trim: true, bom: true }) as T[];
}

export interface Municipality {
  code: string;
  name: string;
  regionCode: string;
  regionName: string;
}

let municipalities: Map<string, Municipality> | undefined;

export function municipalityByCode(code: string): Municipality | undefined {
  municipalities ??= new Map(
    readCodeList<{ code: string; name: string; region_code: string; region_name: string }>('codes/municipalities.csv').map((r) => [
      r.code,
      { code: r.code, name: r.name, regionCode: r.region_code, regionName: r.region_name },
    ]),
  );
  return municipalities.get(code);
}

export function allMunicipalities(): Municipality[] {
  municipalityByCode('000');
  return [...municipalities!.values()];
}

/** Municipality codes are 3 digits; CVR writes them as integers (e.g. 101). */
export function normaliseMunicipalityCode(value: unknown): string | null {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value).padStart(3, '0');
  if (typeof value === 'string' && /^\d{1,3}$/.test(value.trim())) return value.trim().padStart(3, '0');
  return null;
}

export interface Postcode {
  postcode: string;
  city: string;
  municipalityCode: string;
}

let postcodes: Map<string, Postcode> | undefined;

export function postcodeInfo(postcode: string): Postcode | undefined {
  postcodes ??= new Map(
    readCodeList<{ postcode: string; city: string; municipality_code: string }>('codes/postcodes.csv').map((r) => [
      r.postcode,
      { postcode: r.postcode, city: r.city, municipalityCode: r.municipality_code },
    ]),
  );
  return postcodes.get(postcode);
}

/** Region Midtjylland, the demo region. */
export const MIDTJYLLAND = '1082';
