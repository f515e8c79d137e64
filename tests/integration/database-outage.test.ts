import { sql } from 'kysely';
import { afterEach, describe, expect, test } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/connect.ts';
import { isDatabaseUnavailable } from '../../src/lib/server/db/errors.ts';
import { OUTAGE_MESSAGE, unavailableError } from '../../src/lib/server/db/outage.ts';
import { isHttpError } from '@sveltejs/kit';
import { serverUrl } from '../helpers/server-url.ts';
import { startTcpProxy, targetOf, type TcpProxy } from '../helpers/tcp-proxy.ts';

// A PostgreSQL restart or a network cut, made with a TCP proxy between the handle and the server
// (which is why this needs a server, on either suite run): queries fail with an error the pages
// answer with 503, the process keeps running, and everything works again within seconds of the
// server being reachable.

const opened: DatabaseHandle[] = [];
const proxies: TcpProxy[] = [];
afterEach(async () => {
	for (const h of opened.splice(0)) await h.close().catch(() => {});
	for (const p of proxies.splice(0)) await p.close();
});

async function behindProxy() {
	const url = serverUrl();
	const proxy = await startTcpProxy(targetOf(url));
	proxies.push(proxy);
	const h = await openDatabase({ kind: 'postgres', url: proxy.via(url) });
	opened.push(h);
	return { proxy, h };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(fn: () => Promise<T | undefined>, ms: number): Promise<T> {
	const start = Date.now();
	for (;;) {
		const v = await fn().catch(() => undefined);
		if (v !== undefined) return v;
		if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
		await sleep(50);
	}
}

describe('a database outage', () => {
	test('queries fail as "unavailable" while the server is cut off and work again once it is back', async () => {
		const { proxy, h } = await behindProxy();
		// Several idle connections in the pool, so the cut hits idle clients too.
		await Promise.all(Array.from({ length: 4 }, () => sql`select pg_sleep(0.05)`.execute(h.db)));
		expect(proxy.open()).toBeGreaterThanOrEqual(4);

		proxy.cut();
		// Idle clients see their connection end now; without the pool's error listener this would
		// be an uncaught exception and vitest would fail the run.
		await sleep(200);
		const failures = await Promise.all(
			Array.from({ length: 3 }, () =>
				sql`select 1`.execute(h.db).then(
					() => undefined,
					(e: unknown) => e
				)
			)
		);
		for (const e of failures) {
			expect(e).toBeDefined();
			expect(isDatabaseUnavailable(e)).toBe(true);
		}

		proxy.restore();
		const back = Date.now();
		await until(async () => (await sql`select 1 as ok`.execute(h.db)).rows.length, 5000);
		expect(Date.now() - back).toBeLessThan(3000);
		// The whole pool is usable again, not just one connection.
		const rows = await Promise.all(
			Array.from({ length: 6 }, () => sql<{ n: number }>`select 2 as n`.execute(h.db))
		);
		expect(rows.map((r) => r.rows[0].n)).toEqual([2, 2, 2, 2, 2, 2]);
	});

	test('a cut in the middle of a query fails that query only', async () => {
		const { proxy, h } = await behindProxy();
		const slow = sql`select pg_sleep(2)`.execute(h.db).then(
			() => undefined,
			(e: unknown) => e
		);
		await sleep(300);
		proxy.cut();
		const e = await slow;
		expect(isDatabaseUnavailable(e)).toBe(true);
		proxy.restore();
		await until(async () => (await sql`select 1 as ok`.execute(h.db)).rows.length, 5000);
	});

	test('the one listener reconnects after a cut and hears notifications sent afterwards', async () => {
		const { proxy, h } = await behindProxy();
		const got: string[] = [];
		let reconnected = 0;
		await h.listen('outage_test', (p) => got.push(p), { onReconnect: () => reconnected++ });
		await h.notify('outage_test', '1');
		await until(async () => (got.includes('1') ? true : undefined), 3000);

		proxy.cut();
		await sleep(300);
		proxy.restore();
		await until(async () => (reconnected > 0 ? true : undefined), 10000);
		expect(h.listener.reconnects).toBeGreaterThanOrEqual(1);
		await h.notify('outage_test', '2');
		await until(async () => (got.includes('2') ? true : undefined), 3000);
		expect(got).toEqual(['1', '2']);
	});

	test("the app's handle turns an outage into a 503 for the page, with a reference", async () => {
		const url = serverUrl();
		const proxy = await startTcpProxy(targetOf(url));
		proxies.push(proxy);
		const h = await openDatabase(
			{ kind: 'postgres', url: proxy.via(url) },
			{ mapUnavailable: unavailableError }
		);
		opened.push(h);
		await sql`select 1`.execute(h.db);
		proxy.cut();
		const e = await sql`select 1`.execute(h.db).catch((x: unknown) => x);
		expect(isHttpError(e, 503)).toBe(true);
		expect((e as { body: App.Error }).body).toEqual({
			message: OUTAGE_MESSAGE,
			ref: expect.stringMatching(/^[0-9a-f]{8}$/)
		});
		// A query mistake stays what it is.
		proxy.restore();
		const mistake = await until(
			() =>
				sql`select * from no_such_table`.execute(h.db).then(
					() => undefined,
					(x: unknown) => x
				),
			5000
		);
		expect(isHttpError(mistake)).toBe(false);
	});

	test('isDatabaseUnavailable tells outages from query mistakes', async () => {
		const { h } = await behindProxy();
		const mistake = await sql`select * from no_such_table`.execute(h.db).catch((e: unknown) => e);
		expect(isDatabaseUnavailable(mistake)).toBe(false);
		const refused = await openDatabase({ kind: 'postgres', url: 'postgres://x@127.0.0.1:1/none' });
		opened.push(refused);
		const e = await sql`select 1`.execute(refused.db).catch((x: unknown) => x);
		expect(isDatabaseUnavailable(e)).toBe(true);
	});
});
