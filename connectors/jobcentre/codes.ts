import { areaByCode, areaOfMunicipality, type LabourMarketArea } from '../../src/codes/areas.js';
import { allMunicipalities, readCodeList } from '../../src/codes/lists.js';
import { allOccupations, occupationByCode } from '../../src/codes/occupations.js';

/** How a DISCO code was found for an ad or order. */
export type OccupationVia = 'code' | 'esco' | 'label';

let esco: Map<string, string> | undefined;
let labels: Map<string, string> | undefined;

const fold = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFC')
    .replace(/\bm\/k\b|\(.*?\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function escoMap(): Map<string, string> {
  esco ??= new Map(readCodeList<{ esco_uri: string; disco: string }>('codes/esco-disco.csv').map((r) => [r.esco_uri.replace(/\/$/, ''), r.disco]));
  return esco;
}

function labelMap(): Map<string, string> {
  if (!labels) {
    labels = new Map();
    // Occupation titles first, then the advertised synonyms (which may override a group title).
    for (const o of allOccupations()) if (o.level >= 4) labels.set(fold(o.title), o.disco);
    for (const r of readCodeList<{ label: string; disco: string }>('codes/occupation-labels.csv')) labels.set(fold(r.label), r.disco);
  }
  return labels;
}

/** The most specific code of the shipped list for a DISCO code as given (6 digits, else its unit group). */
export function knownDisco(code: string): string | null {
  const c = code.trim();
  if (!/^\d{4}(\d{2})?$/.test(c)) return null;
  if (occupationByCode(c)) return c;
  return occupationByCode(c.slice(0, 4)) ? c.slice(0, 4) : null;
}

/** ESCO's URI of an ISCO-08 group, e.g. http://data.europa.eu/esco/isco/C7212. */
const ISCO_URI = /^https?:\/\/data\.europa\.eu\/esco\/isco\/C(\d{4})$/;

/** The ESCO URI of the ISCO-08 unit group a DISCO code belongs to (DISCO-08 keeps ISCO-08's unit-group codes). */
export function iscoUri(disco: string): string {
  return `http://data.europa.eu/esco/isco/C${disco.slice(0, 4)}`;
}

/**
 * An ESCO URI → DISCO: an ISCO-08 unit-group URI maps to the DISCO unit group of the same code, or to its only
 * six-digit occupation where DST has just one (C7212 → 721200, C2512 → 2512); an ESCO occupation URI maps through
 * data/codes/esco-disco.csv.
 */
export function discoFromEsco(uri: string): string | null {
  const u = uri.trim().replace(/\/$/, '');
  const isco = ISCO_URI.exec(u);
  if (isco) {
    const group = isco[1]!;
    if (occupationByCode(group)?.level !== 4) return null;
    const occupations = allOccupations().filter((o) => o.parent === group);
    return occupations.length === 1 ? occupations[0]!.disco : group;
  }
  return escoMap().get(u) ?? null;
}

/** A label such as "Svejser", "Lastbilchauffør m/k" or "CNC-operatør, nat" → DISCO; null when not known. */
export function discoFromLabel(label: string): string | null {
  const full = fold(label);
  const head = fold(label.split(/,|\s[–-]\s/)[0]!);
  return labelMap().get(full) ?? labelMap().get(head) ?? null;
}

/** Tries the code, then the ESCO concept through the crosswalk, then the text labels. */
export function mapOccupation(o: { code?: string | null; esco?: string | null; labels: (string | null | undefined)[] }): { disco: string; via: OccupationVia } | null {
  const byCode = o.code ? knownDisco(o.code) : null;
  if (byCode) return { disco: byCode, via: 'code' };
  const byEsco = o.esco ? discoFromEsco(o.esco) : null;
  if (byEsco) return { disco: byEsco, via: 'esco' };
  for (const l of o.labels) {
    const byLabel = l ? discoFromLabel(l) : null;
    if (byLabel) return { disco: byLabel, via: 'label' };
  }
  return null;
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
