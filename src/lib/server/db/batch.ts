/**
 * PostgreSQL takes at most 65,535 bind parameters in one statement, and a multi-row insert uses
 * one per value: 21,846 three-column rows already fail. Long lists are written in batches, in
 * order, inside the caller's transaction.
 */
export const MAX_BIND_PARAMETERS = 65_535;
/** Also keeps one statement (and its parameter array) of a moderate size. */
const MAX_ROWS = 5_000;

/** `rows` cut into lists that each fit in one statement. */
export function insertBatches<Row extends object>(rows: readonly Row[]): Row[][] {
	if (rows.length === 0) return [];
	// Rows may leave out optional columns; the statement has the union of them all.
	const columns = new Set<string>();
	for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
	const size = Math.max(
		1,
		Math.min(MAX_ROWS, Math.floor(MAX_BIND_PARAMETERS / Math.max(1, columns.size)))
	);
	const batches: Row[][] = [];
	for (let i = 0; i < rows.length; i += size) batches.push(rows.slice(i, i + size));
	return batches;
}

/**
 * Runs `insert` once per batch of `rows`, one after another, and returns what the batches
 * returned, in order (the rows of `returning`, or Kysely's insert results).
 *
 *     await insertInBatches(rows, (batch) => trx.insertInto('t').values(batch).execute());
 */
export async function insertInBatches<Row extends object, Out>(
	rows: readonly Row[],
	insert: (batch: Row[]) => Promise<Out[]>
): Promise<Out[]> {
	const out: Out[] = [];
	for (const batch of insertBatches(rows)) for (const r of await insert(batch)) out.push(r);
	return out;
}
