import fs from 'node:fs';
import { z } from 'zod';

const severity = z.enum(['LOW', 'MEDIUM', 'HIGH']);
const months = z.number().int().min(1).max(120);
const pattern = z.string().refine((p) => {
  try {
    new RegExp(p, 'i');
    return true;
  } catch {
    return false;
  }
}, 'not a regular expression');

const schema = z.object({
  signals: z.object({
    GROWTH_WITHOUT_COMPETENCE_PLAN: z.object({ severity, programmeKinds: z.array(z.string()).min(1), noEnrolmentMonths: months }),
    HARD_TO_FILL_VACANCY: z.object({
      severity,
      balanceCategories: z.array(z.enum(['SHORTAGE', 'PARADOX', 'GOOD_PROSPECTS', 'LIMITED_PROSPECTS'])).min(1),
    }),
    LAYOFF_NOTICE: z.object({
      severity,
      closureSeverity: severity,
      months,
      evidenceCourses: z.number().int().min(0).max(20),
      evidenceCompanies: z.number().int().min(0).max(20),
    }),
    UNCOORDINATED_CONTACT: z.object({ severity, days: z.number().int().min(1).max(365), minSystems: z.number().int().min(2).max(3) }),
    NO_PUBLIC_CONTACT: z.object({ severity, months }),
  }),
  coordination: z.object({ activeActorMonths: months, followUpHorizonDays: z.number().int().min(0).max(365) }),
  competenceMatch: z.object({ jobRotationEnrolmentMonths: months }),
  timeline: z.object({
    organisations: z.object({ ERHVERVSHUS: z.string().min(1), JOBCENTRE: z.string().min(1) }),
    meetingChannels: z.partialRecord(z.enum(['VISIT', 'PHONE', 'EMAIL', 'EVENT', 'OTHER']), pattern),
    referralTargets: z.object({ JOBCENTRE: pattern, VEU: pattern }),
    topics: z.object({ JOB_ORDER: z.array(z.string()), MEASURE: z.array(z.string()), ENROLMENT: z.array(z.string()) }),
  }),
});

export type InsightsConfig = z.infer<typeof schema>;

/** Checks a configuration's text; the message names every field that is wrong. */
export function parseInsightsConfig(text: string, source: string): InsightsConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`insights configuration ${source} is not JSON: ${(e as Error).message}`, { cause: e });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`insights configuration ${source} is not valid: ${problems}`);
  }
  return parsed.data;
}

let loaded: InsightsConfig | undefined;

/** The one file that holds every threshold (connectors/insights/thresholds.json, or INDGANG_INSIGHTS_CONFIG), read once. */
export function insightsConfig(): InsightsConfig {
  if (loaded) return loaded;
  const file = process.env.INDGANG_INSIGHTS_CONFIG || new URL('./thresholds.json', import.meta.url);
  loaded = parseInsightsConfig(fs.readFileSync(file, 'utf8'), String(file));
  return loaded;
}
