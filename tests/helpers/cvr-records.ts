/**
 * CVR records shaped exactly as Erhvervsstyrelsen's distribution API publishes them (field names,
 * nesting, value formats, the null-for-none habit, `periode` and `sidstOpdateret` on every item), after
 * real published responses:
 * - a company `_search` answer (hits.hits[]._source.Vrvirksomhed) with conavn, etage/sidedoer in
 *   participants' addresses, deltagerRelation, telefonNummer, elektroniskPost and null nyeste* figures:
 *   github.com/alexdor/regtic, cvr_parser.js;
 * - a company with nyesteAarsbeskaeftigelse / nyesteKvartalsbeskaeftigelse / nyesteMaanedsbeskaeftigelse
 *   carrying bands but no headcount (antalAnsatte null) and an address with etage:
 *   github.com/magenta-aps/datafordeler-plugin-cvr, src/test/resources/company_in.json;
 * - production units (hits.hits[]._source.VrproduktionsEnhed, `_type: "produktionsenhed"`) with
 *   virksomhedsrelation[], produktionsEnhedMetadata.nyesteCvrNummerRelation, nyesteKontaktoplysninger
 *   and a deltagerRelation with a person's name and home address:
 *   github.com/magenta-aps/datafordeler-plugin-cvr, src/test/resources/unit.json;
 * - the ERST monthly figure {aar, maaned, antalAarsvaerk (decimal), antalAnsatte, intervalKodeAntalAarsvaerk,
 *   intervalKodeAntalAnsatte, sidstOpdateret} under virksomhedMetadata, and a production unit whose
 *   metadata has no monthly figure (nyesteAarsbeskaeftigelse and nyesteKvartalsbeskaeftigelse only) while
 *   the unit carries its monthly history as a top-level erstMaanedsbeskaeftigelse[] array: the OpenAPI
 *   model of the distribution API in github.com/iustin94/netcvrdev, docs/VirksomhedVirksomhedMetadata.md,
 *   docs/VirksomhedVirksomhedMetadataNyesteErstMaanedsbeskaeftigelse.md, docs/Produktionsenhed.md and
 *   docs/ProduktionsenhedProduktionsEnhedMetadata.md.
 * Names, numbers and addresses here are invented; the shape is not.
 */

const periode = (gyldigFra: string | null, gyldigTil: string | null = null) => ({ gyldigFra, gyldigTil });

export interface Adresse {
  landekode?: string;
  fritekst?: string | null;
  vejnavn?: string | null;
  husnummerFra?: number | null;
  husnummerTil?: number | null;
  bogstavFra?: string | null;
  bogstavTil?: string | null;
  etage?: string | null;
  sidedoer?: string | null;
  conavn?: string | null;
  bynavn?: string | null;
  postnummer?: number | null;
  postdistrikt?: string | null;
  kommuneKode?: number | null;
  kommuneNavn?: string | null;
}

/** A beliggenhedsadresse item. */
export function adresse(a: Adresse = {}): object {
  return {
    landekode: a.landekode ?? 'DK',
    fritekst: a.fritekst ?? null,
    vejkode: a.landekode && a.landekode !== 'DK' ? null : 5765,
    kommune: {
      kommuneKode: a.kommuneKode === undefined ? 657 : a.kommuneKode,
      kommuneNavn: a.kommuneNavn === undefined ? 'HERNING' : a.kommuneNavn,
      periode: periode('2007-01-01'),
      sidstOpdateret: '2006-11-13T00:00:00.000+01:00',
    },
    husnummerFra: a.husnummerFra === undefined ? 67 : a.husnummerFra,
    adresseId: '55a42f3a-0bad-4d9a-9ab3-d14feccbc58a',
    sidstValideret: '2023-01-29T13:08:33.542+01:00',
    husnummerTil: a.husnummerTil ?? null,
    bogstavFra: a.bogstavFra ?? null,
    bogstavTil: a.bogstavTil ?? null,
    etage: a.etage ?? null,
    sidedoer: a.sidedoer ?? null,
    conavn: a.conavn ?? null,
    postboks: null,
    vejnavn: a.vejnavn === undefined ? 'Martine Christoffersens Vej' : a.vejnavn,
    bynavn: a.bynavn ?? null,
    postnummer: a.postnummer === undefined ? 7400 : a.postnummer,
    postdistrikt: a.postdistrikt === undefined ? 'Herning' : a.postdistrikt,
    periode: periode('2015-11-13'),
    sidstOpdateret: '2017-01-29T13:06:04.000+01:00',
  };
}

/** One employee figure: monthly ({aar, maaned}), quarterly ({aar, kvartal}) or yearly ({aar}). */
export interface Figur {
  aar: number;
  maaned?: number;
  kvartal?: number;
  antalAnsatte?: number | null;
  interval?: string | null;
}

