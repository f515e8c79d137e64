import { sql } from 'kysely';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/connect.ts';
import { serverUrl } from '../helpers/server-url.ts';

// An exam's start is thousands of requests after a quiet minute. A pool that had closed its idle
// connections opened them amid that burst, and opening one ran past its connect timeout: the
// first students got 503s. The pool opens its connections at start-up and keeps them while idle.

let h: DatabaseHandle;
beforeAll(async () => {
	process.env.DATABASE_POOL_SIZE = '3';
	h = await openDatabase({ kind: 'postgres', url: serverUrl() }, { idleMs: 100 });
	delete process.env.DATABASE_POOL_SIZE;
});
afterAll(async () => {
	await h.close();
});

const backendsAtOnce = async (n: number) =>
	new Set(
		(
			await Promise.all(
				Array.from({ length: n }, () =>
					sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.05)`.execute(h.db)
				)
			)
		).map((r) => r.rows[0].pid)
	);

test('warming opens every connection of the pool, and they outlive the idle timeout', async () => {
	expect(await h.warm()).toBe(3);
	const before = await backendsAtOnce(3);
	expect(before.size).toBe(3);
	// Well past the idle timeout (100 ms here): the same three connections serve the next burst.
	await new Promise((r) => setTimeout(r, 400));
	const after = await backendsAtOnce(3);
	expect([...after].sort()).toEqual([...before].sort());
});
