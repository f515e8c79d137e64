import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle, type Db } from '../../src/lib/server/db/connect.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';

// Integration tests run in one worker against one database: PGlite in memory by default, or the
// server named by TEST_DATABASE_URL (its public schema is dropped and rebuilt at the start).
let handle: Promise<DatabaseHandle> | undefined;

export const testDatabaseKind = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

async function open(): Promise<DatabaseHandle> {
	const url = process.env.TEST_DATABASE_URL;
	const h = await openDatabase(
		url ? { kind: 'postgres', url } : { kind: 'pglite', dir: 'memory://' }
	);
	if (url) {
		await sql`drop schema if exists public cascade`.execute(h.db);
		await sql`create schema public`.execute(h.db);
	}
	await migrateToLatest(h.db);
	return h;
}

export function testHandle(): Promise<DatabaseHandle> {
	handle ??= open();
	return handle;
}

export async function testDb(): Promise<Db> {
	return (await testHandle()).db;
}

/** Empties every table (but the migration bookkeeping) and restarts ids. One statement. */
export async function resetDb(db: Db): Promise<void> {
	const { rows } = await sql<{ tablename: string }>`
		select tablename from pg_tables
		where schemaname = current_schema() and tablename not like 'kysely_migration%'`.execute(db);
	if (!rows.length) return;
	const list = rows.map((r) => `"${r.tablename}"`).join(', ');
	await sql.raw(`truncate ${list} restart identity cascade`).execute(db);
}
