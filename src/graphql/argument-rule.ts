import { GraphQLError, Kind, getNamedType, type ValidationContext, type ASTVisitor } from 'graphql';
import { scalarChecks } from './scalars.js';

/**
 * Checks literal values of the checked scalars (CVR, PNumber, Date, DateTime) where they are written,
 * so the error can name the argument or input field: `cvr: "12345678" is not a valid CVR …`.
 * Variables are checked when they are coerced (scalar parseValue).
 */
export function ArgumentValuesRule(context: ValidationContext): ASTVisitor {
  const path: string[] = [];
  const check = (node: { value: any }, label: string) => {
    const type = context.getInputType();
    if (!type) return;
    const named = getNamedType(type);
    const problemOf = scalarChecks[named.name];
    const values = node.value.kind === Kind.LIST ? node.value.values : [node.value];
    for (const v of values) {
      if (!problemOf || (v.kind !== Kind.STRING && v.kind !== Kind.INT)) continue;
      const problem = problemOf(v.value);
      if (problem) {
        context.reportError(
          new GraphQLError(`${label}: ${JSON.stringify(v.value)} is not a valid ${named.name}: ${problem}`, {
            nodes: v,
            extensions: { code: 'BAD_USER_INPUT', field: label },
          }),
        );
      }
    }
  };
  return {
    Argument: {
      enter(node) {
        path.push(node.name.value);
        check(node, path.join('.'));
      },
      leave() {
        path.pop();
      },
    },
    ObjectField: {
      enter(node) {
        path.push(node.name.value);
        check(node, path.join('.'));
      },
      leave() {
        path.pop();
      },
    },
  };
}