const monthly = (f: Figur) => ({
  aar: f.aar,
  maaned: f.maaned,
  antalAarsvaerk: f.antalAnsatte == null ? null : Math.round(f.antalAnsatte * 0.87 * 100) / 100,
  antalAnsatte: f.antalAnsatte ?? null,
  sidstOpdateret: '2024-02-26T01:01:26.000+01:00',
  intervalKodeAntalAarsvaerk: f.interval ?? null,
  intervalKodeAntalAnsatte: f.interval ?? null,
});
const quarterly = (f: Figur) => ({
  aar: f.aar,
  kvartal: f.kvartal,
  antalAarsvaerk: null,
  antalAnsatte: f.antalAnsatte ?? null,
  sidstOpdateret: '2019-12-03T16:29:43.402+01:00',
  intervalKodeAntalAarsvaerk: f.interval ?? null,
  intervalKodeAntalAnsatte: f.interval ?? null,
});
const yearly = (f: Figur) => ({
  aar: f.aar,
  antalInklusivEjere: null,
  antalAarsvaerk: null,
  antalAnsatte: f.antalAnsatte ?? null,
  sidstOpdateret: '2024-12-15T14:15:55.762+01:00',
  intervalKodeAntalInklusivEjere: f.interval ?? null,
  intervalKodeAntalAarsvaerk: f.interval ?? null,
  intervalKodeAntalAnsatte: f.interval ?? null,
});

/** The four figures as a record carries them; null where CVR has none (as it writes it). */
export interface Figurer {
  erstMaaned?: Figur | null;
  maaned?: Figur | null;
  kvartal?: Figur | null;
  aar?: Figur | null;
}

function nyesteFigurer(f: Figurer) {
  return {
    nyesteAarsbeskaeftigelse: f.aar ? yearly(f.aar) : null,
    nyesteKvartalsbeskaeftigelse: f.kvartal ? quarterly(f.kvartal) : null,
    nyesteMaanedsbeskaeftigelse: f.maaned ? monthly(f.maaned) : null,
    nyesteErstMaanedsbeskaeftigelse: f.erstMaaned ? monthly(f.erstMaaned) : null,
  };
}

/** A production unit's metadata holds the yearly and quarterly figures only. */
function nyesteFigurerEnhed(f: Figurer) {
  return {
    nyesteAarsbeskaeftigelse: f.aar ? yearly(f.aar) : null,
    nyesteKvartalsbeskaeftigelse: f.kvartal ? quarterly(f.kvartal) : null,
  };
}

function figurArrays(f: Figurer) {
  return {
    aarsbeskaeftigelse: f.aar ? [yearly(f.aar)] : [],
    kvartalsbeskaeftigelse: f.kvartal ? [quarterly(f.kvartal)] : [],
    maanedsbeskaeftigelse: f.maaned ? [monthly(f.maaned)] : [],
    erstMaanedsbeskaeftigelse: f.erstMaaned ? [monthly(f.erstMaaned)] : [],
  };
}

/** A participant as CVR embeds one: a person's name and home address (never to be stored). */
export function deltagerPerson(navn: string): object {
  return {
    deltager: {
      enhedsNummer: 4000004988,
      enhedstype: 'PERSON',
      forretningsnoegle: null,
      organisationstype: null,
      sidstIndlaest: '2017-06-10T15:22:08.806+02:00',
      sidstOpdateret: '2012-05-30T17:31:08.000+02:00',
      navne: [{ navn, periode: periode(null), sidstOpdateret: null }],
      beliggenhedsadresse: [
        adresse({
          vejnavn: 'Agerlandsvej',
          husnummerFra: 28,
          etage: '03',
          sidedoer: 'tv',
          postnummer: 2300,
          postdistrikt: 'København S',
          kommuneKode: 101,
          kommuneNavn: 'KØBENHAVN',
        }),
      ],
    },
    kontorsteder: [],
    organisationer: [
      {
        enhedsNummerOrganisation: 4004733976,
        hovedtype: 'LEDELSESORGAN',
        organisationsNavn: [{ navn: 'Direktion', periode: periode('1999-11-15'), sidstOpdateret: '2015-02-10T00:00:00.000+01:00' }],
        attributter: [],
        medlemsData: [
          {
            attributter: [
              {
                sekvensnr: 0,
                type: 'FUNKTION',
                vaerditype: 'string',
                vaerdier: [{ vaerdi: 'direktør', periode: periode('2000-02-21'), sidstOpdateret: '2015-02-10T00:00:00.000+01:00' }],
              },
            ],
          },
        ],
      },
    ],
  };
}

