import { sql } from 'kysely';
import { afterEach, describe, expect, test } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/connect.ts';
import { isDatabaseUnavailable } from '../../src/lib/server/db/errors.ts';
import { serverUrl } from '../helpers/server-url.ts';

// A busy pool is not an outage. At an exam's start thousands of requests want a connection in
// the same second; one that waits longer than the connect timeout for its turn must still be
// served, not answered 503 "the database is unreachable" (which it was, with one 5 s limit).

const opened: DatabaseHandle[] = [];
afterEach(async () => {
	for (const h of opened.splice(0)) await h.close().catch(() => {});
	delete process.env.DATABASE_POOL_SIZE;
});

describe('a busy pool', () => {
	test('a request waits its turn past the 5 s connect timeout and is then served', async () => {
		process.env.DATABASE_POOL_SIZE = '1';
		const h = await openDatabase({ kind: 'postgres', url: serverUrl() });
		opened.push(h);
		// The pool's one connection is held for 6 s…
		const holder = h.db.transaction().execute(async (trx) => {
			await sql`select pg_sleep(6)`.execute(trx);
		});
		await new Promise((r) => setTimeout(r, 200));
		const began = Date.now();
		// …and this query waits for it rather than failing.
		const { rows } = await sql<{ n: number }>`select 1 as n`.execute(h.db);
		expect(rows[0].n).toBe(1);
		expect(Date.now() - began).toBeGreaterThan(5000);
		await holder;
	}, 20_000);

	test("pg's connect timeout counts as the server being unreachable", () => {
		expect(isDatabaseUnavailable(new Error('timeout expired'))).toBe(true);
	});
});
