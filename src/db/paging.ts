import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Db } from './database.js';
import type { Database } from './schema.js';

/** A column of the table the rows are read from, under its alias `A`, that the rows also return. */
export type PagedColumn<DB, A extends keyof DB, O> = keyof DB[A] & keyof O & string;

/**
 * Reads a column of the rows: qualified by the table's alias where they are numbered, by its bare name
 * in the query around that, so one sort expression serves both.
 */
export type ColumnReader<C extends string, O> = <K extends C>(column: K) => RawBuilder<K extends keyof O ? O[K] : never>;

export interface SortKey<C extends string, O> {
  /** A column, or an expression of columns read with the reader it is given. */
  by: C | ((col: ColumnReader<C, O>) => Expression<unknown>);
  desc?: boolean;
}

export interface TopPerParentPage<A extends string, C extends string, O> {
  /** The alias under which the rows' query reads its table (the only one it reads). */
  alias: A;
  parent: C;
  /**
   * The order within a parent; it must be total (end with a unique column) and never null (coalesce a
   * nullable column, as a NULL compares as unknown and would drop its row from every later page).
   */
  sort: readonly SortKey<C, O>[];
  /**
   * The last row's values of the sort keys, one each, bound as given (pass an expression to cast one);
   * null for the first page.
   */
  after: readonly unknown[] | null;
  /** Rows per parent; greater than zero (a caller asking for none has no statement to make). */
  limit: number;
}

/**
 * Up to `limit` of `rows` per parent for any number of parents in one statement:
 * `perParent(db, (eb) => eb.selectFrom(...)...).top({ alias, parent, sort, after, limit })`. The rows
 * are numbered per parent in the sort order after the cursor, and the outer query keeps the first
 * `limit` of each, ordered by parent, then sort: the window's own order, so Postgres need not sort again.
 *
 * The rows are built on the outer query's expression builder, so plugins see one statement, not also its
 * subquery; and the page is given in a second call, typed by the rows once they are known.
 */
export function perParent<DB, A extends keyof DB & string, O>(
  db: Db,
  rows: (eb: ExpressionBuilder<Database, never>) => SelectQueryBuilder<DB, A, O>,
) {
  type C = PagedColumn<DB, A, O>;
  return {
    top(page: TopPerParentPage<A, C, O>) {
      const inner = ((column: string) => sql.ref(`${page.alias}.${column}`)) as ColumnReader<C, O>;
      const outer = ((column: string) => sql.ref(column)) as ColumnReader<C, O>;
      const keys = (col: ColumnReader<C, O>) =>
        page.sort.map((k) => ({ expr: typeof k.by === 'string' ? col(k.by) : k.by(col), desc: k.desc }));
      const numbered = (eb: ExpressionBuilder<Database, never>) =>
        rows(eb)
          .select((eb) =>
            eb.fn
              .agg<number>('row_number')
              .over((ob) =>
                keys(inner).reduce(
                  (o, k) => o.orderBy(k.expr, k.desc ? 'desc' : undefined),
                  ob.partitionBy(db.dynamic.ref(`${page.alias}.${page.parent}`)),
                ),
              )
              .as('rn'),
          )
          .$if(page.after !== null, (q) => q.where((eb) => afterKeys(eb, keys(inner), page.after!)))
          .as('numbered');
      let q = db.selectFrom(numbered).selectAll().where(sql.ref('rn'), '<=', page.limit).orderBy(outer(page.parent));
      for (const k of keys(outer)) q = q.orderBy(k.expr, k.desc ? 'desc' : undefined);
      return q;
    },
  };
}

/**
 * The rows after the cursor in the sort order: one row comparison where every key runs the same way
 * (an index on the keys serves it as a range), else key by key.
 */
function afterKeys<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  keys: readonly { expr: Expression<unknown>; desc?: boolean }[],
  after: readonly unknown[],
): Expression<SqlBool> {
  const past = (desc?: boolean) => (desc ? '<' : '>');
  if (keys.every((k) => k.desc === keys[0]!.desc))
    return eb(sql`(${sql.join(keys.map((k) => k.expr))})`, past(keys[0]!.desc), sql`(${sql.join([...after])})`);
  return eb.or(
    keys.map((k, i) => eb.and([...keys.slice(0, i).map((e, j) => eb(e.expr, '=', after[j])), eb(k.expr, past(k.desc), after[i])])),
  );
}
