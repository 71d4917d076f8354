/** Writes CSV text in the CRM's export style: a header and rows joined by the separator. */
export function csv(header: string[], rows: string[][], sep = ';'): string {
  return [header, ...rows].map((r) => r.join(sep)).join('\r\n') + '\r\n';
}

export const MEETING_HEADER = [
  'Mødedato_Møder',
  'Oprettet_af_Møder',
  'Firmanavn_Virksomheder',
  'CVR_Virksomheder',
  'Emner_Møder',
  'Titel_Møder',
  'Kommune_Virksomheder',
];
