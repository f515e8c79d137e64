// Named prepared statements for the PostgreSQL pool.
//
// Kysely sends every query unnamed, so the server parses and plans it on each execution. For the
// statements a page runs (the session check with its subqueries, an attempt with its questions)
// planning costs more than running: 0.4–0.65 ms of bind (planning) against 0.05–0.3 ms of execute
// per statement, on the seeded district. A named statement is parsed once per connection, and
// after five executions the server keeps a generic plan when it is no worse than the custom ones.
//
// Which statements: those with parameters (the shape of every Kysely query; a text with none, a
// migration or `begin`, goes as it is, and may hold several statements), at most MAX_PARAMETERS
// of them (bulk inserts, each of another length), and at most MAX_NAMES distinct texts in a process
// (lists of ids of varying length make new texts: past the cap they run unnamed, as before), so
// what each connection keeps on the server stays bounded.
//
// A named statement's result columns are fixed when it is prepared. When a migration changes a
// table under it (another instance deploying), its next run fails with 0A000 "cached plan must not
// change result type"; the connection then stops naming statements, and the query is run again
// unnamed unless it was inside a transaction (which the error has aborted; the caller's
// transaction fails as any failed statement would). The pool closes idle connections, so fresh
// ones take over.
import pg from 'pg';
import { isChangedResultType } from './errors.ts';

export const MAX_NAMES = 500;
export const MAX_PARAMETERS = 100;

const names = new Map<string, string>();

/** The name a text runs under, or undefined when it runs unnamed. */
export function statementName(text: string, parameterCount: number): string | undefined {
	if (parameterCount === 0 || parameterCount > MAX_PARAMETERS) return undefined;
	let name = names.get(text);
	if (name === undefined && names.size < MAX_NAMES) {
		name = `k${names.size + 1}`;
		names.set(text, name);
	}
	return name;
}

/** Distinct texts named so far in this process (tests, diagnostics). */
export function namedStatementCount(): number {
	return names.size;
}

type QueryResult = pg.QueryResult<pg.QueryResultRow>;
type Query = (config: pg.QueryConfig) => Promise<QueryResult>;

/**
 * What a pool client does with `query(text, values)`: runs it as a named statement when
 * `statementName` gives one, and recovers once from a statement the schema changed under.
 * `run` sends a query config on the client; the returned function keeps the client's state.
 */
export function preparedQueries(
	run: Query
): (text: string, values: unknown[]) => Promise<QueryResult> {
	let naming = true;
	let inTransaction = false;
	return async (text, values) => {
		// Kysely opens a transaction with `begin` or `start transaction …` and ends it with
		// `commit` or `rollback` (a savepoint's is `rollback to …`), each without parameters.
		const command = values.length === 0 ? text.trim().toLowerCase() : '';
		if (command.startsWith('begin') || command.startsWith('start transaction'))
			inTransaction = true;
		const ends = command === 'commit' || command === 'rollback';
		const name = naming ? statementName(text, values.length) : undefined;
		try {
			return await run(name ? { name, text, values } : { text, values });
		} catch (e) {
			if (!name || !isChangedResultType(e)) throw e;
			naming = false;
			if (inTransaction) throw e;
			return await run({ text, values });
		} finally {
			if (ends) inTransaction = false;
		}
	};
}
