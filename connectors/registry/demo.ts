import fs from 'node:fs';
import path from 'node:path';
import { withCheckDigit } from '../../src/codes/cvr.js';
import { readCodeList } from '../../src/codes/lists.js';
import type { Random } from '../../src/demo/random.js';
import { demoPlaces, MIDTJYLLAND_WEIGHTS } from '../../src/demo/region.js';
import type { DemoCompany, DemoFile } from '../../src/demo/world.js';
import { municipalityByCode } from '../../src/codes/lists.js';
import { bandForCount, intervalCodeForBand } from './domain.js';

interface Trade {
  db07: string;
  word: string;
  weight: number;
}

/**
 * Legal forms the demo gives its companies, written into the CVR file as CVR writes nyesteVirksomhedsform. Demo values:
 * no published list of CVR's virksomhedsformer was found, so the hub ships none and serves each record's own
 * kortBeskrivelse and langBeskrivelse.
 */
const LEGAL_FORMS = [
  { code: '80', short: 'APS', long: 'Anpartsselskab', suffix: 'ApS', weight: 55 },
  { code: '60', short: 'A/S', long: 'Aktieselskab', suffix: 'A/S', weight: 12 },
  { code: '10', short: 'ENK', long: 'Enkeltmandsvirksomhed', suffix: '', weight: 26 },
  { code: '30', short: 'I/S', long: 'Interessentskab', suffix: 'I/S', weight: 7 },
] as const;

/** Rough size by trade weight 1..5: draws a headcount. */
function headcount(rnd: Random, weight: number): number {
  const ceiling = [4, 19, 49, 199, 800][Math.max(0, Math.min(4, weight - 1))]!;
  // Most firms are small whatever the trade: a skewed draw below the trade's ceiling.
  return Math.max(0, Math.round(ceiling * Math.pow(rnd.float(), 2.2)));
}

/** Companies of Region Midtjylland with valid CVR numbers, real places and plausible trades. */
export function demoCompanies(rnd: Random, count: number): DemoCompany[] {
  const places = demoPlaces();
  const surnames = readCodeList<{ surname: string }>('demo/surnames.csv').map((r) => r.surname);
  const titles = new Map(readCodeList<{ code: string; title: string }>('codes/db07.csv').map((r) => [r.code, r.title]));
  const trades: Trade[] = readCodeList<{ db07: string; word: string; employees_weight: string }>('demo/trades.csv').map((t) => {
    if (!titles.has(t.db07)) throw new Error(`data/demo/trades.csv: ${t.db07} is not a six-digit DB07 code (data/codes/db07.csv)`);
    return { db07: t.db07, word: t.word, weight: Number(t.employees_weight) || 1 };
  });
  const seen = new Set<string>();
  const companies: DemoCompany[] = [];
  let pSerial = 1_000_000_000 + rnd.int(0, 99_999_999);
  while (companies.length < count) {
    const cvr = withCheckDigit(String(rnd.int(1_000_000, 4_499_999)));
    if (!cvr || seen.has(cvr)) continue;
    seen.add(cvr);
    const municipality = rnd.weighted(MIDTJYLLAND_WEIGHTS);
    const place = places.get(municipality)!;
    const { postcode, city } = rnd.pick(place.postcodes);
    const trade = rnd.pick(trades);
    const form = rnd.weighted(LEGAL_FORMS.map((f) => [f, f.weight] as const));
    const town = municipalityByCode(municipality)!.name;
    const owner = rnd.pick(surnames);
    const base = rnd.weighted<string>([
      [`${owner}s ${trade.word}`, 3],
      [`${town}s ${trade.word}`, 2],
      [`${trade.word} ${city}`, 2],
      [`${owner} & ${rnd.pick(surnames)} ${trade.word}`, 1],
      [`Midtjysk ${trade.word}`, 1],
      [`Vestjysk ${trade.word}`, MIDTJYLLAND_WEIGHTS.findIndex(([m]) => m === municipality) % 2],
    ]);
    const name = form.suffix ? `${base} ${form.suffix}` : base;
    const employees = form.code === '10' ? Math.min(headcount(rnd, trade.weight), 9) : headcount(rnd, trade.weight);
    const units = employees >= 100 ? rnd.int(2, 4) : employees >= 20 && rnd.chance(0.3) ? 2 : 1;
    const pNumbers = Array.from({ length: units }, () => String(pSerial++));
    companies.push({
      cvr,
      name,
      legalForm: { code: form.code, short: form.short, long: form.long },
      founded: rnd.date('1960-01-01', '2025-06-30'),
      street: rnd.pick(place.streets),
      houseNumber: `${rnd.int(1, 140)}${rnd.chance(0.1) ? rnd.pick(['A', 'B', 'C']) : ''}`,
      municipality,
      postcode,
      city,
      industry: trade.db07,
      employees,
      pNumbers,
      active: !rnd.chance(0.05),
    });
  }
  return companies;
}

