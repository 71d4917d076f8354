import { readCodeList } from './lists.js';

export interface OccupationCode {
  disco: string;
  title: string;
  level: number;
  parent: string | null;
}

let byCode: Map<string, OccupationCode> | undefined;

function load(): Map<string, OccupationCode> {
  byCode ??= new Map(
    readCodeList<{ code: string; title: string; level: string; parent: string }>('codes/disco08.csv').map((r) => [
      r.code,
      { disco: r.code, title: r.title, level: Number(r.level), parent: r.parent || null },
    ]),
  );
  return byCode;
}

/** An occupation or group from the shipped DISCO-08 list (data/codes/disco08.csv). */
export function occupationByCode(disco: string): OccupationCode | undefined {
  return load().get(disco);
}

export function allOccupations(): OccupationCode[] {
  return [...load().values()];
}

/** The code itself and every group above it, nearest first: "721200" → 721200, 7212, 721, 72, 7. */
export function occupationAncestry(disco: string): string[] {
  const chain: string[] = [];
  for (let o = occupationByCode(disco); o; o = o.parent ? occupationByCode(o.parent) : undefined) chain.push(o.disco);
  return chain;
}

/** A DISCO code is 4 digits (unit group) or 6 digits (occupation). */
export function discoProblem(value: string): string | null {
  return /^\d{4}(\d{2})?$/.test(value) ? null : 'a DISCO-08 code is 4 or 6 digits';
}

/** The federated key of Occupation; its fields resolve from the code list. */
export interface OccupationKey {
  disco: string;
}
