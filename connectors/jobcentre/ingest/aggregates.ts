import { sql } from 'kysely';
import { CURRENT_SCHEME } from '../../../src/codes/areas.js';
import { occupationByCode } from '../../../src/codes/occupations.js';
import type { IngestSource, Validation } from '../../../src/ingest/types.js';
import { upsertRows } from '../../../src/ingest/upsert.js';
import { resolveArea } from '../codes.js';
import { balanceCategory, halfYear, layoffReason, measureKind, monthPeriod, supplyPeriod } from '../domain.js';
import type { Column } from '../../../src/ingest/csv.js';
import { count, notADate, parseCvr, parseDate, text } from '../../../src/ingest/fields.js';
import { isObj } from '../../../src/ingest/json.js';
import { rowRecords } from '../../../src/ingest/rows.js';

// Jobindsats-style aggregates: counts per company or per occupation and area. Columns beyond those read
// (a name, a CPR number) are never copied into a row.

const MEASURE_COLUMNS: Column[] = [
  { field: 'cvr', headers: ['cvr', 'cvrNummer'], required: true },
  { field: 'period', headers: ['periode', 'period'], required: true },
  { field: 'kind', headers: ['tilbud', 'kind'], required: true },
  { field: 'count', headers: ['antal', 'count'], required: true },
];
const LAYOFF_COLUMNS: Column[] = [
  { field: 'cvr', headers: ['cvr', 'cvrNummer'], required: true },
  { field: 'date', headers: ['dato', 'date'], required: true },
  { field: 'persons', headers: ['antalPersoner', 'persons'], required: true },
  { field: 'reason', headers: ['aarsag', 'årsag', 'reason'], required: true },
];
const SUPPLY_COLUMNS: Column[] = [
  { field: 'disco', headers: ['disco', 'discokode'], required: true },
  { field: 'area', headers: ['area', 'område', 'omraade'], required: true },
  { field: 'period', headers: ['periode', 'period'], required: true },
  { field: 'count', headers: ['antalLedige', 'count'], required: true },
];
const BALANCE_COLUMNS: Column[] = [
  { field: 'disco', headers: ['disco', 'discokode', 'DISCO-kode', 'DISCO08'], required: true },
  { field: 'area', headers: ['område', 'omraade', 'area'], required: true },
  { field: 'period', headers: ['periode', 'halvår', 'period'], required: true },
  { field: 'category', headers: ['vurdering', 'kategori', 'category'], required: true },
];

const stamp = (runId: number) => ({ run_id: sql`${runId}::int`, changed_at: sql`now()` });
const TABLE_FORMS = `JSON (a top-level array, {"rows"|"data"|"value": [ … ]}, or one object per line) or CSV with a header
line, ";" or "," separated; header names are matched without case, spaces, "_" or "-". Columns naming
people (navn, cpr, …) are dropped on read. See connectors/jobcentre/FORMATS.md.`;

function disco(v: unknown): { disco: string } | { problem: string } {
  const d = text(v);
  if (!d) return { problem: 'disco is missing' };
  if (!/^\d{4}(\d{2})?$/.test(d)) return { problem: `disco ${JSON.stringify(d)} is not a DISCO-08 code (4 or 6 digits)` };
  if (!occupationByCode(d)) return { problem: `disco ${d} is not in the DISCO-08 list (data/codes/disco08.csv)` };
  return { disco: d };
}

function area(v: unknown): { area: string } | { problem: string } {
  const t = text(v);
  if (!t) return { problem: 'area is missing' };
  const a = resolveArea(t);
  return a
    ? { area: a.code }
    : { problem: `unknown labour-market area ${JSON.stringify(t)} under ${CURRENT_SCHEME} (data/codes/area-codes.csv)` };
}

// ---- measures

export interface MeasureRow {
  cvr: string;
  period: string;
  kind: string;
  count: number;
}

