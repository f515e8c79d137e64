import { sql } from 'kysely';
import type { Db, Executor } from '../db/index.ts';
import { JOB_LOCK_CLASS } from '../db/locks.ts';
import { isDatabaseUnavailable } from '../db/errors.ts';

// Periodic work that must run once across all app instances (pruning now; closing overdue quiz
// attempts and sending notifications next). Every instance runs the same timer; on each tick, per
// job, it opens a transaction and takes a transaction-level advisory lock for the job
// (pg_try_advisory_xact_lock, not waiting: if another instance holds it, that one is running the
// job). Holding it, it reads job_runs: when the job last ran less than its interval ago, it is not
// due. Otherwise it runs the job in that transaction and records the run. A job that fails rolls
// back and is tried again on the next tick. See docs/architecture.md for why not pg-boss.

export interface Job {
	/** Unique; the key of its lock and of its row in job_runs. */
	name: string;
	/** At most one run per interval across all instances. */
	intervalMs: number;
	/** The work, in the job's transaction. May return a short summary (kept in job_runs). */
	run(db: Executor): Promise<string | void>;
}

export type JobOutcome =
	{ ran: true; result: string | null } | { ran: false; why: 'busy' | 'not due' };

/** Runs `job` if no instance is running it and it has not run within its interval. */
export async function runJobIfDue(db: Db, job: Job): Promise<JobOutcome> {
	return db.transaction().execute(async (trx): Promise<JobOutcome> => {
		const { rows } = await sql<{ got: boolean }>`
			select pg_try_advisory_xact_lock(${JOB_LOCK_CLASS}::int, hashtext(${job.name})) as got`.execute(
			trx
		);
		if (!rows[0].got) return { ran: false, why: 'busy' };
		const recent = await trx
			.selectFrom('job_runs')
			.select('name')
			.where('name', '=', job.name)
			.where('last_run_at', '>', sql<Date>`now() - ${job.intervalMs} * interval '1 millisecond'`)
			.executeTakeFirst();
		if (recent) return { ran: false, why: 'not due' };
		const result = (await job.run(trx)) ?? null;
		await trx
			.insertInto('job_runs')
			.values({ name: job.name, last_run_at: sql`now()`, last_result: result })
			.onConflict((oc) =>
				oc.column('name').doUpdateSet({ last_run_at: sql`now()`, last_result: result })
			)
			.execute();
		return { ran: true, result };
	});
}

export interface JobRunner {
	/** Runs every due job once now (what the timer does on each tick). */
	tick(): Promise<void>;
	/** Stops the timer and waits for a tick in progress. */
	stop(): Promise<void>;
}

/**
 * Starts the timer: a first tick shortly after start, then one every `tickMs`. A job runs within
 * one tick of becoming due. Errors are logged and the job is tried again on the next tick.
 */
export function startJobRunner(
	db: Db,
	jobs: Job[],
	options: { tickMs?: number; firstTickMs?: number; log?: (line: string) => void } = {}
): JobRunner {
	const { tickMs = 60_000, firstTickMs = 5_000, log = console.error } = options;
	let running: Promise<void> | undefined;
	let stopped = false;
	const tick = async () => {
		for (const job of jobs) {
			if (stopped) return;
			try {
				await runJobIfDue(db, job);
			} catch (e) {
				const why = e instanceof Error ? e.message : String(e);
				log(
					isDatabaseUnavailable(e)
						? `Job ${job.name} skipped: the database is unavailable (${why}).`
						: `Job ${job.name} failed: ${why}`
				);
			}
		}
	};
	const fire = () => {
		if (stopped || running) return;
		running = tick().finally(() => {
			running = undefined;
		});
	};
	const first = setTimeout(fire, firstTickMs);
	const timer = setInterval(fire, tickMs);
	first.unref();
	timer.unref();
	return {
		async tick() {
			await running;
			await tick();
		},
		async stop() {
			stopped = true;
			clearTimeout(first);
			clearInterval(timer);
			await running;
		}
	};
}
