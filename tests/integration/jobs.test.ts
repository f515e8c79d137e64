import { sql } from 'kysely';
import { afterEach, describe, expect, test } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/connect.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { runJobIfDue, startJobRunner, type Job } from '../../src/lib/server/jobs/runner.ts';
import { APP_JOBS } from '../../src/lib/server/jobs/index.ts';
import { createSession } from '../../src/lib/server/auth/session.ts';
import type { Db } from '../../src/lib/server/db/index.ts';
import { testDatabaseKind, testDb } from '../helpers/db.ts';
import { newUser } from '../helpers/factories.ts';
import { serverUrl } from '../helpers/server-url.ts';
import { unavailableError } from '../../src/lib/server/db/outage.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function countingJob(name: string, work: (db: Db) => Promise<void> = async () => {}) {
	const job = {
		runs: 0,
		name,
		intervalMs: 60_000,
		async run(db: Db) {
			job.runs++;
			await work(db);
			return `run ${job.runs}`;
		}
	};
	return job;
}

const opened: DatabaseHandle[] = [];
afterEach(async () => {
	for (const h of opened.splice(0)) await h.close();
});

describe(`periodic jobs (${testDatabaseKind})`, () => {
	test('two runners ticking together run a job once; it is not due again within its interval', async () => {
		const db = await testDb();
		const job = countingJob('count-once');
		const outcomes = await Promise.all([runJobIfDue(db, job), runJobIfDue(db, job)]);
		expect(job.runs).toBe(1);
		expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
		expect(await runJobIfDue(db, job)).toEqual({ ran: false, why: 'not due' });
		const row = await db.selectFrom('job_runs').selectAll().executeTakeFirstOrThrow();
		expect(row).toMatchObject({ name: 'count-once', last_result: 'run 1' });
		// Once its interval has passed, it is due again.
		await db
			.updateTable('job_runs')
			.set({ last_run_at: sql`now() - interval '61 seconds'` })
			.execute();
		expect((await runJobIfDue(db, job)).ran).toBe(true);
		expect(job.runs).toBe(2);
	});

	test('a job that fails leaves nothing behind and runs again on the next tick', async () => {
		const db = await testDb();
		let fail = true;
		const job: Job = {
			name: 'flaky',
			intervalMs: 60_000,
			async run(trx) {
				await trx.insertInto('rate_limit_events').values({ bucket: 'flaky', key: 'k' }).execute();
				if (fail) throw new Error('boom');
			}
		};
		const lines: string[] = [];
		const runner = startJobRunner(db, [job], { firstTickMs: 1e9, log: (l) => lines.push(l) });
		await runner.tick();
		expect(lines).toEqual(['Job flaky failed: boom']);
		expect(await db.selectFrom('rate_limit_events').selectAll().execute()).toEqual([]);
		expect(await db.selectFrom('job_runs').selectAll().execute()).toEqual([]);
		fail = false;
		await runner.tick();
		await runner.stop();
		expect(await db.selectFrom('rate_limit_events').selectAll().execute()).toHaveLength(1);
	});

	test('pruning deletes rate-limit events older than their window and expired sessions, and keeps the rest', async () => {
		const db = await testDb();
		const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
		const day = 24 * 60;
		await db
			.insertInto('rate_limit_events')
			.values([
				{ bucket: 'login-fail-pair', key: 'old', created_at: ago(16) },
				{ bucket: 'login-fail-pair', key: 'in window', created_at: ago(14) },
				{ bucket: 'signup-address', key: 'old', created_at: ago(11) },
				{ bucket: 'signup-address', key: 'in window', created_at: ago(9) },
				// Known addresses are kept 90 days.
				{ bucket: 'login-ok', key: 'old', created_at: ago(91 * day) },
				{ bucket: 'login-ok', key: 'in window', created_at: ago(89 * day) },
				// A bucket no rule declares: a day.
				{ bucket: 'retired', key: 'old', created_at: ago(day + 1) },
				{ bucket: 'retired', key: 'in window', created_at: ago(60) }
			])
			.execute();
		const user = await newUser(db);
		await createSession(db, 'a'.repeat(32), user.id);
		await createSession(db, 'b'.repeat(32), user.id);
		await db
			.updateTable('sessions')
			.set({ expires_at: ago(1) })
			.where('id', '=', (await db.selectFrom('sessions').select('id').executeTakeFirstOrThrow()).id)
			.execute();

		for (const job of APP_JOBS) expect((await runJobIfDue(db, job)).ran).toBe(true);
		const left = await db
			.selectFrom('rate_limit_events')
			.select(['bucket', 'key'])
			.orderBy('bucket')
			.execute();
		expect(left.map((r) => r.key)).toEqual(['in window', 'in window', 'in window', 'in window']);
		const sessions = await db.selectFrom('sessions').select('expires_at').execute();
		expect(sessions).toHaveLength(1);
		expect(sessions[0].expires_at.getTime()).toBeGreaterThan(Date.now());
		const runs = await db
			.selectFrom('job_runs')
			.select(['name', 'last_result'])
			.orderBy('name')
			.execute();
		expect(runs).toEqual([
			{ name: 'close-expired-attempts', last_result: 'closed 0' },
			{ name: 'prune-expired-sessions', last_result: 'deleted 1' },
			{ name: 'prune-rate-limit-events', last_result: 'deleted 4' }
		]);
	});
});

describe('periodic jobs across processes on a server', () => {
	test('two instances (two pools) ticking together run a slow job once', async () => {
		const url = serverUrl();
		const a = await openDatabase({ kind: 'postgres', url });
		const b = await openDatabase({ kind: 'postgres', url });
		opened.push(a, b);
		await migrateToLatest(a.db);
		const name = `slow-${Date.now()}`;
		let runs = 0;
		const job: Job = {
			name,
			intervalMs: 60_000,
			async run(trx) {
				runs++;
				await sql`select pg_sleep(0.3)`.execute(trx);
			}
		};
		const outcomes = await Promise.all([runJobIfDue(a.db, job), runJobIfDue(b.db, job)]);
		expect(runs).toBe(1);
		expect(outcomes.map((o) => (o.ran ? 'ran' : o.why)).sort()).toEqual(['busy', 'ran']);
		// Later ticks of either instance find it not due.
		await sleep(10);
		expect(await runJobIfDue(b.db, job)).toEqual({ ran: false, why: 'not due' });
		await a.db.deleteFrom('job_runs').where('name', '=', name).execute();
	});
});

describe('periodic jobs while the database is down', () => {
	test('a tick logs one line per job and the runner keeps going', async () => {
		const down = await openDatabase(
			{ kind: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' },
			{ mapUnavailable: unavailableError }
		);
		opened.push(down);
		const lines: string[] = [];
		const runner = startJobRunner(down.db, APP_JOBS, {
			firstTickMs: 1e9,
			log: (l) => lines.push(l)
		});
		await runner.tick();
		await runner.stop();
		expect(lines).toHaveLength(APP_JOBS.length);
		for (const l of lines) expect(l).toMatch(/skipped: the database is unavailable/);
	});
});
