import { isAbstractType, Kind, TypeInfo, visit, visitWithTypeInfo, type GraphQLResolveInfo, type OperationDefinitionNode } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import type { Expression, RawBuilder } from 'kysely';
import { activeConnectors } from './connector.js';
import type { Context } from './graphql/context.js';

/**
 * A field below a company that a list of companies answers in its own statement: the connector that owns
 * the field gives a correlated subquery (its rows for one company, as JSON; built on a bare expression
 * builder, not the request's handle, so the request's statement counter sees one statement) and puts what it returns where
 * the field's resolver will look, its request loader. The list then costs one statement whatever it nests,
 * as PostGraphile's do, instead of one per nested field; the field's resolver still runs, with its checks
 * (scopes, arguments), and finds its rows loaded. Declared by connectors (`Connector.prefetch`), composed
 * by the list (insights' `companies`), so neither imports the other.
 */
export interface CompanyPrefetch {
  /**
   * The field's path from a Company: `[['recruitment', 'vacancies']]`; or the paths of several fields one
   * subquery answers together (a record that several fields read), which is then planned once.
   */
  paths: readonly (readonly [string, ...string[]])[];
  /**
   * For the field's arguments as the client gave them (variables applied): the subquery and its priming;
   * null for arguments it does not answer here (a later page, a value the resolver will refuse), which the
   * resolver then loads as usual.
   */
  plan(cvr: Expression<string>, args: Record<string, unknown>, today: string, operation: OperationFields): PlannedPrefetch | null;
}

/** The fields an operation selects on each object type, anywhere in it (its fragments included). */
export interface OperationFields {
  /** Every field the operation selects on `type` (directly, or on an interface or union it belongs to). */
  on(type: string): ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();
const byOperation = new WeakMap<OperationDefinitionNode, Map<string, Set<string>>>();

/**
 * What `info`'s operation selects on each type, worked out once per parsed operation (the compiled
 * query, or Apollo's kept document, holds the same node for every request of one text). A prefetch that reads fewer columns than its
 * loader's records hold needs it: it may prime a narrower record only when nothing in the operation asks for
 * more. It over-counts (every fragment of the document, @skip ignored), which only ever means wider reads.
 */
export function operationFields(info: GraphQLResolveInfo): OperationFields {
  let fields = byOperation.get(info.operation);
  if (!fields) {
    const found = new Map<string, Set<string>>();
    const add = (type: string, field: string) => {
      let set = found.get(type);
      if (!set) found.set(type, (set = new Set()));
      set.add(field);
    };
    const typeInfo = new TypeInfo(info.schema);
    const document = { kind: Kind.DOCUMENT, definitions: [info.operation, ...Object.values(info.fragments)] } as const;
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const parent = typeInfo.getParentType();
          if (!parent) return;
          if (isAbstractType(parent)) for (const t of info.schema.getPossibleTypes(parent)) add(t.name, node.name.value);
          else add(parent.name, node.name.value);
        },
      }),
    );
    byOperation.set(info.operation, (fields = found));
  }
  return { on: (type) => fields.get(type) ?? NONE };
}

/** A prefetch the operation asks for, with its arguments. */
export interface PlannedPrefetch {
  /** The subquery for the company whose CVR is the `cvr` expression it was planned with. */
  sql: RawBuilder<unknown>;
  /** Puts the subquery's value for `cvr` into the request's loaders, under the key the resolver asks for. */
  prime(ctx: Context, cvr: string, value: unknown): void;
}

function children(tree: ResolveTree, name: string): ResolveTree[] {
  return Object.values(tree.fieldsByTypeName).flatMap((fields) => Object.values(fields).filter((f) => f.name === name));
}

const below = (trees: ResolveTree[], path: readonly string[]) => path.reduce((ts, name) => ts.flatMap((t) => children(t, name)), trees);

/**
 * The prefetches of every active connector that the field being resolved selects on its companies, found
 * at `companies` below it (`['edges', 'node']` for a connection), once per distinct set of arguments
 * (aliases asking the same field twice with other arguments get one each); fragments and @skip/@include
 * are applied.
 */
export function companyPrefetches(
  info: GraphQLResolveInfo,
  companies: readonly string[],
  cvr: Expression<string>,
  today: string,
): PlannedPrefetch[] {
  const declared = activeConnectors().flatMap((c) => c.prefetch ?? []);
  if (declared.length === 0) return [];
  let root: ResolveTree | null;
  try {
    root = parseResolveInfo(info) as ResolveTree | null;
  } catch {
    // An argument below the list that graphql-js refuses (a null where a default applies): nothing is
    // prefetched, so the field that has it fails alone, as it would without prefetching.
    return [];
  }
  if (!root) return [];
  const nodes = below([root], companies);
  const operation = operationFields(info);
  const planned: PlannedPrefetch[] = [];
  for (const p of declared) {
    const seen = new Set<string>();
    for (const field of p.paths.flatMap((path) => below(nodes, path))) {
      const key = JSON.stringify(field.args);
      if (seen.has(key)) continue;
      seen.add(key);
      const q = p.plan(cvr, field.args, today, operation);
      if (q) planned.push(q);
    }
  }
  return planned;
}
