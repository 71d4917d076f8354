import { sql } from 'kysely';
import { companiesChanged } from '../../src/changes.js';
import type { Db } from '../../src/db/database.js';
import { endRun, failRun, finishRun, runDb, startRun } from '../../src/ingest/runs.js';
import { discoFromEsco, discoFromLabel, reloadOccupationLists } from './codes.js';
import { jobnetSource } from './ingest/jobnet.js';
import { jobOrdersSource } from './ingest/joborders.js';

export interface RemapSummary {
  runId: number;
  /** Distinct ad labels and job-order (ESCO concept, title) pairs looked up. */
  looked: number;
  /** Ads whose occupation changed. */
  vacancies: number;
  /** Job orders whose occupation changed. */
  jobOrders: number;
  seconds: number;
}

/** How a label maps to DISCO; the files under data/codes unless a caller (a test) says otherwise. */
export type LabelMapper = (label: string) => string | null;

/**
 * `indgang codes remap`: maps the stored ads and job orders again from the occupation files as they are now,
 * after an operator added (or changed, or removed) rows in data/codes/occupation-labels.csv or
 * esco-disco.csv. Ads mapped by their label, or not mapped at all, are looked up again by label (ads mapped
 * by OccupationCode or ConceptUriDa keep their code: those are not stored); job orders are mapped again
 * from their stored ESCO concept and title. One set-based update per table, recorded as a run of its own
 * (source `codes-remap`, in `indgang runs`), with the derived insights of the companies whose ads or
 * orders changed, in one transaction. Running it again changes nothing.
 */
export async function remapOccupations(db: Db, byLabel: LabelMapper = discoFromLabel): Promise<RemapSummary> {
  const started = Date.now();
  reloadOccupationLists();
  const run = await startRun(db, 'codes-remap', 'data/codes/occupation-labels.csv');
  try {
    const summary = await runDb(run, db)
      .transaction()
      .execute(async (tx) => {
        const labels = await sql<{ label: string }>`
        SELECT DISTINCT occupation_label AS label FROM jobcentre.vacancy
        WHERE occupation_label IS NOT NULL AND (disco IS NULL OR occupation_via = 'label')`.execute(tx);
        const adMap = labels.rows.map((r) => ({ label: r.label, disco: byLabel(r.label) }));
        const ads = await sql<{ cvr: string | null }>`
        UPDATE jobcentre.vacancy v SET disco = m.disco, occupation_via = CASE WHEN m.disco IS NULL THEN NULL ELSE 'label' END,
          run_id = ${run.id}, changed_at = now()
        FROM json_to_recordset(${JSON.stringify(adMap)}::json) AS m(label text, disco text)
        WHERE v.occupation_label = m.label AND (v.disco IS NULL OR v.occupation_via = 'label') AND v.disco IS DISTINCT FROM m.disco
        RETURNING v.cvr`.execute(tx);

        const pairs = await sql<{
          esco: string | null;
          title: string;
        }>`SELECT DISTINCT esco_uri AS esco, title FROM jobcentre.job_order`.execute(tx);
        const orderMap = pairs.rows.map((p) => ({
          esco: p.esco,
          title: p.title,
          disco: (p.esco ? discoFromEsco(p.esco) : null) ?? byLabel(p.title),
        }));
        const orders = await sql<{ cvr: string }>`
        UPDATE jobcentre.job_order o SET disco = m.disco, run_id = ${run.id}, changed_at = now()
        FROM json_to_recordset(${JSON.stringify(orderMap)}::json) AS m(esco text, title text, disco text)
        WHERE o.title = m.title AND o.esco_uri IS NOT DISTINCT FROM m.esco AND o.disco IS DISTINCT FROM m.disco
        RETURNING o.cvr`.execute(tx);

        const cvrs = (rows: { cvr: string | null }[]) => [...new Set(rows.flatMap((r) => (r.cvr ? [r.cvr] : [])))];
        // What the companies recruit for changed: their derived profiles, needs and signals follow.
        await companiesChanged(tx, { cvrs: cvrs(ads.rows), source: jobnetSource.name, runId: run.id, sections: jobnetSource.sections });
        await companiesChanged(tx, {
          cvrs: cvrs(orders.rows),
          source: jobOrdersSource.name,
          runId: run.id,
          sections: jobOrdersSource.sections,
        });
        run.notes = { vacancies: ads.rows.length, jobOrders: orders.rows.length };
        const changed = ads.rows.length + orders.rows.length;
        const looked = adMap.length + orderMap.length;
        await finishRun(tx, run, { read: looked, inserted: 0, updated: changed, unchanged: 0, rejected: 0 });
        return { runId: run.id, looked, vacancies: ads.rows.length, jobOrders: orders.rows.length };
      });
    return { ...summary, seconds: (Date.now() - started) / 1000 };
  } catch (e) {
    await failRun(db, run, (e as Error).message);
    throw e;
  } finally {
    await endRun(run);
  }
}
