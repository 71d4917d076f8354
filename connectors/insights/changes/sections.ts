/** The sections of a company the change feed names (ChangeSection in the SDL). */
export const SECTIONS = ['REGISTRY', 'RECRUITMENT', 'GROWTH', 'UPSKILLING', 'CONTACTS', 'INSIGHTS'] as const;
export type Section = (typeof SECTIONS)[number];
