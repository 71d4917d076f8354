import fs from 'node:fs';
import { once } from 'node:events';
import { withCheckDigit } from '../src/codes/cvr.js';
import { allMunicipalities } from '../src/codes/lists.js';
import { intervalCodeForBand, bandForCount } from '../connectors/registry/domain.js';

/**
 * Writes `count` CVR records as NDJSON, streaming (a million records never sit in memory).
 * Synthetic but shaped like the distribution API, with valid check digits across all 98 municipalities.
 */
export async function writeCvrBenchFile(file: string, count: number): Promise<void> {
  const out = fs.createWriteStream(file);
  const municipalities = allMunicipalities();
  let written = 0;
  for (let base = 1_000_000; written < count; base++) {
    const cvr = withCheckDigit(String(base));
    if (!cvr) continue;
    const m = municipalities[written % municipalities.length]!;
    const employees = (written * 7919) % 260;
    const line = JSON.stringify({
      cvrNummer: Number(cvr),
      sidstOpdateret: '2026-05-01T10:00:00.000+02:00',
      virksomhedMetadata: {
        nyesteNavn: { navn: `Benchmark Virksomhed ${written} ApS` },
        nyesteBeliggenhedsadresse: {
          vejnavn: 'Industrivej',
          husnummerFra: (written % 200) + 1,
          bogstavFra: null,
          postnummer: 7400,
          postdistrikt: 'Herning',
          kommune: { kommuneKode: Number(m.code), kommuneNavn: m.name.toUpperCase() },
        },
        nyesteHovedbranche: { branchekode: ['251100', '620100', '432200', '494100', '561010'][written % 5], branchetekst: 'Branche' },
        nyesteVirksomhedsform: { virksomhedsformkode: 80, kortBeskrivelse: 'APS', langBeskrivelse: 'Anpartsselskab' },
        sammensatStatus: 'Aktiv',
        stiftelsesDato: '2001-04-01',
        // As real records: the current figure is ERST's monthly one; the quarterly one stopped at 2019 Q3.
        nyesteErstMaanedsbeskaeftigelse: {
          aar: 2026,
          maaned: 4,
          antalAarsvaerk: employees * 0.9,
          antalAnsatte: employees,
          intervalKodeAntalAnsatte: intervalCodeForBand(bandForCount(employees)),
        },
        nyesteKvartalsbeskaeftigelse: { aar: 2019, kvartal: 3, antalAnsatte: null, intervalKodeAntalAnsatte: 'ANTAL_5_9' },
      },
      penheder: [{ pNummer: 1_000_000_000 + written }],
    });
    if (!out.write(line + '\n')) await once(out, 'drain');
    written++;
  }
  out.end();
  await once(out, 'finish');
}
