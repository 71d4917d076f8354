import { addDays, today } from '../../connectors/jobcentre/domain.js';

/** A day relative to today, yyyy-mm-dd. */
export const day = (offset: number) => addDays(today(), offset);

/** A Jobnet JobPositionPosting with sensible defaults (Herning, a welder, open for two weeks). */
export function ad(o: Record<string, unknown> & { ID: string }): Record<string, unknown> {
  return {
    Title: 'Svejser til stålkonstruktioner',
    HiringOrgName: 'Herning Stål ApS',
    HiringOrgCVR: 0,
    WorkPlaceAddress: 'Fabriksvej 12',
    WorkPlacePostalCode: '7400',
    WorkPlaceCity: 'Herning',
    Municipality: 'Herning',
    PostingCreated: `${day(-5)}T08:00:00`,
    LastDateApplication: day(14),
    EmploymentType: 'Fastansættelse',
    WorkHours: 'Fuldtid',
    Occupation: 'Svejser',
    NumberToFill: 1,
    ...o,
  };
}
