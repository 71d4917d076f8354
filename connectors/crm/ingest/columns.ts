import type { Column } from '../../../src/ingest/csv.js';

export type { Fields } from '../../../src/ingest/csv.js';

// CRM exports name columns "<Field>_<Entity>", e.g. Mødedato_Møder or CVR_Virksomheder: the entity part is ignored.
export const ENTITY_SUFFIX =
  /_(møder|møde|virksomheder|virksomhed|konti|konto|kunder|kunde|forløb|programmer|program|henvisninger|henvisning|accounts|meetings)$/;

/** Company columns every CRM source carries: the company by CVR, or by name and municipality. */
export const COMPANY_FIELDS: Column[] = [
  {
    field: 'cvr',
    headers: ['cvr', 'cvr_nummer', 'cvrnummer', 'cvr_nr'],
    required: true,
    note: 'CVR number; may be blank or wrong, then the row is matched by name and municipality',
  },
  { field: 'name', headers: ['firmanavn', 'virksomhedsnavn', 'navn', 'virksomhed'], required: true, note: 'company name' },
  {
    field: 'municipality',
    headers: ['kommune', 'kommunenavn', 'kommunekode'],
    required: true,
    note: 'municipality name (e.g. Herning) or 3-digit code',
  },
];
