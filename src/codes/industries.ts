import { readCodeList } from './lists.js';

/**
 * A DB07 code (Dansk Branchekode 2007) at one of its five levels, from Danmarks Statistik's own structure
 * file (data/codes/db07-hierarchy.csv). Codes are written without dots: a section letter ("C"), a hovedgruppe
 * (2 digits, "25"), a gruppe (3 digits, "251"), an undergruppe (4 digits, "2511") or a six-digit code ("251100").
 */
export interface IndustryCode {
  code: string;
  /** DST's title (tekst). */
  title: string;
  /** 0 section, 1 hovedgruppe, 2 gruppe, 3 undergruppe, 4 six-digit code. */
  level: number;
  /** The code one level up; null for a section. */
  parent: string | null;
  /** DST's validity note (column NB) where it has one, e.g. "gælder 2008-2012", "gælder 2013-", "valid from 2014". */
  validity: string | null;
  /** True when the note gives an end year: DST marks the code as valid only up to then. */
  expired: boolean;
}

type Row = {
  niveau: string;
  section: string;
  tekst: string;
  nb: string;
  kode_2: string;
  kode_3: string;
  kode_4: string;
  kode_6: string;
};

let byCode: Map<string, IndustryCode> | undefined;

function load(): Map<string, IndustryCode> {
  if (byCode) return byCode;
  byCode = new Map();
  for (const r of readCodeList<Row>('codes/db07-hierarchy.csv')) {
    const level = Number(r.niveau);
    // Each level's own code, then its parent's: section → kode_2 → kode_3 → kode_4 → kode_6.
    const chain = [r.section, r.kode_2, r.kode_3, r.kode_4, r.kode_6];
    const code = chain[level]!;
    // 999999 "Uoplyst" (section X) has no groups between it and its section, which has no row of its own.
    let parent: string | null = null;
    for (let l = level - 1; l >= 0 && parent === null; l--) parent = chain[l] || null;
    byCode.set(code, { code, title: r.tekst, level, parent, validity: r.nb || null, expired: /\d{4}\s*-\s*\d{4}/.test(r.nb) });
  }
  for (const c of byCode.values()) if (c.parent && !byCode.has(c.parent)) c.parent = null;
  return byCode;
}

/** A DB07 code at any level (without dots), or undefined when DST's DB07 structure does not have it. */
export function industryByCode(code: string): IndustryCode | undefined {
  return load().get(code.replace(/\./g, ''));
}

/** The code itself and every level above it, nearest first: "251100" → 251100, 2511, 251, 25, C. */
export function industryAncestry(code: string): string[] {
  const chain: string[] = [];
  for (let c = industryByCode(code); c; c = c.parent ? industryByCode(c.parent) : undefined) chain.push(c.code);
  return chain;
}

/** Every six-digit DB07 code (741, including the four DST marks as expired and 999999 "Uoplyst"). */
export function allIndustries(): IndustryCode[] {
  return [...load().values()].filter((c) => c.level === 4);
}

/** Which code list an industry code is read in. */
export type IndustryScheme = 'DB07' | 'DB25' | 'UNKNOWN';

/**
 * How the hub serves a register's industry code: a code of DB07's six-digit list gets DST's title and
 * scheme DB07; a code the record itself says is DB25 (CVR's codes since 2025, no published list here), or
 * one DB07 does not have, keeps the register's own text (branchetekst) as its title.
 */
export function industryView(
  code: string,
  titleAsGiven: string | null,
  versionAsGiven: string | null,
): { scheme: IndustryScheme; title: string | null } {
  const version = (versionAsGiven ?? '').toUpperCase().replace(/\s+/g, '');
  if (/DB25|2025/.test(version)) return { scheme: 'DB25', title: titleAsGiven };
  const db07 = industryByCode(code);
  if (db07 && db07.level === 4) return { scheme: 'DB07', title: db07.title };
  return { scheme: 'UNKNOWN', title: titleAsGiven };
}
