import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/** Code lists ship as data files under data/codes (see its README for sources). */
export const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data');

/**
 * Reads a UTF-8 CSV file under data/: `#` lines (at the start of a line) are comments, then one header line.
 * The header decides the separator: `;` when it holds one, else `,`. The code lists under data/codes are
 * comma-separated copies of the published lists; the demo word lists under data/demo use `;`.
 */
export function readCodeList<T extends Record<string, string>>(relative: string): T[] {
  const text = fs.readFileSync(path.join(dataDir, relative), 'utf8');
  const header = text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .find((line) => line.trim() !== '' && !line.startsWith('#'));
  const delimiter = header?.includes(';') ? ';' : ',';
  return parse(text, {
    delimiter,
    columns: true,
    comment: '#',
    comment_no_infix: true,
    skip_empty_lines: true,
    trim: true,
    bom: true,
  }) as T[];
}

export interface Municipality {
  code: string;
  /** DAGI's name, e.g. "København", "Vesthimmerland". */
  name: string;
  /** PostNord's addressing name, e.g. "Københavns Kommune". */
  postnordName: string;
  regionCode: string;
  regionName: string;
  /** True for 411 Christiansø/Ertholmene, which lies outside the municipal division (udenforkommuneinddeling). */
  outsideMunicipalDivision: boolean;
}

let municipalities: Map<string, Municipality> | undefined;

function loadMunicipalities(): Map<string, Municipality> {
  municipalities ??= new Map(
    readCodeList<{
      code: string;
      name_dagi: string;
      name_postnord: string;
      region_code: string;
      region_name: string;
      udenforkommuneinddeling: string;
    }>('codes/municipalities.csv').map((r) => [
      r.code,
      {
        code: r.code,
        name: r.name_dagi,
        postnordName: r.name_postnord,
        regionCode: r.region_code,
        regionName: r.region_name,
        outsideMunicipalDivision: r.udenforkommuneinddeling === 'true',
      },
    ]),
  );
  return municipalities;
}

/** A municipality by its 3-digit code (data/codes/municipalities.csv: the 98 municipalities and 411 Christiansø). */
export function municipalityByCode(code: string): Municipality | undefined {
  return loadMunicipalities().get(code);
}

/** The 98 municipalities and 411 Christiansø/Ertholmene, in the list's order. */
export function allMunicipalities(): Municipality[] {
  return [...loadMunicipalities().values()];
}

let municipalityNames: Map<string, string> | undefined;
const nameKey = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFC')
    .replace(/\s+(kommune|regionskommune)$/, '')
    .replace(/[\s-]+/g, '');

/**
 * A municipality by name as DAGI or PostNord writes it, with or without "Kommune", ignoring case, spaces and
 * hyphens: "Herning", "Herning Kommune", "Vesthimmerlands Kommune", "Høje Taastrup", "Christiansø".
 */
export function municipalityByName(name: string): Municipality | undefined {
  if (!municipalityNames) {
    municipalityNames = new Map();
    for (const m of allMunicipalities()) {
      municipalityNames.set(nameKey(m.name), m.code);
      municipalityNames.set(nameKey(m.postnordName), m.code);
    }
  }
  const code = municipalityNames.get(nameKey(name));
  return code ? municipalityByCode(code) : undefined;
}

/** Municipality codes are 3 digits; CVR writes them as integers (e.g. 101). */
export function normaliseMunicipalityCode(value: unknown): string | null {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value).padStart(3, '0');
  if (typeof value === 'string' && /^\d{1,3}$/.test(value.trim())) return value.trim().padStart(3, '0');
  return null;
}

export type Territory = 'DK' | 'GL' | 'FO';

export interface Postcode {
  /** As the list writes it: 4 digits in Denmark and Greenland ("0800", "3900"), 3 digits on the Faroe Islands ("100"). */
  postcode: string;
  /** Postal district (postdistrikt), e.g. "Herning". */
  city: string;
  territory: Territory;
  /** A postcode of one large recipient (stormodtager). */
  bulkRecipient: boolean;
  /**
   * The primary municipality: of the municipalities the postcode lies in, the one whose name (or part of a
   * hyphenated name) is a word of the postal district, else the first PostNord lists. Null where no
   * municipality is known (Greenland, the Faroe Islands, and four DAWA-only postcodes in København K).
   */
  municipalityCode: string | null;
  /** Every municipality the postcode lies in (PostNord's postcode file), primary first. */
  municipalities: string[];
}

let postcodes: Map<string, Postcode> | undefined;

/** "Kongens Lyngby" lies in Lyngby-Taarbæk; "Aarhus N" in Aarhus; "Trige" in none by name. */
function primaryMunicipality(city: string, codes: string[]): string | null {
  const words = new Set(city.toLowerCase().split(/[\s.-]+/));
  const named = codes.find((c) => {
    const m = municipalityByCode(c);
    return m
      ? m.name
          .toLowerCase()
          .split(/[\s-]+/)
          .some((part) => words.has(part))
      : false;
  });
  return named ?? codes[0] ?? null;
}

function loadPostcodes(): Map<string, Postcode> {
  if (postcodes) return postcodes;
  const pairs = new Map<string, string[]>();
  for (const r of readCodeList<{ postcode: string; municipality_code: string }>('codes/postcode-municipalities.csv')) {
    const list = pairs.get(r.postcode) ?? [];
    if (!list.includes(r.municipality_code)) list.push(r.municipality_code);
    pairs.set(r.postcode, list);
  }
  postcodes = new Map();
  for (const r of readCodeList<{ postcode: string; name: string; stormodtager: string; territory: string }>('codes/postcodes.csv')) {
    const codes = pairs.get(r.postcode) ?? [];
    const primary = primaryMunicipality(r.name, codes);
    postcodes.set(r.postcode, {
      postcode: r.postcode,
      city: r.name,
      territory: r.territory as Territory,
      bulkRecipient: r.stormodtager === 'true',
      municipalityCode: primary,
      municipalities: primary ? [primary, ...codes.filter((c) => c !== primary)] : [],
    });
  }
  return postcodes;
}

/** A postcode of Denmark, Greenland or the Faroe Islands (data/codes/postcodes.csv), or undefined. */
export function postcodeInfo(postcode: string): Postcode | undefined {
  return loadPostcodes().get(postcode);
}

export function allPostcodes(): Postcode[] {
  return [...loadPostcodes().values()];
}

/** Region Midtjylland, the demo region. */
export const MIDTJYLLAND = '1082';
