import { allPostcodes, readCodeList } from '../codes/lists.js';

/**
 * Region Midtjylland's 19 municipalities with rough weights for how many of the demo companies
 * sit there (about the share of the region's population, 2024).
 */
export const MIDTJYLLAND_WEIGHTS: [string, number][] = [
  ['751', 36],
  ['730', 10],
  ['740', 9.6],
  ['615', 9.5],
  ['657', 9.0],
  ['791', 9.7],
  ['746', 6.5],
  ['661', 5.9],
  ['760', 5.6],
  ['779', 4.5],
  ['766', 4.7],
  ['710', 5.0],
  ['756', 4.2],
  ['706', 4.3],
  ['707', 3.7],
  ['727', 2.4],
  ['671', 2.0],
  ['665', 1.9],
  ['741', 0.4],
];

export interface DemoPlace {
  municipality: string;
  postcodes: { postcode: string; city: string }[];
  streets: string[];
}

/** Streets and postcodes per municipality, from the shipped data files. */
export function demoPlaces(): Map<string, DemoPlace> {
  const places = new Map<string, DemoPlace>(MIDTJYLLAND_WEIGHTS.map(([m]) => [m, { municipality: m, postcodes: [], streets: [] }]));
  // A company's postcode is one whose primary municipality is the company's (data/codes: PostNord's postcode →
  // municipality pairs); large-recipient postcodes are left out.
  for (const p of allPostcodes()) {
    if (p.territory === 'DK' && !p.bulkRecipient && p.municipalityCode)
      places.get(p.municipalityCode)?.postcodes.push({ postcode: p.postcode, city: p.city });
  }
  for (const s of readCodeList<{ municipality_code: string; street: string }>('demo/streets.csv')) {
    places.get(s.municipality_code)?.streets.push(s.street);
  }
  for (const place of places.values()) {
    if (place.postcodes.length === 0 || place.streets.length === 0)
      throw new Error(`demo data lacks postcodes or streets for municipality ${place.municipality}`);
  }
  return places;
}