export function validateMeasure(value: unknown): Validation<MeasureRow> {
  if (!isObj(value)) return { reject: 'not a row object' };
  const cvr = parseCvr(value.cvr, 'cvr');
  if ('problem' in cvr) return { reject: cvr.problem };
  const p = text(value.period);
  const period = p ? monthPeriod(p) : null;
  if (!period) return { reject: p ? `periode ${JSON.stringify(p)} is not a month (yyyyMmm, e.g. 2025M03)` : 'periode is missing' };
  const t = text(value.kind);
  const kind = t ? measureKind(t) : null;
  if (!kind)
    return {
      reject: t ? `tilbud ${JSON.stringify(t)} is not virksomhedspraktik, løntilskud, jobrotation or fleksjob` : 'tilbud is missing',
    };
  const n = count(value.count, 'antal');
  if ('problem' in n) return { reject: n.problem };
  return { row: { cvr: cvr.cvr, period, kind, count: n.n } };
}

export const measuresSource: IngestSource<MeasureRow> = {
  name: 'measures',
  sections: ['RECRUITMENT', 'CONTACTS'],
  connector: 'jobcentre',
  summary: 'Company-directed measures per company and month (Jobindsats-style rows, JSON or CSV)',
  format: `${TABLE_FORMS}
Columns: cvr (valid CVR), periode (month, "2025M03" or "2025-03"), tilbud (virksomhedspraktik |
løntilskud | jobrotation | fleksjob), antal (whole number ≥ 0). Key: cvr + periode + tilbud; a later row
replaces the count.`,
  tables: ['jobcentre.measure'],
  read: (input, file) => rowRecords(input, file, { columns: MEASURE_COLUMNS }),
  validate: validateMeasure,
  key: (r) => `${r.cvr}|${r.period}|${r.kind}`,
  upsert: (tx, rows, run) =>
    upsertRows(
      tx,
      {
        table: 'jobcentre.measure',
        key: ['cvr', 'period', 'kind'],
        columns: { cvr: 'text', period: 'text', kind: 'text', count: 'integer' },
        stamp: stamp(run.id),
        touched: 'cvr',
      },
      rows,
    ),
};

// ---- layoff notices

export interface LayoffRow {
  cvr: string;
  notice_date: string;
  reason: string;
  persons: number;
}

export function validateLayoff(value: unknown): Validation<LayoffRow> {
  if (!isObj(value)) return { reject: 'not a row object' };
  const cvr = parseCvr(value.cvr, 'cvr');
  if ('problem' in cvr) return { reject: cvr.problem };
  const d = text(value.date);
  const date = d ? parseDate(d) : null;
  if (!date) return { reject: d ? notADate('dato', d) : 'dato is missing' };
  const n = count(value.persons, 'antalPersoner');
  if ('problem' in n) return { reject: n.problem };
  const r = text(value.reason);
  const reason = r ? layoffReason(r) : null;
  if (!reason) return { reject: r ? `aarsag ${JSON.stringify(r)} is not indskrænkning or lukning` : 'aarsag is missing' };
  return { row: { cvr: cvr.cvr, notice_date: date, reason, persons: n.n } };
}

export const layoffsSource: IngestSource<LayoffRow> = {
  name: 'layoffs',
  sections: ['RECRUITMENT'],
  connector: 'jobcentre',
  summary: 'Layoff notices per company (varsler; Jobindsats-style rows, JSON or CSV)',
  format: `${TABLE_FORMS}
Columns: cvr (valid CVR), dato (yyyy-mm-dd), antalPersoner (whole number ≥ 0; a count, never names),
aarsag (indskrænkning | lukning). Key: cvr + dato + aarsag; a later row replaces the count.`,
  tables: ['jobcentre.layoff_notice'],
  read: (input, file) => rowRecords(input, file, { columns: LAYOFF_COLUMNS }),
  validate: validateLayoff,
  key: (r) => `${r.cvr}|${r.notice_date}|${r.reason}`,
  upsert: (tx, rows, run) =>
    upsertRows(
      tx,
      {
        table: 'jobcentre.layoff_notice',
        key: ['cvr', 'notice_date', 'reason'],
        columns: { cvr: 'text', notice_date: 'date', reason: 'text', persons: 'integer' },
        stamp: stamp(run.id),
        touched: 'cvr',
      },
      rows,
    ),
};

// ---- unemployed supply

export interface SupplyRow {
  disco: string;
  area: string;
  period: string;
  count: number;
}

