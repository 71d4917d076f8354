import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAreas, areaByCode, areaOfMunicipality, municipalitiesInArea, schemeFrom } from '../src/codes/areas.js';
import { allIndustries, industryAncestry, industryByCode, industryView } from '../src/codes/industries.js';
import {
  allMunicipalities,
  allPostcodes,
  dataDir,
  municipalityByCode,
  municipalityByName,
  postcodeInfo,
  readCodeList,
} from '../src/codes/lists.js';
import { allOccupations, occupationAncestry, occupationByCode } from '../src/codes/occupations.js';
import { municipalityCode as municipalityCodeFromCrm } from '../connectors/crm/domain.js';
import { discoFromEsco, discoFromLabel } from '../connectors/jobcentre/codes.js';
import { generateDemo } from '../src/demo/generate.js';

const root = path.resolve(dataDir, '..');
const rows = (file: string) => readCodeList<Record<string, string>>(file);

describe('the shipped code lists', () => {
  it('hold the published lists whole, with the row counts data/codes/README.md gives', () => {
    const counts = Object.fromEntries(
      ['postcodes', 'postcode-municipalities', 'municipalities', 'db07', 'db07-hierarchy', 'disco08', 'rar-areas', 'rar2015-areas'].map(
        (f) => [f, rows(`codes/${f}.csv`).length],
      ),
    );
    expect(counts).toEqual({
      postcodes: 1288,
      'postcode-municipalities': 1434,
      municipalities: 99,
      db07: 741,
      'db07-hierarchy': 1740,
      disco08: 1171,
      'rar-areas': 97,
      'rar2015-areas': 99,
    });
    const levels = (n: number) => allOccupations().filter((o) => o.level === n).length;
    expect([1, 2, 3, 4, 5].map(levels)).toEqual([10, 42, 126, 429, 564]);
    expect(allIndustries()).toHaveLength(741);
    expect(allMunicipalities()).toHaveLength(99);
    const territories = allPostcodes().reduce<Record<string, number>>((n, p) => ({ ...n, [p.territory]: (n[p.territory] ?? 0) + 1 }), {});
    expect(territories).toEqual({ DK: 1125, GL: 33, FO: 130 });
  });

  it('agree with each other: parents exist, the flat DB07 list matches the structure, pairs name known codes', () => {
    for (const o of allOccupations()) if (o.parent) expect(occupationByCode(o.parent), o.disco).toBeDefined();
    for (const r of rows('codes/db07.csv')) {
      const c = industryByCode(r.code!)!;
      expect(c, r.code).toMatchObject({ level: 4, title: r.title });
      expect(industryAncestry(r.code!).slice(1), r.code).toEqual(
        r.code === '999999' ? [] : [r.undergruppe!.replace('.', ''), r.gruppe!.replace('.', ''), r.hovedgruppe, r.section],
      );
    }
    for (const r of rows('codes/postcode-municipalities.csv')) {
      expect(postcodeInfo(r.postcode!), r.postcode).toBeDefined();
      expect(municipalityByCode(r.municipality_code!), r.municipality_code).toBeDefined();
    }
    for (const r of [...rows('codes/rar-areas.csv'), ...rows('codes/rar2015-areas.csv')])
      expect(municipalityByCode(r.municipality_code!)).toBeDefined();
  });

  it('give every municipality of a postcode, primary first', () => {
    expect(postcodeInfo('2800')).toMatchObject({ city: 'Kgs. Lyngby', territory: 'DK', municipalityCode: '173' });
    expect(postcodeInfo('2800')!.municipalities.slice().sort()).toEqual(['157', '159', '173', '230']);
    expect(postcodeInfo('7400')).toMatchObject({ municipalityCode: '657', municipalities: ['657', '756', '760'] });
    expect(postcodeInfo('8000')).toMatchObject({ city: 'Aarhus C', municipalityCode: '751', municipalities: ['751'] });
    // Postcodes the old list lacked (real Jobnet ads were rejected for them).
    for (const p of ['2000', '2100', '2300', '2750', '2800', '5500', '6600'])
      expect(postcodeInfo(p)?.municipalityCode, p).toMatch(/^\d{3}$/);
    expect(postcodeInfo('3900')).toMatchObject({ territory: 'GL', municipalityCode: null, municipalities: [] });
    expect(postcodeInfo('100')).toMatchObject({ territory: 'FO', municipalityCode: null });
    expect(postcodeInfo('0800')).toMatchObject({ bulkRecipient: true, municipalityCode: '169' });
    expect(postcodeInfo('1212')).toMatchObject({ municipalityCode: null, municipalities: [] });
    expect(postcodeInfo('9999')).toBeUndefined();
  });

  it('name municipalities with their region and find them by DAGI or PostNord name', () => {
    expect(municipalityByCode('657')).toMatchObject({
      name: 'Herning',
      regionCode: '1082',
      regionName: 'Region Midtjylland',
      outsideMunicipalDivision: false,
    });
    expect(municipalityByCode('411')).toMatchObject({ outsideMunicipalDivision: true, regionName: 'Region Hovedstaden' });
    expect(municipalityByName('Vesthimmerlands Kommune')?.code).toBe('820');
    expect(municipalityByName('vesthimmerland')?.code).toBe('820');
    expect(municipalityByName('Høje Taastrup')?.code).toBe('169');
    expect(municipalityByName('Mars')).toBeUndefined();
    // Jobnet and CRM exports write PostNord-style names; both adapters fall back to these lookups.
    expect(municipalityCodeFromCrm('Vesthimmerlands Kommune')).toBe('820');
  });

  it('read DISCO-08 and DB07 at every level with the real parent chain', () => {
    expect(occupationAncestry('251220')).toEqual(['251220', '2512', '251', '25', '2']);
    expect(occupationByCode('251200')).toBeUndefined();
    expect(industryAncestry('281110')).toEqual(['281110', '2811', '281', '28', 'C']);
    expect(industryByCode('28.11')).toMatchObject({ code: '2811', level: 3, parent: '281' });
    expect(industryByCode('281100')).toBeUndefined();
    expect(industryByCode('421000')).toMatchObject({ expired: true, validity: expect.stringMatching(/2008-2012/) });
    expect(industryByCode('421100')).toMatchObject({ expired: false, validity: expect.stringMatching(/2013-/) });
    expect(
      allIndustries()
        .filter((c) => c.expired)
        .map((c) => c.code),
    ).toEqual(['421000', '422000', '429000', '479110']);
    expect(industryByCode('999999')).toMatchObject({ level: 4, parent: null });
  });

  it("read an industry code in DB07 when the list has it, else keep the record's own text", () => {
    expect(industryView('620100', 'tekst fra registret', null)).toEqual({ scheme: 'DB07', title: industryByCode('620100')!.title });
    expect(industryView('962100', 'tekst fra registret', null)).toEqual({ scheme: 'UNKNOWN', title: 'tekst fra registret' });
    expect(industryView('962100', 'tekst fra registret', 'DB25')).toEqual({ scheme: 'DB25', title: 'tekst fra registret' });
    expect(industryView('478100', 'tekst fra registret', 'db 25')).toEqual({ scheme: 'DB25', title: 'tekst fra registret' });
  });

  it('put every municipality in an area under RAR2015, and all but Bornholm and Christiansø under RBR2025', () => {
    const all = allMunicipalities().map((m) => m.code);
    expect(all.filter((m) => !areaOfMunicipality(m, 'RAR2015'))).toEqual([]);
    expect(all.filter((m) => !areaOfMunicipality(m, 'RBR2025'))).toEqual(['400', '411']);
    expect(
      allAreas('RAR2015')
        .map((a) => a.code)
        .sort(),
    ).toEqual(['RAR-BORN', 'RAR-FYN', 'RAR-HS', 'RAR-NORD', 'RAR-OEST', 'RAR-SJ', 'RAR-SYD', 'RAR-VEST']);
    expect(
      allAreas('RBR2025')
        .map((a) => a.code)
        .sort(),
    ).toEqual(['RBR-HS', 'RBR-MIDT', 'RBR-NORD', 'RBR-SJ', 'RBR-SYD']);
    expect(areaOfMunicipality('657', 'RAR2015')).toEqual({ code: 'RAR-VEST', name: 'RAR Vestjylland', scheme: 'RAR2015' });
    expect(areaOfMunicipality('791', 'RAR2015')?.code).toBe('RAR-OEST');
    expect(areaOfMunicipality('773', 'RAR2015')?.code).toBe('RAR-NORD');
    expect(areaOfMunicipality('657', 'RBR2025')?.code).toBe('RBR-MIDT');
    expect(municipalitiesInArea('RBR-MIDT', 'RBR2025')).toHaveLength(19);
    expect(areaByCode('RAR-VEST', 'RBR2025')).toBeUndefined();
    expect(schemeFrom(undefined)).toBe('RAR2015');
    expect(() => schemeFrom('RAR2030')).toThrow(/INDGANG_AREA_SCHEME=RAR2030 is not an area scheme/);
  });
});

