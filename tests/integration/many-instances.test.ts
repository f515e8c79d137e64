import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, test } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/connect.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { serverUrl, TEST_INSTANCE_POOL } from '../helpers/server-url.ts';

// Two app processes started at the same moment on one empty PostgreSQL database (two processes on
// one embedded database are refused by design, so this always uses a server: serverUrl()). Both
// must come up; the migrations, the shipped course and the demo accounts must each happen once.

let handle: DatabaseHandle | undefined;
afterAll(async () => {
	// Leave the schema migrated for the rest of the suite (when it shares this database).
	if (handle) {
		await migrateToLatest(handle.db);
		await handle.close();
	}
});

function startInstance(url: string): Promise<{ code: number | null; out: string; err: string }> {
	const tsx = path.resolve('node_modules/.bin/tsx');
	const child = spawn(tsx, ['tests/helpers/start-app-once.ts'], {
		env: {
			...process.env,
			DATABASE_URL: url,
			SEED_DEMO: '1',
			CONTENT_DIR: path.resolve('content'),
			...TEST_INSTANCE_POOL
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	let err = '';
	child.stdout.on('data', (d) => (out += d));
	child.stderr.on('data', (d) => (err += d));
	return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

describe('many instances', () => {
	test('two processes starting at once on an empty database both come up, and set it up once', async () => {
		const url = serverUrl();
		handle = await openDatabase({ kind: 'postgres', url });
		await sql`drop schema if exists public cascade`.execute(handle.db);
		await sql`create schema public`.execute(handle.db);

		const [a, b] = await Promise.all([startInstance(url), startInstance(url)]);
		for (const r of [a, b]) {
			expect(r.err).not.toMatch(/error/i);
			expect(r.code, r.out + r.err).toBe(0);
		}
		const outs = [a, b].map((r) => JSON.parse(r.out.trim().split('\n').at(-1)!));
		// One of them applied the migrations and imported; the other found nothing left to do.
		const applied = outs.map((o) => o.lines.filter((l: string) => /applied/.test(l)).length);
		expect(applied.filter((n) => n > 0)).toHaveLength(1);

		const db = handle.db;
		const migrations = await sql<{ n: number }>`
			select count(*)::int as n from kysely_migration`.execute(db);
		expect(migrations.rows[0].n).toBe(applied.find((n) => n > 0));
		const courses = await db
			.selectFrom('courses')
			.select(({ fn }) => ['slug', fn.countAll<number>().as('n')])
			.groupBy('slug')
			.execute();
		expect(courses.length).toBeGreaterThan(0);
		for (const c of courses) expect(Number(c.n)).toBe(1);
		const users = await db
			.selectFrom('users')
			.select(({ fn }) => ['email', fn.countAll<number>().as('n')])
			.groupBy('email')
			.execute();
		expect(users.length).toBeGreaterThan(0);
		for (const u of users) expect(Number(u.n)).toBe(1);
		// Exactly one process printed the demo accounts.
		const printed = outs.filter((o) => o.lines.some((l: string) => /demo/i.test(l)));
		expect(printed).toHaveLength(1);
	}, 120000);
});
