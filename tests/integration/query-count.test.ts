import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { RequestEvent, ResolveOptions } from '@sveltejs/kit';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/connect.ts';
import { queryTotals } from '../../src/lib/server/db/query-count.ts';
import { BENCH_QUERIES_PATH, countQueries } from '../../src/lib/server/web/query-count-hook.ts';

// The bench's per-request query counter (BENCH_QUERY_COUNT=1): a handle opened with it counts
// every statement in the request it runs in, concurrent requests apart; one opened without it
// counts nothing.

const config = () =>
	process.env.TEST_DATABASE_URL
		? ({ kind: 'postgres', url: process.env.TEST_DATABASE_URL } as const)
		: ({ kind: 'pglite', dir: 'memory://' } as const);

let counting: DatabaseHandle;
let plain: DatabaseHandle;

beforeAll(async () => {
	const before = process.env.BENCH_QUERY_COUNT;
	process.env.BENCH_QUERY_COUNT = '1';
	try {
		counting = await openDatabase(config());
	} finally {
		if (before === undefined) delete process.env.BENCH_QUERY_COUNT;
		else process.env.BENCH_QUERY_COUNT = before;
	}
	plain = await openDatabase(config());
});

afterAll(async () => {
	await counting?.close();
	await plain?.close();
});

type Resolve = (event: RequestEvent, opts?: ResolveOptions) => Promise<Response>;

/** Runs the hook for `path` with `work` as the rest of the request; answers the response. */
function request(path: string, work: () => Promise<void>): Promise<Response> {
	const event = { url: new URL(`http://localhost${path}`) } as RequestEvent;
	const resolve: Resolve = async () => {
		await work();
		return new Response('ok');
	};
	return Promise.resolve(countQueries({ event, resolve }));
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the bench query counter', () => {
	it('counts each statement of a request, a transaction’s begin and commit included', async () => {
		const res = await request('/a', async () => {
			await sql`select 1`.execute(counting.db);
			await counting.db.transaction().execute(async (trx) => {
				await sql`select 2`.execute(trx);
			});
		});
		expect(res.headers.get('x-query-count')).toBe('4');
	});

	it('keeps concurrent requests apart', async () => {
		const [one, three] = await Promise.all([
			request('/one', async () => {
				await pause(20);
				await sql`select 1`.execute(counting.db);
			}),
			request('/three', async () => {
				await Promise.all([1, 2, 3].map((n) => sql`select ${n}::int`.execute(counting.db)));
				await pause(30);
			})
		]);
		expect(one.headers.get('x-query-count')).toBe('1');
		expect(three.headers.get('x-query-count')).toBe('3');
	});

	it('counts queries outside any request as background, not in a request', async () => {
		const before = queryTotals();
		await sql`select 1`.execute(counting.db);
		const res = await request('/none', async () => {});
		const after = queryTotals();
		expect(after.background - before.background).toBe(1);
		expect(after.inRequests - before.inRequests).toBe(0);
		expect(res.headers.get('x-query-count')).toBe('0');
	});

	it('answers the process-wide totals on the bench path', async () => {
		await request('/x', async () => {
			await sql`select 1`.execute(counting.db);
		});
		const res = await request(BENCH_QUERIES_PATH, async () => {
			throw new Error('the bench path does not reach the app');
		});
		const body = (await res.json()) as { inRequests: number; background: number };
		expect(body).toEqual(queryTotals());
		expect(body.inRequests).toBeGreaterThan(0);
	});

	it('counts nothing on a handle opened without BENCH_QUERY_COUNT=1', async () => {
		const before = queryTotals();
		const res = await request('/plain', async () => {
			await sql`select 1`.execute(plain.db);
		});
		expect(res.headers.get('x-query-count')).toBe('0');
		expect(queryTotals()).toEqual(before);
	});
});
