import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import pg from 'pg';
import type { DatabaseHandle } from '../../src/lib/server/db/connect.ts';
import { serverUrl } from '../helpers/server-url.ts';

// The pool runs Kysely's queries as named prepared statements (db/prepared.ts): parsed and planned
// once a connection instead of on every request. What must hold: the server keeps them (that is
// the saving), a migration that changes a table under one does not break the connection, and what
// is kept stays bounded.

let h: DatabaseHandle;
let admin: pg.Client;
// A process names at most MAX_NAMES texts, and the integration suite shares one process (isolate:
// false): by this file the suite's own texts may have used them all. These modules are this
// file's own, so its texts are named as in a fresh process.
let openDatabase: typeof import('../../src/lib/server/db/connect.ts').openDatabase;
let namedStatementCount: typeof import('../../src/lib/server/db/prepared.ts').namedStatementCount;
beforeAll(async () => {
	vi.resetModules();
	({ openDatabase } = await import('../../src/lib/server/db/connect.ts'));
	({ namedStatementCount } = await import('../../src/lib/server/db/prepared.ts'));
	process.env.DATABASE_POOL_SIZE = '1';
	h = await openDatabase({ kind: 'postgres', url: serverUrl() });
	delete process.env.DATABASE_POOL_SIZE;
	admin = new pg.Client({ connectionString: serverUrl() });
	await admin.connect();
	// Its own schema: the suite's reset between tests empties the public one.
	await admin.query('drop schema if exists prepared_test cascade');
	await admin.query('create schema prepared_test');
	await admin.query('create table prepared_test.probe (id int primary key, label text)');
	await admin.query("insert into prepared_test.probe values (1, 'one'), (2, 'two')");
});
afterAll(async () => {
	await admin.query('drop schema if exists prepared_test cascade');
	await admin.end();
	await h.close();
});

/** The statements the pool's one connection has prepared on the server. */
async function preparedOnServer(): Promise<string[]> {
	const { rows } = await sql<{
		statement: string;
	}>`select statement from pg_prepared_statements`.execute(h.db);
	return rows.map((r) => r.statement);
}

describe('prepared statements on a PostgreSQL server', () => {
	test('a query with parameters is prepared once and answers as before on every run', async () => {
		const find = (id: number) =>
			h.db
				.selectFrom('prepared_test.probe' as never)
				.select(['label' as never])
				.where('id' as never, '=', id as never)
				.executeTakeFirst() as Promise<{ label: string } | undefined>;
		expect(await find(1)).toEqual({ label: 'one' });
		for (let i = 0; i < 7; i++) expect(await find(2)).toEqual({ label: 'two' });
		expect(await find(3)).toBeUndefined();
		const kept = (await preparedOnServer()).filter((s) => s.includes('"probe"'));
		expect(kept).toHaveLength(1);
		expect(kept[0]).toMatch(/where "id" = \$1/);
	});

	test('a text without parameters is sent as it is (several statements in one)', async () => {
		const before = namedStatementCount();
		await sql.raw('select 1; select 2').execute(h.db);
		expect(namedStatementCount()).toBe(before);
	});

	test('a table changed under a prepared statement: the query is run again, unnamed', async () => {
		const all = () =>
			sql<Record<string, unknown>>`select * from prepared_test.probe where id = ${1}`.execute(h.db);
		expect((await all()).rows[0]).toEqual({ id: 1, label: 'one' });
		await all();
		// Another instance migrates: the prepared statement's result columns no longer hold.
		await admin.query("alter table prepared_test.probe add column note text default 'n'");
		expect((await all()).rows[0]).toEqual({ id: 1, label: 'one', note: 'n' });
		expect((await all()).rows[0]).toEqual({ id: 1, label: 'one', note: 'n' });
	});

	test('in a transaction the error is the caller’s, and the connection works after it', async () => {
		// A fresh handle: the connection of the test above has stopped naming statements.
		process.env.DATABASE_POOL_SIZE = '1';
		const fresh = await openDatabase({ kind: 'postgres', url: serverUrl() });
		delete process.env.DATABASE_POOL_SIZE;
		try {
			const label = (db: typeof fresh.db) =>
				sql<{ label: string }>`select * from prepared_test.probe where id = ${2}`.execute(db);
			await label(fresh.db);
			await admin.query('alter table prepared_test.probe add column extra int');
			await expect(
				fresh.db.transaction().execute(async (trx) => {
					await label(trx);
				})
			).rejects.toMatchObject({ code: '0A000' });
			expect((await label(fresh.db)).rows[0]).toMatchObject({ id: 2, label: 'two', extra: null });
			await fresh.db.transaction().execute(async (trx) => {
				expect((await label(trx)).rows[0]).toMatchObject({ label: 'two' });
			});
		} finally {
			await fresh.close();
		}
	});

	test('what is named stays bounded: bulk statements and texts past the cap run unnamed', async () => {
		// A module of its own, so filling its cap leaves the names of the rest of the suite alone.
		vi.resetModules();
		const { MAX_NAMES, MAX_PARAMETERS, namedStatementCount, statementName } =
			await import('../../src/lib/server/db/prepared.ts');
		expect(statementName('select $1', 0)).toBeUndefined();
		expect(statementName('insert many', MAX_PARAMETERS + 1)).toBeUndefined();
		const first = statementName('select $1 as cap_probe', 1);
		expect(first).toMatch(/^k\d+$/);
		expect(statementName('select $1 as cap_probe', 1)).toBe(first);
		for (let i = namedStatementCount(); i < MAX_NAMES + 10; i++)
			statementName(`select $1 as cap_${i}`, 1);
		expect(namedStatementCount()).toBe(MAX_NAMES);
		expect(statementName('select $1 as past_the_cap', 1)).toBeUndefined();
		expect(statementName('select $1 as cap_probe', 1)).toBe(first);
	});
});
