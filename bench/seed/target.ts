import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle, type Db } from '../../src/lib/server/db/connect.ts';

// Where the seeder writes, and the rules that keep it from wiping a real database: it fills an
// empty database, or one it made itself (it leaves a `bench_seed` table behind as its mark); a
// database holding anything else is refused unless `--reset` is given.

export const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/perspectives_bench';
export const MARKER_TABLE = 'bench_seed';

export type Target = { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string };

/** The URL without its password, for the console and the manifest. */
export function describe(t: Target): string {
	if (t.kind === 'pglite') return `pglite:${t.dir}`;
	const u = new URL(t.url);
	if (u.password) u.password = '';
	return u.toString().replace(/:@/, '@');
}

/** Creates the PostgreSQL database named in the URL when the server does not have it. */
async function ensurePostgresDatabase(url: string, log: (s: string) => void): Promise<void> {
	const u = new URL(url);
	const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
	if (!name) throw new Error('DATABASE_URL names no database.');
	const admin = new URL(url);
	admin.pathname = '/postgres';
	const client = new pg.Client({ connectionString: admin.toString() });
	await client.connect();
	try {
		const { rows } = await client.query('select 1 from pg_database where datname = $1', [name]);
		if (!rows.length) {
			await client.query(`create database "${name.replace(/"/g, '""')}"`);
			log(`Created the database ${name}.`);
		}
	} finally {
		await client.end();
	}
}

export async function openTarget(t: Target, log: (s: string) => void): Promise<DatabaseHandle> {
	if (t.kind === 'postgres') {
		await ensurePostgresDatabase(t.url, log);
		return await openDatabase({ kind: 'postgres', url: t.url });
	}
	fs.mkdirSync(t.dir, { recursive: true });
	return await openDatabase({ kind: 'pglite', dir: path.resolve(t.dir) });
}

/**
 * Makes the database ready to be filled: empty, or emptied because the seeder made it (or because
 * `reset` says to). Throws, touching nothing, when it holds data the seeder did not put there.
 */
export async function claim(db: Db, reset: boolean, log: (s: string) => void): Promise<void> {
	const { rows } = await sql<{ table_name: string }>`
		select table_name from information_schema.tables
		where table_schema = 'public' order by table_name`.execute(db);
	const tables = rows.map((r) => r.table_name);
	const ours = tables.includes(MARKER_TABLE);
	if (tables.length && !ours) {
		const users = tables.includes('users')
			? Number(
					(await sql<{ n: number }>`select count(*)::int as n from users`.execute(db)).rows[0].n
				)
			: 0;
		if (!reset) {
			throw new Error(
				`This database holds ${tables.length} tables (${users} users) that the seeder did not make. ` +
					'Refusing to touch it. Point DATABASE_URL at a bench database, or pass --reset to wipe it.'
			);
		}
		log(
			`--reset: dropping ${tables.length} tables (${users} users) of a database the seeder did not make.`
		);
	}
	if (tables.length) {
		await sql`drop schema public cascade`.execute(db);
		await sql`create schema public`.execute(db);
	}
	await sql`create table ${sql.table(MARKER_TABLE)} (
		id integer primary key default 1 check (id = 1),
		started_at timestamptz not null default now(),
		finished_at timestamptz,
		scale double precision not null,
		quick boolean not null,
		counts jsonb
	)`.execute(db);
}

export async function markStarted(db: Db, scale: number, quick: boolean): Promise<void> {
	await sql`insert into ${sql.table(MARKER_TABLE)} (scale, quick) values (${scale}, ${quick})`.execute(
		db
	);
}

export async function markFinished(db: Db, counts: Record<string, number>): Promise<void> {
	await sql`update ${sql.table(MARKER_TABLE)} set finished_at = now(),
		counts = ${JSON.stringify(counts)}::jsonb`.execute(db);
}
