import { sql } from 'kysely';
import type { Db } from './connect.ts';

// Advisory-lock keys of the app: (class, id) pairs, so they cannot clash with another program's
// single-key locks on a shared server.
export const LOCK_CLASS = 0x5e75; // "perspectives"
export const STARTUP_LOCK = 1;
/** Periodic jobs lock (LOCK_CLASS + 1, hashtext(job name)): see jobs/runner.ts. */
export const JOB_LOCK_CLASS = LOCK_CLASS + 1;
/** Admitting login attempts on one account (LOCK_CLASS + 2, hashtext(email)): auth/rate-limit.ts. */
export const LOGIN_LOCK_CLASS = LOCK_CLASS + 2;
/** Starting an attempt (LOCK_CLASS + 3, hashtext('assignment:user')): quizzes/attempts.ts. */
export const ATTEMPT_LOCK_CLASS = LOCK_CLASS + 3;
/** Recording a class's live event (LOCK_CLASS + 4, class id): discussion/events.ts. */
export const EVENTS_LOCK_CLASS = LOCK_CLASS + 4;

/**
 * Runs `fn` holding a session-level advisory lock, on one connection of the pool (the lock belongs
 * to the connection, so every statement of `fn` must go through the executor it is given). Another
 * process calling this with the same key waits until `fn` is done. A process that dies releases
 * the lock with its connection.
 */
export async function withAdvisoryLock<T>(
	db: Db,
	key: number,
	fn: (conn: Db) => Promise<T>
): Promise<T> {
	return db.connection().execute(async (conn) => {
		await sql`select pg_advisory_lock(${LOCK_CLASS}::int, ${key}::int)`.execute(conn);
		try {
			return await fn(conn);
		} finally {
			await sql`select pg_advisory_unlock(${LOCK_CLASS}::int, ${key}::int)`.execute(conn);
		}
	});
}
