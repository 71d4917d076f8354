import {
  allMunicipalities,
  municipalityByCode,
  municipalityByName,
  normaliseMunicipalityCode,
  readCodeList,
} from '../../src/codes/lists.js';
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
  esco ??= new Map(
    readCodeList<{ esco_uri: string; disco: string }>('codes/esco-disco.csv').map((r) => [r.esco_uri.replace(/\/$/, ''), r.disco]),
  );
  return esco;
}

/**
 * Forgets the label and ESCO lists read so far, so the next lookup reads data/codes again (after an
 * operator added rows; `indgang codes remap` starts from the files as they are now).
 */
export function reloadOccupationLists(): void {
  labels = undefined;
  esco = undefined;
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
export function mapOccupation(o: {
  code?: string | null;
  esco?: string | null;
  labels: (string | null | undefined)[];
}): { disco: string; via: OccupationVia } | null {
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

export { resolveArea } from '../../src/codes/areas.js';

/**
 * A municipality name folded for matching: case, "Kommune"/"Regionskommune", a genitive s ("Københavns
 * Kommune", "Vesthimmerlands"), aa for å ("Aarhus"/"Århus") and hyphens or spaces ("Høje-Taastrup" /
 * "Høje Taastrup") do not matter.
 */
export function foldMunicipalityName(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .replace(/\b(regions)?kommune\b/g, ' ')
    .replace(/aa/g, 'å')
    .replace(/[^a-zæøåéü]/g, '')
    .replace(/s$/, '');
}

let municipalityNames: Map<string, string> | undefined;

/**
 * A municipality by the name or code an ad gives (Jobnet writes names: "København", "Aarhus",
 * "Høje-Taastrup"; detail documents give {Id, Name}): its 3-digit code, null when none is given,
 * undefined when the value names no municipality of the list.
 */
export function municipalityOf(value: unknown): string | null | undefined {
  const code = normaliseMunicipalityCode(value);
  if (code) return municipalityByCode(code) ? code : undefined;
  if (typeof value === 'number') return undefined;
  if (typeof value !== 'string' || value.trim() === '') return null;
  if (!municipalityNames) {
    municipalityNames = new Map();
    const taken = new Set<string>();
    for (const m of allMunicipalities()) {
      for (const key of new Set([m.name, m.postnordName].filter(Boolean).map(foldMunicipalityName))) {
        // Two municipalities folding to one key would make a name ambiguous: neither is matched by it.
        if (municipalityNames.has(key) && municipalityNames.get(key) !== m.code) taken.add(key);
        municipalityNames.set(key, m.code);
      }
    }
    for (const k of taken) municipalityNames.delete(k);
  }
  return municipalityNames.get(foldMunicipalityName(value)) ?? municipalityByName(value)?.code ?? undefined;
}
