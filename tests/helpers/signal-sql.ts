import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
// The rules the signals reuse (src/rules.ts) come from the connectors the app composes.
import '../../src/connectors.js';
import { deriveContext } from '../../connectors/insights/derive/context.js';
import { ctesOf, signalsStatement, type Signal } from '../../connectors/insights/derive/signals/signal.js';

/** A Kysely that compiles Postgres SQL and never connects: the signals statement as text, without a database. */
const compiler = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

export const signalContext = () => deriveContext('2026-03-02');

/** The one statement the signals compose into, with its parameters. */
export function compileSignals(signals: readonly Signal[]) {
  return signalsStatement(signalContext(), signals).compile(compiler);
}

/** The names each subquery reads (FROM/JOIN name), in statement order, to check none reads one written after it. */
export function subqueryReads(signals: readonly Signal[]): { name: string; reads: string[] }[] {
  const ctes = ctesOf(signals);
  const names = ctes.map((x) => x.name);
  return ctes.map((x) => {
    const text = x.query(signalContext()).compile(compiler).sql;
    return { name: x.name, reads: names.filter((n) => new RegExp(`\\b(FROM|JOIN)\\s+${n}\\b`).test(text)) };
  });
}
