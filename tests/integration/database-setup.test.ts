import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/connect.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { DirectoryLockedError, lockPathFor } from '../../src/lib/server/db/pglite-lock.ts';
import { databaseConfig, shouldSeedDemo } from '../../src/lib/server/config.ts';
import { seedDemoAccounts } from '../../src/lib/server/seed/demo.ts';
import { checkLogin } from '../../src/lib/server/auth/login.ts';
import { testDb } from '../helpers/db.ts';

const opened: DatabaseHandle[] = [];
afterEach(async () => {
	for (const h of opened.splice(0)) await h.close();
});

describe('database set-up', () => {
	test('migrating again is a no-op', async () => {
		const db = await testDb();
		await migrateToLatest(db);
		const { rows } = await sql<{
			n: number;
		}>`select count(*)::int as n from kysely_migration`.execute(db);
		expect(rows[0].n).toBeGreaterThan(0);
	});

	test('DATABASE_URL picks the server; otherwise the embedded database in ./data/pglite or PGLITE_DIR', () => {
		expect(databaseConfig({ DATABASE_URL: 'postgres://u@h/db' })).toEqual({
			kind: 'postgres',
			url: 'postgres://u@h/db'
		});
		expect(databaseConfig({})).toEqual({ kind: 'pglite', dir: path.resolve('data/pglite') });
		expect(databaseConfig({ PGLITE_DIR: '/tmp/x' })).toEqual({ kind: 'pglite', dir: '/tmp/x' });
		expect(() => databaseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be/);
		expect(shouldSeedDemo({})).toBe(true);
		expect(shouldSeedDemo({ DATABASE_URL: 'postgres://x' })).toBe(false);
		expect(shouldSeedDemo({ DATABASE_URL: 'postgres://x', SEED_DEMO: '1' })).toBe(true);
	});

	test('demo accounts are made once, on an empty database, with working random passwords', async () => {
		const db = await testDb();
		const made = await seedDemoAccounts(db);
		expect(made.map((a) => a.role)).toEqual([
			'admin',
			'instructor',
			'student',
			'student',
			'student'
		]);
		expect(new Set(made.map((a) => a.password)).size).toBe(5);
		const admin = made[0];
		expect(
			(await checkLogin(db, { email: admin.email, password: admin.password, ip: '::1' })).ok
		).toBe(true);
		expect(await seedDemoAccounts(db)).toEqual([]);
	});

	test('a second open of the same embedded directory is refused while the first holds it', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pglite-lock-'));
		const dataDir = path.join(dir, 'db');
		const first = await openDatabase({ kind: 'pglite', dir: dataDir });
		opened.push(first);
		await expect(openDatabase({ kind: 'pglite', dir: dataDir })).rejects.toBeInstanceOf(
			DirectoryLockedError
		);

		// Another live process holding the lock is refused too; a dead one's lock is taken over.
		await first.close();
		opened.pop();
		const sleeper = spawn('sleep', ['30']);
		try {
			fs.writeFileSync(lockPathFor(dataDir), String(sleeper.pid));
			await expect(openDatabase({ kind: 'pglite', dir: dataDir })).rejects.toThrow(
				/in use by another process/
			);
		} finally {
			sleeper.kill();
		}
		fs.writeFileSync(lockPathFor(dataDir), '999999');
		const again = await openDatabase({ kind: 'pglite', dir: dataDir });
		opened.push(again);
		await sql`select 1`.execute(again.db);
	}, 60000);

	test('LISTEN/NOTIFY reaches a subscriber through the one interface', async () => {
		const { rows } = await sql<{ v: string }>`select version() as v`.execute(await testDb());
		expect(rows[0].v).toMatch(/PostgreSQL/);
		const url = process.env.TEST_DATABASE_URL;
		const h = url
			? await openDatabase({ kind: 'postgres', url })
			: await openDatabase({ kind: 'pglite', dir: 'memory://' });
		opened.push(h);
		const got: string[] = [];
		const stop = await h.listen('test_channel', (p) => got.push(p));
		await sql`select pg_notify('test_channel', 'hello')`.execute(h.db);
		for (let i = 0; i < 50 && !got.length; i++) await new Promise((r) => setTimeout(r, 20));
		await stop();
		expect(got).toEqual(['hello']);
	}, 60000);
});
