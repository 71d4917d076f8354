import type { GraphQLResolveInfo } from 'graphql';
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
  /** The field's path from a Company: `['recruitment', 'vacancies']`. */
  path: readonly [string, ...string[]];
  /**
   * For the field's arguments as the client gave them (variables applied): the subquery and its priming;
   * null for arguments it does not answer here (a later page, a value the resolver will refuse), which the
   * resolver then loads as usual.
   */
  plan(cvr: Expression<string>, args: Record<string, unknown>, today: string): PlannedPrefetch | null;
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
  const planned: PlannedPrefetch[] = [];
  for (const p of declared) {
    const seen = new Set<string>();
    for (const field of below(nodes, p.path)) {
      const key = JSON.stringify(field.args);
      if (seen.has(key)) continue;
      seen.add(key);
      const q = p.plan(cvr, field.args, today);
      if (q) planned.push(q);
    }
  }
  return planned;
}
