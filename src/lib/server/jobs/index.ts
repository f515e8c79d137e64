import { pruneRateLimitEvents } from '../auth/rate-limit.ts';
import type { Executor } from '../db/index.ts';
import type { Job } from './runner.ts';
import { closeExpiredAttempts } from '../quizzes/attempts.ts';

/** Deletes sessions past their expiry (they no longer log anyone in). Returns how many. */
export async function pruneExpiredSessions(db: Executor, now: Date = new Date()): Promise<number> {
	const r = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
	return Number(r.numDeletedRows);
}

const MINUTE = 60_000;

/** The app's periodic jobs, run once across all instances by jobs/runner.ts. */
export const APP_JOBS: Job[] = [
	{
		name: 'prune-rate-limit-events',
		intervalMs: 10 * MINUTE,
		run: async (db) => `deleted ${await pruneRateLimitEvents(db)}`
	},
	{
		// Attempts whose deadline passed while nobody was there are submitted with what was saved.
		name: 'close-expired-attempts',
		intervalMs: MINUTE,
		run: async (db) => `closed ${await closeExpiredAttempts(db)}`
	},
	{
		name: 'prune-expired-sessions',
		intervalMs: 60 * MINUTE,
		run: async (db) => `deleted ${await pruneExpiredSessions(db)}`
	}
];
