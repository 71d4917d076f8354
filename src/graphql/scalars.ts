import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { cvrProblem, pNumberProblem } from '../codes/cvr.js';
import { discoProblem } from '../codes/occupations.js';

/** Why a value is not valid for the scalar, or null. One function per scalar, shared by literals and variables. */
export type Check = (value: string) => string | null;

const dateProblem: Check = (v) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return 'a Date is written yyyy-mm-dd';
  const d = new Date(`${v}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v ? 'not a calendar date' : null;
};

const dateTimeProblem: Check = (v) =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v) && !Number.isNaN(Date.parse(v))
    ? null
    : 'a DateTime is ISO 8601 with an offset, e.g. 2026-03-02T09:30:00Z';

const bigIntProblem: Check = (v) =>
  /^\d{1,19}$/.test(v) && BigInt(v) < 2n ** 63n ? null : 'a BigInt is a whole number written as decimal digits, e.g. "1042"';

export const scalarChecks: Record<string, Check> = {
  BigInt: bigIntProblem,
  CVR: cvrProblem,
  PNumber: pNumberProblem,
  Date: dateProblem,
  DateTime: dateTimeProblem,
  DISCO: discoProblem,
};

/**
 * A string scalar whose values are checked. Literals are checked by the ArgumentValuesRule so the
 * error can name the argument; parseLiteral only insists on a string (or, for number-like codes, an int).
 */
function checkedString(name: string, description: string, check: Check, acceptInt: boolean, serialize: (v: unknown) => string = String) {
  const fromLiteral = (node: ValueNode): string => {
    if (node.kind === Kind.STRING || (acceptInt && node.kind === Kind.INT)) return node.value;
    throw new GraphQLError(`${name} must be written as a string`, { extensions: { code: 'BAD_USER_INPUT' } });
  };
  return new GraphQLScalarType<string, string>({
    name,
    description,
    serialize: (v) => serialize(v),
    parseValue(v) {
      const text = typeof v === 'number' && acceptInt ? String(v) : v;
      if (typeof text !== 'string') throw new GraphQLError(`${name} must be a string`, { extensions: { code: 'BAD_USER_INPUT' } });
      const problem = check(text);
      if (problem)
        throw new GraphQLError(`${JSON.stringify(text)} is not a valid ${name}: ${problem}`, { extensions: { code: 'BAD_USER_INPUT' } });
      return text;
    },
    parseLiteral: fromLiteral,
  });
}

export const scalars = {
  BigInt: checkedString('BigInt', '64-bit whole number as decimal digits', bigIntProblem, true),
  CVR: checkedString('CVR', 'CVR number', cvrProblem, true),
  PNumber: checkedString('PNumber', 'P-number', pNumberProblem, true),
  Date: checkedString('Date', 'ISO date', dateProblem, false),
  DISCO: checkedString('DISCO', 'DISCO-08 occupation code', discoProblem, false),
  DateTime: checkedString('DateTime', 'ISO date-time', dateTimeProblem, false, (v) => (v instanceof Date ? v.toISOString() : String(v))),
};
