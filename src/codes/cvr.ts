const WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 1];

/** Why a CVR number is invalid, or null when it is valid (8 digits, modulus-11 check). */
export function cvrProblem(value: string): string | null {
  if (!/^\d{8}$/.test(value)) return 'a CVR number is 8 digits';
  if (value[0] === '0') return 'a CVR number does not start with 0';
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(value[i]) * WEIGHTS[i]!;
  return sum % 11 === 0 ? null : 'the CVR number fails its modulus-11 check';
}

export function isCvr(value: string): boolean {
  return cvrProblem(value) === null;
}

/** Completes 7 leading digits with the check digit, or null when no digit makes them valid. */
export function withCheckDigit(first7: string): string | null {
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(first7[i]) * WEIGHTS[i]!;
  const digit = (11 - (sum % 11)) % 11;
  return digit === 10 ? null : first7 + String(digit);
}

/** P-numbers (production units) are 10 digits. */
export function pNumberProblem(value: string): string | null {
  return /^\d{10}$/.test(value) ? null : 'a P-number is 10 digits';
}