const kontakt = (kontaktoplysning: string) => ({
  kontaktoplysning,
  hemmelig: false,
  periode: periode('2015-11-13'),
  sidstOpdateret: '2017-01-29T13:06:04.000+01:00',
});

export interface CompanyOptions {
  cvr: string;
  navn?: string;
  adresse?: Adresse;
  branchekode?: string;
  branchetekst?: string;
  figurer?: Figurer;
  pNumbers?: number[];
  sidstOpdateret?: string;
  /** Person and contact data the record carries (as real records do). */
  person?: string;
  email?: string;
  telefon?: string;
}

/** A Vrvirksomhed object as the distribution API publishes it. */
export function vrvirksomhed(o: CompanyOptions): object {
  const navn = o.navn ?? `Firma ${o.cvr} ApS`;
  const adr = adresse(o.adresse);
  const branche = {
    branchekode: o.branchekode ?? '251100',
    branchetekst: o.branchetekst ?? 'Fremstilling af metalkonstruktioner og dele heraf',
    periode: periode('2008-01-01'),
    sidstOpdateret: '2007-12-21T11:55:53.000+01:00',
  };
  const form = {
    virksomhedsformkode: 80,
    kortBeskrivelse: 'APS',
    langBeskrivelse: 'Anpartsselskab',
    ansvarligDataleverandoer: 'E&S',
    periode: periode('2001-04-01'),
    sidstOpdateret: '2013-11-22T21:57:52.000+01:00',
  };
  const figurer = o.figurer ?? {};
  return {
    cvrNummer: Number(o.cvr),
    regNummer: [],
    brancheAnsvarskode: null,
    reklamebeskyttet: false,
    navne: [{ navn, periode: periode('2001-04-01'), sidstOpdateret: '2017-11-09T15:06:12.000+01:00' }],
    binavne: [],
    postadresse: [],
    beliggenhedsadresse: [adr],
    telefonNummer: o.telefon ? [kontakt(o.telefon)] : [],
    telefaxNummer: [],
    sekundaertTelefonNummer: [],
    sekundaertTelefaxNummer: [],
    elektroniskPost: o.email ? [kontakt(o.email)] : [],
    hjemmeside: [],
    obligatoriskEmail: o.email ? [kontakt(o.email)] : [],
    livsforloeb: [{ periode: periode('2001-04-01'), sidstOpdateret: '1999-10-16T19:49:48.000+02:00' }],
    hovedbranche: [branche],
    bibranche1: [],
    bibranche2: [],
    bibranche3: [],
    status: [],
    virksomhedsstatus: [{ status: 'NORMAL', periode: periode('2001-04-01'), sidstOpdateret: '2013-11-22T21:57:52.000+01:00' }],
    virksomhedsform: [form],
    ...figurArrays(figurer),
    attributter: [],
    penheder: (o.pNumbers ?? []).map((pNummer) => ({
      pNummer,
      periode: periode('2001-04-01'),
      sidstOpdateret: '1999-10-17T00:00:00.000+02:00',
    })),
    deltagerRelation: o.person ? [deltagerPerson(o.person)] : [],
    fusioner: [],
    spaltninger: [],
    virksomhedMetadata: {
      nyesteNavn: { navn, periode: periode('2001-04-01'), sidstOpdateret: '2017-11-09T15:06:12.000+01:00' },
      nyesteBinavne: [],
      nyesteVirksomhedsform: form,
      nyesteBeliggenhedsadresse: adr,
      nyesteHovedbranche: branche,
      nyesteBibranche1: null,
      nyesteBibranche2: null,
      nyesteBibranche3: null,
      nyesteStatus: null,
      nyesteKontaktoplysninger: [o.email, o.telefon].filter(Boolean),
      antalPenheder: (o.pNumbers ?? []).length,
      ...nyesteFigurer(figurer),
      sammensatStatus: 'Aktiv',
      stiftelsesDato: '2001-04-01',
      virkningsDato: '2001-04-01',
    },
    samtId: 7,
    fejlRegistreret: false,
    dataAdgang: 0,
    enhedsNummer: 4000824158,
    enhedstype: 'VIRKSOMHED',
    sidstIndlaest: '2024-03-12T17:06:41.470+01:00',
    sidstOpdateret: o.sidstOpdateret ?? '2024-03-01T15:08:31.000+01:00',
    fejlVedIndlaesning: false,
    naermesteFremtidigeDato: null,
    fejlBeskrivelse: null,
    virkningsAktoer: 'PO',
  };
}

export interface UnitOptions {
  pNummer: number;
  /** The company the unit belongs to (virksomhedsrelation and nyesteCvrNummerRelation). */
  cvr?: string | null;
  /** Write the owner only as virksomhedsrelation[] (no nyesteCvrNummerRelation). */
  relationOnly?: boolean;
  navn?: string | null;
  adresse?: Adresse;
  branchekode?: string;
  branchetekst?: string;
  figurer?: Figurer;
  status?: string;
  sidstOpdateret?: string;
  person?: string;
  email?: string;
  telefon?: string;
}

