import fs from 'node:fs';
import path from 'node:path';
import { allAreas, municipalitiesInArea } from '../../src/codes/areas.js';
import { readCodeList, municipalityByCode } from '../../src/codes/lists.js';
import { occupationByCode } from '../../src/codes/occupations.js';
import type { Random } from '../../src/demo/random.js';
import { MIDTJYLLAND_WEIGHTS } from '../../src/demo/region.js';
import { demoCourses } from '../../src/demo/catalogue.js';
import { discoFromEsco, iscoUri } from './codes.js';
import type { DemoFile, DemoWorld } from '../../src/demo/world.js';
import { addDays } from './domain.js';

/** Which occupations a trade recruits, by the first two digits of its DB07 code, with weights. */
const MIX: Record<string, [string, number][]> = {
  '01': [
    ['921100', 4],
    ['612100', 2],
    ['834400', 1],
  ],
  '10': [
    ['816010', 4],
    ['751200', 3],
    ['932900', 5],
    ['432100', 2],
  ],
  '16': [
    ['932900', 4],
    ['834400', 2],
    ['711510', 2],
  ],
  '22': [
    ['932900', 5],
    ['722300', 2],
    ['432100', 2],
  ],
  '25': [
    ['721200', 6],
    ['721400', 5],
    ['722300', 3],
    ['932900', 3],
    ['214400', 1],
  ],
  '28': [
    ['722300', 4],
    ['721200', 3],
    ['214400', 3],
    ['741100', 2],
    ['932900', 2],
  ],
  '31': [
    ['711510', 3],
    ['932900', 4],
    ['713110', 1],
  ],
  '41': [
    ['711510', 5],
    ['741100', 2],
    ['713110', 2],
    ['712600', 2],
  ],
  '43': [
    ['741100', 4],
    ['712600', 4],
    ['711510', 4],
    ['713110', 3],
  ],
  '45': [
    ['723110', 6],
    ['522300', 1],
  ],
  '46': [
    ['522300', 2],
    ['432100', 3],
    ['833210', 2],
  ],
  '47': [
    ['522300', 8],
    ['432100', 2],
  ],
  '49': [
    ['833210', 8],
    ['832220', 3],
  ],
  '52': [
    ['432100', 6],
    ['834400', 4],
    ['833210', 2],
  ],
  '56': [
    ['512000', 5],
    ['513100', 5],
  ],
  '62': [
    ['251220', 6],
    ['251120', 3],
    ['251300', 2],
  ],
  '69': [
    ['331300', 5],
    ['241100', 3],
  ],
  '71': [
    ['214400', 4],
    ['251120', 1],
  ],
  '81': [['911210', 8]],
  '86': [
    ['222110', 4],
    ['532120', 2],
  ],
  '87': [
    ['532210', 6],
    ['532120', 4],
    ['222110', 2],
  ],
  '88': [
    ['532210', 7],
    ['532120', 3],
  ],
};
const FALLBACK: [string, number][] = [
  ['932900', 2],
  ['432100', 1],
  ['911210', 1],
];

/** Occupations that the demo balance puts in shortage in both areas (as in recent Arbejdsmarkedsbalancer). */
const SHORTAGE = new Set(['721200', '721400', '741100', '532120', '532210', '222110', '833210', '712600', '722300']);

const VAGUE_TITLES = ['Medarbejder til spændende opgaver', 'Allround kollega søges', 'Vikar', 'Elev'];
const WORK_HOURS = [
  ['Fuldtid', 8],
  ['Deltid', 2],
] as const;
const EMPLOYMENT = [
  ['Fastansættelse', 8],
  ['Tidsbegrænset ansættelse', 2],
  ['Vikariat', 1],
] as const;

