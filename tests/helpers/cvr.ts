import { withCheckDigit } from '../../src/codes/cvr.js';
import { industryByCode } from '../../src/codes/industries.js';

/** The n-th valid CVR number of a test-only series. */
export function testCvr(n: number): string {
  for (let i = n * 13; ; i++) {
    const cvr = withCheckDigit(String(3_000_000 + i));
    if (cvr) return cvr;
  }
}

export interface VrvOptions {
  cvr: string;
  name?: string | null;
  kommuneKode?: number;
  postnummer?: number;
  by?: string;
  branchekode?: string;
  status?: string;
  updated?: string;
  band?: string;
  pNumbers?: number[];
}

/** A Vrvirksomhed object in the shape of CVR's distribution API. */
export function vrv(o: VrvOptions): object {
  return {
    cvrNummer: Number(o.cvr),
    sidstOpdateret: o.updated ?? '2026-05-01T10:00:00.000+02:00',
    virksomhedMetadata: {
      nyesteNavn: o.name === null ? undefined : { navn: o.name ?? `Firma ${o.cvr} ApS` },
      nyesteBeliggenhedsadresse: {
        vejnavn: 'Fabriksvej',
        husnummerFra: 12,
        bogstavFra: 'A',
        postnummer: o.postnummer ?? 7400,
        postdistrikt: o.by ?? 'Herning',
        kommune: { kommuneKode: o.kommuneKode ?? 657, kommuneNavn: 'HERNING' },
      },
      nyesteHovedbranche: {
        branchekode: o.branchekode ?? '251100',
        branchetekst: industryByCode(o.branchekode ?? '251100')?.title ?? 'Branche uden for DB07 (test)',
      },
      nyesteVirksomhedsform: { virksomhedsformkode: 80, kortBeskrivelse: 'APS', langBeskrivelse: 'Anpartsselskab' },
      sammensatStatus: o.status ?? 'Aktiv',
      stiftelsesDato: '2001-04-01',
      nyesteKvartalsbeskaeftigelse: { aar: 2026, kvartal: 2, antalAnsatte: null, intervalKodeAntalAnsatte: o.band ?? 'ANTAL_20_49' },
    },
    penheder: (o.pNumbers ?? [1012345678]).map((p) => ({ pNummer: p })),
  };
}

export const ndjson = (objects: object[]) => objects.map((o) => JSON.stringify(o)).join('\n') + '\n';
