/** The sections of a company the change feed names (ChangeSection in the SDL). */
export const SECTIONS = ['REGISTRY', 'RECRUITMENT', 'GROWTH', 'UPSKILLING', 'CONTACTS', 'INSIGHTS'] as const;
export type Section = (typeof SECTIONS)[number];

/** The section(s) whose data an ingest source (or the hub's contact log) changes. */
const BY_SOURCE: Record<string, Section[]> = {
  cvr: ['REGISTRY'],
  jobnet: ['RECRUITMENT'],
  'jobnet-full': ['RECRUITMENT'],
  joborders: ['RECRUITMENT', 'CONTACTS'],
  measures: ['RECRUITMENT', 'CONTACTS'],
  layoffs: ['RECRUITMENT'],
  supply: ['RECRUITMENT'],
  balance: ['RECRUITMENT'],
  'crm-accounts': ['GROWTH'],
  'crm-programmes': ['GROWTH'],
  'crm-meetings': ['GROWTH', 'CONTACTS'],
  'crm-referrals': ['GROWTH', 'CONTACTS'],
  'amu-courses': ['UPSKILLING'],
  'amu-instances': ['UPSKILLING'],
  'veu-enrolments': ['UPSKILLING', 'CONTACTS'],
  'veu-providers': ['UPSKILLING'],
  contacts: ['CONTACTS'],
  'contact-log': ['CONTACTS'],
};

export function sectionsOfSource(source: string): Section[] {
  return BY_SOURCE[source] ?? [];
}