/** One employee figure as CVR writes it: headcount, full-time equivalents and their interval codes. */
function figure(count: number, period: Record<string, number>, updated: string) {
  const fte = Math.round(count * 0.86 * 100) / 100;
  return {
    ...period,
    antalAarsvaerk: fte,
    antalAnsatte: count,
    sidstOpdateret: updated,
    intervalKodeAntalAarsvaerk: intervalCodeForBand(bandForCount(Math.floor(fte))),
    intervalKodeAntalAnsatte: intervalCodeForBand(bandForCount(count)),
  };
}

/**
 * The four employee figures as real records carry them: the current one monthly from Erhvervsstyrelsen,
 * last year's yearly figure, and the quarterly figure CVR froze at 2019 Q3 (an older headcount, so a
 * reader that takes the quarterly figure shows the wrong number). Derived from the CVR number, not drawn,
 * so the rest of the file stays as it was.
 */
function employeeFigures(c: DemoCompany) {
  const then = Math.round(c.employees * (0.6 + (Number(c.cvr) % 7) / 10));
  return {
    nyesteAarsbeskaeftigelse: {
      ...figure(Math.round(c.employees * 0.95), { aar: 2025 }, '2026-03-14T01:02:11.000+01:00'),
      antalInklusivEjere: null,
      intervalKodeAntalInklusivEjere: null,
    },
    nyesteKvartalsbeskaeftigelse: figure(then, { aar: 2019, kvartal: 3 }, '2019-12-03T16:29:43.000+01:00'),
    nyesteMaanedsbeskaeftigelse: null,
    nyesteErstMaanedsbeskaeftigelse: figure(c.employees, { aar: 2026, maaned: 4 }, '2026-05-26T01:01:26.000+02:00'),
  };
}

/** Writes the companies as CVR distribution NDJSON, one Vrvirksomhed per line. */
export function writeCvrFile(companies: DemoCompany[], titles: Map<string, string>, dir: string, rnd: Random): DemoFile {
  const file = path.join(dir, 'cvr.ndjson');
  // Written line by line: a million companies are more text than one JavaScript string can hold.
  const fd = fs.openSync(file, 'w');
  for (const c of companies) {
    const m = /^(\d+)([A-Z]?)$/.exec(c.houseNumber)!;
    const v = {
      cvrNummer: Number(c.cvr),
      sidstOpdateret: `2026-${String(rnd.int(1, 9)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}T10:00:00.000+02:00`,
      virksomhedMetadata: {
        nyesteNavn: { navn: c.name },
        nyesteBeliggenhedsadresse: {
          vejnavn: c.street,
          husnummerFra: Number(m[1]),
          bogstavFra: m[2] || null,
          postnummer: Number(c.postcode),
          postdistrikt: c.city,
          kommune: { kommuneKode: Number(c.municipality), kommuneNavn: municipalityByCode(c.municipality)!.name.toUpperCase() },
        },
        nyesteHovedbranche: { branchekode: c.industry, branchetekst: titles.get(c.industry) },
        nyesteVirksomhedsform: {
          virksomhedsformkode: Number(c.legalForm.code),
          kortBeskrivelse: c.legalForm.short,
          langBeskrivelse: c.legalForm.long,
        },
        sammensatStatus: c.active ? 'Aktiv' : rnd.pick(['Ophørt', 'Under konkurs', 'Opløst efter frivillig likvidation']),
        stiftelsesDato: c.founded,
        ...employeeFigures(c),
      },
      penheder: c.pNumbers.map((p) => ({ pNummer: Number(p) })),
    };
    fs.writeSync(fd, JSON.stringify(v) + '\n');
  }
  fs.closeSync(fd);
  return { source: 'cvr', file };
}