export function validateSupply(value: unknown): Validation<SupplyRow> {
  if (!isObj(value)) return { reject: 'not a row object' };
  const d = disco(value.disco);
  if ('problem' in d) return { reject: d.problem };
  const a = area(value.area);
  if ('problem' in a) return { reject: a.problem };
  const p = text(value.period);
  const period = p ? supplyPeriod(p) : null;
  if (!period) return { reject: p ? `periode ${JSON.stringify(p)} is not a month (2025M03) or quarter (2025K1)` : 'periode is missing' };
  const n = count(value.count, 'antalLedige');
  if ('problem' in n) return { reject: n.problem };
  return { row: { disco: d.disco, area: a.area, period, count: n.n } };
}

export const supplySource: IngestSource<SupplyRow> = {
  name: 'supply',
  sections: ['RECRUITMENT'],
  connector: 'jobcentre',
  summary: 'Unemployed per occupation, area and period (ledige; Jobindsats-style rows, JSON or CSV)',
  format: `${TABLE_FORMS}
Columns: disco (DISCO-08, 4 or 6 digits, in data/codes/disco08.csv), area (labour-market area code or
name, e.g. RAR-VEST or "RAR Vestjylland"), periode (month "2025M03"/"2025-03" or quarter "2025K1"/"2025Q1"),
antalLedige (whole number ≥ 0). Key: disco + area + periode.`,
  tables: ['jobcentre.supply'],
  read: (input, file) => rowRecords(input, file, { columns: SUPPLY_COLUMNS }),
  validate: validateSupply,
  key: (r) => `${r.disco}|${r.area}|${r.period}`,
  upsert: (tx, rows, run) =>
    upsertRows(
      tx,
      {
        table: 'jobcentre.supply',
        key: ['disco', 'area', 'period'],
        columns: { disco: 'text', area: 'text', period: 'text', count: 'integer' },
        stamp: stamp(run.id),
      },
      rows,
    ),
};

// ---- Arbejdsmarkedsbalancen

export interface BalanceRow {
  disco: string;
  area: string;
  period: string;
  category: string;
}

export function validateBalance(value: unknown): Validation<BalanceRow> {
  if (!isObj(value)) return { reject: 'not a row object' };
  const d = disco(value.disco);
  if ('problem' in d) return { reject: d.problem };
  const a = area(value.area);
  if ('problem' in a) return { reject: a.problem };
  const p = text(value.period);
  const period = p ? halfYear(p) : null;
  if (!period) return { reject: p ? `periode ${JSON.stringify(p)} is not a half-year (2025H1, "1. halvår 2025")` : 'periode is missing' };
  const c = text(value.category);
  const category = c ? balanceCategory(c) : null;
  if (!category) {
    return {
      reject: c
        ? `vurdering ${JSON.stringify(c)} is not one of Mangel på arbejdskraft, Paradoksproblemer, Gode jobmuligheder, Mindre gode jobmuligheder`
        : 'vurdering is missing',
    };
  }
  return { row: { disco: d.disco, area: a.area, period, category } };
}

export const balanceSource: IngestSource<BalanceRow> = {
  name: 'balance',
  sections: ['RECRUITMENT'],
  connector: 'jobcentre',
  summary: 'Arbejdsmarkedsbalancen: occupation × area × half-year → assessment (CSV, or JSON rows)',
  format: `${TABLE_FORMS}
Columns: disco (also discokode, "DISCO-kode"; 4 or 6 digits, in data/codes/disco08.csv), titel or
stillingsbetegnelse (optional, not stored: the title comes from the code list), område (also area:
labour-market area code or name, e.g. "RAR Vestjylland"), periode (also halvår: "2025H1", "2025-1",
"1. halvår 2025"), vurdering (also kategori: Mangel på arbejdskraft | Paradoksproblemer | Gode
jobmuligheder | Mindre gode jobmuligheder). Key: disco + område + periode.`,
  tables: ['jobcentre.balance'],
  read: (input, file) => rowRecords(input, file, { columns: BALANCE_COLUMNS }),
  validate: validateBalance,
  key: (r) => `${r.disco}|${r.area}|${r.period}`,
  upsert: (tx, rows, run) =>
    upsertRows(
      tx,
      {
        table: 'jobcentre.balance',
        key: ['disco', 'area', 'period'],
        columns: { disco: 'text', area: 'text', period: 'text', category: 'text' },
        stamp: stamp(run.id),
      },
      rows,
    ),
};
