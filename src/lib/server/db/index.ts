import { sql } from 'kysely';
import { databaseConfig } from '../config.ts';
import { openDatabase, type DatabaseHandle, type Db, type Executor } from './connect.ts';
import { unavailableError } from './outage.ts';

export type { Db, Executor, DatabaseHandle };

// One database handle per process, made on first use and shared by every request.
let handle: Promise<DatabaseHandle> | undefined;

export function getDatabase(): Promise<DatabaseHandle> {
	// An unreachable server is a 503 for the page (db/outage.ts), not a 500.
	handle ??= openDatabase(databaseConfig(), { mapUnavailable: unavailableError }).catch((e) => {
		handle = undefined;
		throw e;
	});
	return handle;
}

/** Makes `h` the process's database: for tests that drive loads and actions directly. */
export function useDatabase(h: DatabaseHandle): void {
	handle = Promise.resolve(h);
}

export async function getDb(): Promise<Db> {
	return (await getDatabase()).db;
}

export async function closeDatabase(): Promise<void> {
	const h = handle;
	handle = undefined;
	if (h) await (await h).close();
}

/**
 * Runs `fn` in one transaction: all of its writes land, or none do. Given an executor that is
 * already a transaction, `fn` joins it (so area functions compose) instead of opening another.
 */
export function inTransaction<T>(db: Executor, fn: (trx: Executor) => Promise<T>): Promise<T> {
	if (db.isTransaction) return fn(db);
	return (db as Db).transaction().execute(fn);
}

/** Whether the database answers a trivial query (for /healthz); never throws. */
export async function databaseAnswers(): Promise<boolean> {
	try {
		await sql`select 1`.execute(await getDb());
		return true;
	} catch {
		return false;
	}
}