function guid(rnd: Random): string {
  const hex = (n: number) => Array.from({ length: n }, () => rnd.int(0, 15).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${rnd.pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
}

const halfYearOf = (date: string) => `${date.slice(0, 4)}H${Number(date.slice(5, 7)) <= 6 ? 1 : 2}`;
const monthsBack = (date: string, n: number) => {
  const d = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1 - n, 1));
  return `${d.getUTCFullYear()}M${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/**
 * Jobcentre source files for the demo companies: job ads for about a third of the companies that
 * employ people, job orders, measures, a few layoff notices, unemployed supply and a balance.
 */
export function writeJobcentreFiles(world: DemoWorld, dir: string, rnd: Random): DemoFile[] {
  // Ads and orders name an occupation by ESCO's ISCO-group URI only where that URI maps back to the same DISCO code.
  const escoOf = (disco: string) => (discoFromEsco(iscoUri(disco)) === disco ? iscoUri(disco) : undefined);
  // Advertised labels: DST's title, or a synonym from the label list that maps to exactly this code.
  const synonyms = new Map<string, string[]>();
  for (const r of readCodeList<{ label: string; disco: string }>('codes/occupation-labels.csv'))
    synonyms.set(r.disco, [...(synonyms.get(r.disco) ?? []), r.label]);
  const today = world.today;
  const ads: object[] = [];
  const orders: string[] = [];
  const measures: string[] = ['cvr;periode;tilbud;antal'];
  const layoffs: string[] = [];
  let serial = 5_000_000;

  for (const c of world.companies) {
    if (!c.active || c.employees < 2) continue;
    const mix = MIX[c.industry.slice(0, 2)] ?? FALLBACK;
    if (rnd.chance(0.35)) {
      const n = Math.min(25, 1 + Math.floor(rnd.float() * Math.sqrt(c.employees) * 0.6));
      for (let i = 0; i < n; i++) {
        const disco = rnd.weighted(mix);
        const title = occupationByCode(disco)!.title;
        const label = rnd.chance(0.06) ? rnd.pick(VAGUE_TITLES) : rnd.chance(0.5) ? rnd.pick(synonyms.get(disco) ?? [title]) : title;
        const posted = addDays(today, -rnd.int(0, 100));
        const external = rnd.chance(0.25);
        const ad: Record<string, unknown> = {
          ID: external ? `E${serial++}` : String(serial++),
          Title: label === title ? `${title} til ${c.name.replace(/ (ApS|A\/S|I\/S)$/, '')}` : `${label} søges`,
          HiringOrgName: c.name,
          // Some ads, mostly external ones, carry no usable CVR number.
          HiringOrgCVR: rnd.chance(external ? 0.1 : 0.01) ? 0 : Number(c.cvr),
          WorkPlaceAddress: `${c.street} ${c.houseNumber}`,
          WorkPlacePostalCode: c.postcode,
          WorkPlaceCity: c.city,
          Municipality: municipalityByCode(c.municipality)!.name,
          PostingCreated: `${posted}T${String(rnd.int(6, 17)).padStart(2, '0')}:00:00`,
          LastDateApplication: rnd.chance(0.8) ? addDays(posted, rnd.int(14, 45)) : null,
          EmploymentType: rnd.weighted(EMPLOYMENT),
          WorkHours: rnd.weighted(WORK_HOURS),
          Occupation: label,
          NumberToFill: rnd.weighted([
            [1, 8],
            [2, 2],
            [3, 1],
            [5, 0.3],
          ]),
        };
        if (!external && rnd.chance(0.3)) ad.OccupationCode = disco;
        else if (rnd.chance(0.2) && escoOf(disco)) ad.ConceptUriDa = escoOf(disco);
        ads.push(ad);
      }
    }
    if (rnd.chance(0.1)) {
      for (let i = rnd.int(1, 3); i > 0; i--) {
        const disco = rnd.weighted(mix);
        orders.push(
          JSON.stringify({
            jobordreId: guid(rnd),
            cvrNummer: Number(c.cvr),
            productionUnitIdentifier: Number(rnd.pick(c.pNumbers)),
            title: occupationByCode(disco)!.title,
            ConceptUriDa: escoOf(disco) ?? null,
            jobordreType: rnd.weighted([
              ['Ordinær', 6],
              ['Løntilskud', 2],
              ['Virksomhedspraktik', 2],
            ]),
            joborderStatusType: rnd.weighted([
              ['Aktiv', 5],
              ['Besat', 3],
              ['Annulleret', 1],
            ]),
            startdato: addDays(today, rnd.int(-120, 90)),
          }),
        );
      }
    }
    if (rnd.chance(0.15)) {
      const kinds = ['virksomhedspraktik', 'løntilskud', 'jobrotation', 'fleksjob'];
      for (let m = 0; m < 18; m++) {
        for (const kind of kinds) {
          if (rnd.chance(kind === 'virksomhedspraktik' ? 0.25 : kind === 'jobrotation' ? 0.03 : 0.1))
            measures.push(`${c.cvr};${monthsBack(today, m)};${kind};${rnd.int(1, 3)}`);
        }
      }
    }
    if (c.employees >= 20 && rnd.chance(0.03)) {
      layoffs.push(
        JSON.stringify({
          cvr: c.cvr,
          dato: addDays(today, -rnd.int(10, 500)),
          antalPersoner: rnd.int(10, Math.max(11, Math.floor(c.employees / 3))),
          aarsag: rnd.chance(0.8) ? 'indskrænkning' : 'lukning',
        }),
      );
    }
  }

  // A layoff notice is rare; the demo keeps two recent ones so the sandbox shows the signal.
  const noticed = new Set(layoffs.map((l) => (JSON.parse(l) as { cvr: string }).cvr));
  const recentLayoffs = world.companies.filter((c) => c.active && c.employees >= 20 && !noticed.has(c.cvr)).slice(0, 2);
  for (const c of recentLayoffs) {
    layoffs.push(
      JSON.stringify({
        cvr: c.cvr,
        dato: addDays(today, -rnd.int(20, 150)),
        antalPersoner: rnd.int(10, Math.max(11, Math.floor(c.employees / 3))),
        aarsag: 'indskrænkning',
      }),
    );
  }

  // Balance and supply for the occupations the demo's trades recruit and its courses train for, in the areas of the
  // demo region under the area scheme in force (RAR Vestjylland and RAR Østjylland under RAR2015).
  const occupations = [
    ...new Set(
      [...Object.values(MIX).flat(), ...FALLBACK]
        .map(([disco]) => disco)
        .concat(
          [...SHORTAGE],
          demoCourses().flatMap((c) => c.disco.split(',')),
        ),
    ),
  ]
    .filter((disco) => disco.length === 6)
    .sort();
  for (const disco of occupations)
    if (!occupationByCode(disco)) throw new Error(`demo occupation ${disco} is not in data/codes/disco08.csv`);
  const region = new Set(MIDTJYLLAND_WEIGHTS.map(([m]) => m));
  const areas = allAreas()
    .filter((a) => municipalitiesInArea(a.code).some((m) => region.has(m)))
    .map((a) => [a.code, a.name] as const);
  const supply = ['disco;area;periode;antalLedige'];
  const balance = ['DISCO-kode;Titel;Område;Periode;Vurdering'];
  const halves = [halfYearOf(addDays(today, -183)), halfYearOf(today)];
  for (const disco of occupations) {
    for (const [code, name] of areas) {
      const base = SHORTAGE.has(disco) ? rnd.int(5, 40) : rnd.int(30, 400);
      for (let m = 5; m >= 0; m--)
        supply.push(`${disco};${code};${monthsBack(today, m)};${Math.max(0, base + rnd.int(-Math.round(base / 5), Math.round(base / 5)))}`);
      for (const half of halves) {
        const category = SHORTAGE.has(disco)
          ? rnd.weighted([
              ['Mangel på arbejdskraft', 8],
              ['Paradoksproblemer', 2],
            ])
          : rnd.weighted([
              ['Gode jobmuligheder', 5],
              ['Mindre gode jobmuligheder', 3],
              ['Paradoksproblemer', 1],
            ]);
        balance.push(`${disco};${occupationByCode(disco)!.title};${name};${half};${category}`);
      }
    }
  }

  const write = (name: string, source: string, text: string): DemoFile => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return { source, file };
  };
  return [
    write('jobnet.json', 'jobnet', JSON.stringify({ JobPositionPostings: ads }, null, 1) + '\n'),
    write('joborders.ndjson', 'joborders', orders.join('\n') + '\n'),
    write('measures.csv', 'measures', measures.join('\n') + '\n'),
    write('layoffs.ndjson', 'layoffs', layoffs.join('\n') + '\n'),
    write('supply.csv', 'supply', supply.join('\n') + '\n'),
    write('balance.csv', 'balance', balance.join('\n') + '\n'),
  ];
}