/** A VrproduktionsEnhed object as the distribution API publishes it. */
export function vrproduktionsEnhed(o: UnitOptions): object {
  const navn = o.navn === undefined ? `Afdeling ${o.pNummer}` : o.navn;
  const adr = adresse(o.adresse);
  const branche = {
    branchekode: o.branchekode ?? '855900',
    branchetekst: o.branchetekst ?? 'Anden undervisning i.a.n.',
    periode: periode('2015-11-13'),
    sidstOpdateret: '2017-01-29T13:06:04.000+01:00',
  };
  const figurer = o.figurer ?? {};
  const cvr = o.cvr === undefined ? null : o.cvr;
  return {
    attributter: [],
    sidstIndlaest: '2024-01-29T13:08:33.726+01:00',
    elektroniskPost: o.email ? [kontakt(o.email)] : [],
    virksomhedsrelation: cvr
      ? [
          { cvrNummer: 36238208, periode: periode('2010-01-01', '2015-11-12'), sidstOpdateret: '2017-01-29T13:06:04.000+01:00' },
          { cvrNummer: Number(cvr), periode: periode('2015-11-13'), sidstOpdateret: '2017-01-29T13:06:04.000+01:00' },
        ]
      : [],
    sidstOpdateret: o.sidstOpdateret ?? '2024-01-29T13:06:04.000+01:00',
    hovedbranche: [branche],
    enhedstype: 'PRODUKTIONSENHED',
    fejlVedIndlaesning: false,
    postadresse: [],
    produktionsEnhedMetadata: {
      ...(o.relationOnly ? {} : { nyesteCvrNummerRelation: cvr ? Number(cvr) : null }),
      sammensatStatus: o.status ?? 'Aktiv',
      nyesteKontaktoplysninger: [o.email, o.telefon].filter(Boolean),
      nyesteBibranche1: null,
      nyesteBibranche3: null,
      nyesteBibranche2: null,
      nyesteNavn: navn === null ? null : { navn, periode: periode('2015-11-13'), sidstOpdateret: '2017-01-29T13:06:04.000+01:00' },
      ...nyesteFigurerEnhed(figurer),
      nyesteHovedbranche: branche,
      nyesteBeliggenhedsadresse: adr,
    },
    bibranche2: [],
    bibranche3: [],
    fejlRegistreret: false,
    dataAdgang: 0,
    enhedsNummer: 4006331794,
    bibranche1: [],
    livsforloeb: [{ periode: periode('2015-11-13'), sidstOpdateret: '2017-01-29T13:06:04.000+01:00' }],
    reklamebeskyttet: false,
    fejlBeskrivelse: null,
    beliggenhedsadresse: [adr],
    deltagerRelation: o.person ? [deltagerPerson(o.person)] : [],
    aarsbeskaeftigelse: figurArrays(figurer).aarsbeskaeftigelse,
    kvartalsbeskaeftigelse: figurArrays(figurer).kvartalsbeskaeftigelse,
    erstMaanedsbeskaeftigelse: figurArrays(figurer).erstMaanedsbeskaeftigelse,
    virkningsAktoer: 'R',
    brancheAnsvarskode: null,
    telefonNummer: o.telefon ? [kontakt(o.telefon)] : [],
    telefaxNummer: [],
    naermesteFremtidigeDato: null,
    navne: navn === null ? [] : [{ navn, periode: periode('2015-11-13'), sidstOpdateret: '2017-01-29T13:06:04.000+01:00' }],
    samtId: 31,
    pNummer: o.pNummer,
  };
}

/** An Elasticsearch hit as the _search and scroll answers carry them. */
export function hit(source: object, type: 'virksomhed' | 'produktionsenhed' | 'deltager'): object {
  const index = { virksomhed: 'cvr-v-20220630', produktionsenhed: 'cvr-p-20200115', deltager: 'cvr-d-20211220' }[type];
  const key = { virksomhed: 'Vrvirksomhed', produktionsenhed: 'VrproduktionsEnhed', deltager: 'Vrdeltagerperson' }[type];
  return { _index: index, _type: type, _id: String((source as any).enhedsNummer ?? 4000000000), _score: 1, _source: { [key]: source } };
}

/** A _search answer, as the API returns it: one line of JSON. */
export function searchAnswer(hits: object[]): string {
  return JSON.stringify({
    took: 12,
    timed_out: false,
    _shards: { total: 6, successful: 6, failed: 0 },
    hits: { total: hits.length, max_score: 1, hits },
  });
}
