import {
  defaultFieldResolver,
  GraphQLError,
  isObjectType,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { Context } from '../graphql/context.js';
import { missingScopes } from './scopes.js';

/** Federation's directive, under its own name or the namespaced one a subgraph gets when it is not imported. */
const SCOPE_DIRECTIVES = new Set(['requiresScopes', 'federation__requiresScopes']);
const LOGGED_DIRECTIVE = 'accessLogged';

type Requirement = string[][];

function directives(nodes: readonly { directives?: readonly ConstDirectiveNode[] }[]): ConstDirectiveNode[] {
  return nodes.flatMap((n) => n.directives ?? []);
}

function requirements(ds: ConstDirectiveNode[]): Requirement[] {
  return ds
    .filter((d) => SCOPE_DIRECTIVES.has(d.name.value))
    .map((d) => {
      const arg = d.arguments?.find((a) => a.name.value === 'scopes');
      return arg ? (valueFromASTUntyped(arg.value) as Requirement) : [];
    });
}

/** The `what` of each `@accessLogged(what: …)`, e.g. "contacts" or "names". */
function loggedAs(ds: ConstDirectiveNode[]): string[] {
  return ds
    .filter((d) => d.name.value === LOGGED_DIRECTIVE)
    .map((d) => {
      const arg = d.arguments?.find((a) => a.name.value === 'what');
      return arg ? String(valueFromASTUntyped(arg.value)) : 'contacts';
    });
}

const typeNodes = (t: GraphQLObjectType) => [...(t.astNode ? [t.astNode] : []), ...t.extensionASTNodes];

function forbidden(coordinate: string, required: Requirement, missing: string[], callerId: string): GraphQLError {
  const need =
    required.length > 1
      ? `one of the scope sets ${required.map((r) => r.join(' + ')).join(' or ')}`
      : `the scope${missing.length > 1 ? 's' : ''} ${missing.join(' and ')}`;
  return new GraphQLError(`${coordinate} needs ${need}, which caller "${callerId}" does not have`, {
    extensions: { code: 'FORBIDDEN', requiredScopes: required, missingScopes: missing },
  });
}

/**
 * The resolvers this module gave fields that had none: they read the parent's property (resolvers here give
 * plain values, not functions or promises), so they neither wait nor read a source; the field guard leaves
 * them alone.
 */
export const readsParent = new WeakSet<object>();

/**
 * Enforces the SDL's `@requiresScopes` on every field of an executable schema (the merged single-process
 * graph, or one subgraph behind a gateway), in place: a field the caller may not see resolves to null with
 * a FORBIDDEN error at its path, naming the missing scope, and the rest of the answer is unaffected. A
 * requirement on a type applies to each of its fields. Fields and types marked `@accessLogged(what:)` record the
 * company (the parent object's `cvr`) and what was read in the request's access recorder when they return a value.
 */
export function enforceScopes(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeDirectives = directives(typeNodes(type));
    const typeRequirements = requirements(typeDirectives);
    const typeLogged = loggedAs(typeDirectives);
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, Context>[]) {
      const fieldDirectives = directives(field.astNode ? [field.astNode] : []);
      const required = [...typeRequirements, ...requirements(fieldDirectives)];
      const logged = [...new Set([...typeLogged, ...loggedAs(fieldDirectives)])];
      if (required.length === 0 && logged.length === 0) continue;
      const coordinate = `${type.name}.${field.name}`;
      const own = field.resolve;
      const resolve = own ?? defaultFieldResolver;
      // A caller's verdict is worked out once per field, not on each of the field's values: a list's type-level
      // requirement runs here for every field of every row.
      const verdicts = new WeakMap<Context['principal'], { r: Requirement; missing: string[] } | null>();
      const verdict = (principal: Context['principal']) => {
        let v = verdicts.get(principal);
        if (v === undefined) {
          const held = new Set<string>(principal.scopes);
          v = null;
          for (const r of required) {
            const missing = missingScopes(r, held);
            if (missing) {
              v = { r, missing };
              break;
            }
          }
          verdicts.set(principal, v);
        }
        return v;
      };
      const wrapped: typeof field.resolve = (parent, args, ctx, info) => {
        if (required.length) {
          const v = verdict(ctx.principal);
          if (v) return forbidden(coordinate, v.r, v.missing, ctx.principal.id);
        }
        if (logged.length === 0) return resolve(parent, args, ctx, info);
        const record = (value: unknown) => {
          if (value != null) for (const what of logged) ctx.access?.record((parent as { cvr?: string } | null)?.cvr, what);
          return value;
        };
        const value = resolve(parent, args, ctx, info);
        return value instanceof Promise ? value.then(record) : record(value);
      };
      if (!own) readsParent.add(wrapped);
      field.resolve = wrapped;
    }
  }
  return schema;
}