describe('every code the project itself uses exists in the lists', () => {
  const disco = (code: string) => occupationByCode(code) !== undefined && code.length >= 4;
  const db07 = (code: string) => industryByCode(code)?.level === 4;

  it('in the crosswalks an operator extends', () => {
    for (const r of rows('codes/esco-disco.csv')) expect(disco(r.disco!), `esco-disco.csv: ${r.esco_uri} → ${r.disco}`).toBe(true);
    const labels = rows('codes/occupation-labels.csv');
    for (const r of labels) {
      expect(disco(r.disco!), `occupation-labels.csv: ${r.label} → ${r.disco}`).toBe(true);
      expect(discoFromLabel(r.label!), r.label).toBe(r.disco);
    }
    expect(new Set(labels.map((r) => r.label!.toLowerCase())).size).toBe(labels.length);
    expect(discoFromEsco('http://data.europa.eu/esco/isco/C7212')).toBe('721200');
    expect(discoFromEsco('http://data.europa.eu/esco/isco/C2512')).toBe('2512');
    expect(discoFromEsco('http://data.europa.eu/esco/isco/C0000')).toBeNull();
    expect(discoFromLabel(occupationByCode('721200')!.title)).toBe('721200');
  });

  it('in the demo word lists under data/demo', () => {
    for (const r of rows('demo/trades.csv')) {
      expect(db07(r.db07!), `trades.csv: ${r.db07}`).toBe(true);
      expect(industryByCode(r.db07!)!.expired, `trades.csv: ${r.db07} is expired`).toBe(false);
    }
    for (const r of rows('demo/amu-courses.csv'))
      for (const d of r.disco!.split(',').filter(Boolean)) expect(disco(d), `amu-courses.csv ${r.number}: ${d}`).toBe(true);
    for (const r of rows('demo/streets.csv'))
      expect(municipalityByCode(r.municipality_code!), `streets.csv: ${r.municipality_code}`).toBeDefined();
    for (const r of rows('demo/crm-referral-actors.csv'))
      if (r.municipality_code) expect(municipalityByCode(r.municipality_code), r.actor).toBeDefined();
    for (const r of rows('demo/veu-providers.csv')) {
      expect(postcodeInfo(r.postcode!)?.city, `veu-providers.csv: ${r.name} ${r.postcode}`).toBe(r.city);
      for (const m of r.municipalities!.split(',')) expect(municipalityByCode(m), `veu-providers.csv: ${r.name} ${m}`).toBeDefined();
    }
  });

  describe("in the demo generator's output", () => {
    let dir: string;
    const file = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
    const csvRows = (name: string) =>
      (
        parse(file(name), { delimiter: ';', comment: '#', comment_no_infix: true, skip_empty_lines: true, from_line: 1 }) as string[][]
      ).slice(1);
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'indgang-codes-'));
      generateDemo({ companies: 400, outDir: dir, today: '2026-06-01' });
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("companies: industry codes with DST titles, postcodes that lie in the company's municipality", () => {
      const lines = file('cvr.ndjson').trim().split('\n');
      expect(lines.length).toBe(400);
      for (const line of lines) {
        const m = JSON.parse(line).virksomhedMetadata;
        const { branchekode, branchetekst } = m.nyesteHovedbranche;
        expect(industryByCode(branchekode)?.title, branchekode).toBe(branchetekst);
        const a = m.nyesteBeliggenhedsadresse;
        const kommune = String(a.kommune.kommuneKode).padStart(3, '0');
        expect(municipalityByCode(kommune)).toBeDefined();
        const postcode = postcodeInfo(String(a.postnummer));
        expect(postcode?.municipalities, `${a.postnummer} in ${kommune}`).toContain(kommune);
        expect(postcode?.city).toBe(a.postdistrikt);
      }
    });

    it('job ads, orders, balance and supply: DISCO codes, ESCO URIs, postcodes and areas of the lists', () => {
      const ads = JSON.parse(file('jobnet.json')).JobPositionPostings as Record<string, any>[];
      expect(ads.length).toBeGreaterThan(50);
      for (const ad of ads) {
        if (ad.OccupationCode) expect(disco(ad.OccupationCode), ad.OccupationCode).toBe(true);
        if (ad.ConceptUriDa) expect(discoFromEsco(ad.ConceptUriDa), ad.ConceptUriDa).not.toBeNull();
        expect(postcodeInfo(ad.WorkPlacePostalCode), ad.WorkPlacePostalCode).toBeDefined();
        expect(municipalityByName(ad.Municipality), ad.Municipality).toBeDefined();
      }
      for (const line of file('joborders.ndjson').trim().split('\n')) {
        const o = JSON.parse(line);
        if (o.ConceptUriDa) expect(discoFromEsco(o.ConceptUriDa)).not.toBeNull();
      }
      const balance = csvRows('balance.csv');
      const supply = csvRows('supply.csv');
      expect(balance.length).toBeGreaterThan(20);
      for (const [code, title, area] of balance) {
        expect(occupationByCode(code!)?.title, code).toBe(title);
        expect(
          allAreas().some((a) => a.name === area),
          area,
        ).toBe(true);
      }
      for (const [code, area] of supply) {
        expect(disco(code!), code).toBe(true);
        expect(areaByCode(area!), area).toBeDefined();
      }
    });

    it('course catalogue and instances', () => {
      for (const [number, , , codes] of csvRows('amu-courses.csv'))
        for (const d of codes!.split(',').filter(Boolean)) expect(disco(d), `${number}: ${d}`).toBe(true);
      const holds = JSON.parse(file('amu-instances.json')).holdCardDtos as { lokationPostNr: string }[];
      expect(holds.length).toBeGreaterThan(100);
      for (const h of holds) expect(postcodeInfo(h.lokationPostNr), h.lokationPostNr).toBeDefined();
      for (const [, , , postcode, city] of csvRows('veu-providers.csv').map((r) => [r[0], r[1], r[2], r[4], r[5]]))
        expect(postcodeInfo(postcode!)?.city).toBe(city);
    });
  });

  it('in the tests, the README and the format notes: every six-digit code is a DISCO-08 or DB07 code', () => {
    // Six-digit numbers in these files that are not codes of a list: institution numbers (institutionsnummer)
    // of demo and test providers, a hold id's serial, a benchmark size, the course search's own hold ids in
    // real-shaped fixtures, and the date part of a made-up CPR number that the privacy test looks for.
    const holdIds = ['844352', '878783', '889455', '890250'];
    const notCodes = new Set([
      '657410',
      '791410',
      '751460',
      '657460',
      '000123',
      '100000',
      '010190',
      ...holdIds,
      ...rows('demo/veu-providers.csv').map((r) => r.number!),
    ]);
    // Codes a test uses because the list does not have them.
    const absentOnPurpose: Record<string, string[]> = {
      'tests/codes.test.ts': ['251200', '281100', '962100'],
      'tests/registry-graph.test.ts': ['962100'],
    };
    const files = [
      ...fs
        .readdirSync(path.join(root, 'tests'), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => path.join('tests', f)),
      'README.md',
      ...fs
        .readdirSync(path.join(root, 'connectors'))
        .map((c) => path.join('connectors', c, 'FORMATS.md'))
        .filter((f) => fs.existsSync(path.join(root, f))),
    ];
    const problems: string[] = [];
    for (const f of files) {
      fs.readFileSync(path.join(root, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          // The jobcentre, course and insights tests name occupations unless a line is about industries.
          const industryContext = /branche|industry|db07/i.test(line);
          const occupationContext =
            /disco|occupation|erhverv/i.test(line) || (/jobcentre|veu|insights|federation/.test(f) && !industryContext);
          for (const [code] of line.matchAll(/(?<![\d_.])\d{6}(?![\d_])/g)) {
            if (notCodes.has(code) || absentOnPurpose[f.split(path.sep).join('/')]?.includes(code)) continue;
            const ok =
              occupationContext && !industryContext
                ? disco(code)
                : industryContext && !occupationContext
                  ? db07(code)
                  : disco(code) || db07(code);
            if (!ok) problems.push(`${f}:${i + 1}: ${code}`);
          }
        });
    }
    expect(problems).toEqual([]);
  });

  it('in the tests: postcodes are real, except the ones a test uses as unknown', () => {
    const unknownOnPurpose = new Set(['0042', '9999']);
    const problems: string[] = [];
    for (const f of fs.readdirSync(path.join(root, 'tests'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      fs.readFileSync(path.join(root, 'tests', f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(/(?:postnummer|postcode|PostalCode|PostNr)\W{1,12}(\d{4})\b/gi)) {
            if (!unknownOnPurpose.has(m[1]!) && !postcodeInfo(m[1]!)) problems.push(`tests/${f}:${i + 1}: ${m[1]}`);
          }
        });
    }
    for (const p of unknownOnPurpose) expect(postcodeInfo(p), p).toBeUndefined();
    expect(problems).toEqual([]);
  });
});
