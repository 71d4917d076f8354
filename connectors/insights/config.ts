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
    HARD_TO_FILL_VACANCY: z.object({ severity, balanceCategories: z.array(z.enum(['SHORTAGE', 'PARADOX', 'GOOD_PROSPECTS', 'LIMITED_PROSPECTS'])).min(1) }),
    LAYOFF_NOTICE: z.object({ severity, closureSeverity: severity, months, evidenceCourses: z.number().int().min(0).max(20), evidenceCompanies: z.number().int().min(0).max(20) }),
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

let loaded: InsightsConfig | undefined;

/** The one file that holds every threshold (connectors/insights/thresholds.json, or INDGANG_INSIGHTS_CONFIG). */
export function insightsConfig(): InsightsConfig {
  if (loaded) return loaded;
  const file = process.env.INDGANG_INSIGHTS_CONFIG || new URL('./thresholds.json', import.meta.url);
  const parsed = schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`insights configuration ${String(file)} is not valid: ${problems}`);
  }
  loaded = parsed.data;
  return loaded;
}
