import { cvrProblem } from '../../../src/codes/cvr.js';
import { text } from './rows.js';

/** A CVR number from a JSON number or string: the 8 digits, or the reason it is not one. */
export function parseCvr(v: unknown, name: string): { cvr: string } | { problem: string } {
  const t = typeof v === 'number' ? String(v).padStart(8, '0') : text(v);
  if (t === null) return { problem: `${name} is missing` };
  const problem = cvrProblem(t);
  return problem ? { problem: `${name} ${t}: ${problem}` } : { cvr: t };
}
