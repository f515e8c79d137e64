import { sql } from 'kysely';
import { afterEach, describe, expect, test } from 'vitest';
import {
	LISTENER_APPLICATION_NAME,
	openDatabase,
	type DatabaseHandle
} from '../../src/lib/server/db/connect.ts';
import { testDatabaseKind, testHandle } from '../helpers/db.ts';
import { serverUrl } from '../helpers/server-url.ts';

// One LISTEN connection per process (per database handle), fanned out in process. The first tests
// run on the suite's database (PGlite or Postgres); the last ones need a server's pg_stat_activity
// and pg_terminate_backend, so they use serverUrl() on either run.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(ok: () => boolean, ms = 5000): Promise<void> {
	const start = Date.now();
	while (!ok()) {
		if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
		await sleep(20);
	}
}

const opened: DatabaseHandle[] = [];
afterEach(async () => {
	for (const h of opened.splice(0)) await h.close();
});

describe(`one listener per handle (${testDatabaseKind})`, () => {
	test('many subscribers on several channels each hear their own channel; unsubscribing stops it', async () => {
		const h = await testHandle();
		const got: string[][] = [];
		const stops: (() => Promise<void>)[] = [];
		for (let i = 0; i < 30; i++) {
			const mine: string[] = [];
			got.push(mine);
			stops.push(await h.listen(`fanout_${i % 3}`, (p) => mine.push(p)));
		}
		expect(h.listener.stats()).toMatchObject({ fanout_0: 10, fanout_1: 10, fanout_2: 10 });
		await h.notify('fanout_0', '7');
		await h.notify('fanout_1', 'thread:8');
		await until(() => got.every((g, i) => g.length === (i % 3 === 2 ? 0 : 1)));
		await sleep(50);
		got.forEach((g, i) => expect(g).toEqual([['7'], ['thread:8'], []][i % 3]));

		// Every fanout_0 subscriber leaves: the channel is UNLISTENed; the others still hear.
		for (let i = 0; i < 30; i += 3) await stops[i]();
		expect(h.listener.stats().fanout_0).toBeUndefined();
		await h.notify('fanout_0', '9');
		await h.notify('fanout_1', '10');
		await until(() => got[1].length === 2);
		await sleep(100);
		expect(got[0]).toEqual(['7']);
		expect(got[1]).toEqual(['thread:8', '10']);
		for (const stop of stops) await stop();
		expect(h.listener.stats()).toEqual({});
	});

	test('payloads are ids only: a long one is refused on sending and dropped on receiving', async () => {
		const h = await testHandle();
		const got: string[] = [];
		const stop = await h.listen('payloads', (p) => got.push(p));
		await expect(h.notify('payloads', 'x'.repeat(65))).rejects.toThrow(/ids only/);
		await expect(h.notify('Bad-Channel', '1')).rejects.toThrow(/channel/i);
		// Sent around the check, straight through SQL: the listener drops it.
		await sql`select pg_notify('payloads', ${'y'.repeat(500)})`.execute(h.db);
		await h.notify('payloads', '42');
		await until(() => got.length > 0);
		await sleep(50);
		expect(got).toEqual(['42']);
		await stop();
	});
});

describe('one listener per handle on a server', () => {
	async function listenerPids(h: DatabaseHandle): Promise<number[]> {
		const { rows } = await sql<{ pid: number }>`
			select pid from pg_stat_activity
			where application_name = ${LISTENER_APPLICATION_NAME} and datname = current_database()
			order by pid`.execute(h.db);
		return rows.map((r) => r.pid);
	}

	test('fifty subscribers share one backend connection', async () => {
		const h = await openDatabase({ kind: 'postgres', url: serverUrl() });
		opened.push(h);
		const before = await listenerPids(h);
		const stops = [];
		for (let i = 0; i < 50; i++) stops.push(await h.listen(`many_${i % 5}`, () => {}));
		const after = await listenerPids(h);
		expect(after.length).toBe(before.length + 1);
		for (const stop of stops) await stop();
	});

	test('after the listener backend is terminated it reconnects, LISTENs again and hears a later NOTIFY', async () => {
		const h = await openDatabase({ kind: 'postgres', url: serverUrl() });
		opened.push(h);
		const before = await listenerPids(h);
		const got: string[] = [];
		let reconnected = 0;
		for (const channel of ['kill_a', 'kill_b']) {
			await h.listen(channel, (p) => got.push(`${channel}:${p}`), {
				onReconnect: () => reconnected++
			});
		}
		const [pid] = (await listenerPids(h)).filter((p) => !before.includes(p));
		expect(pid).toBeDefined();
		await sql`select pg_terminate_backend(${pid})`.execute(h.db);
		await until(() => reconnected === 2, 10000);
		const now = (await listenerPids(h)).filter((p) => !before.includes(p));
		expect(now).toHaveLength(1);
		expect(now[0]).not.toBe(pid);
		await h.notify('kill_a', '1');
		await h.notify('kill_b', '2');
		await until(() => got.length === 2);
		expect(got.sort()).toEqual(['kill_a:1', 'kill_b:2']);
	});
});
