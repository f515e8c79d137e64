import path from 'node:path';
import { shouldSeedDemo } from './config.ts';
import { getDatabase, inTransaction, type DatabaseHandle, type Db } from './db/index.ts';
import { STARTUP_LOCK, withAdvisoryLock } from './db/locks.ts';
import { migrateToLatest } from './db/migrate.ts';
import { formatDemoAccounts, seedDemoAccounts } from './seed/demo.ts';
import { importShippedCourses } from './courses/shipped.ts';
import { startJobRunner, type JobRunner } from './jobs/runner.ts';
import { APP_JOBS } from './jobs/index.ts';

/** Shipped course packages; CONTENT_DIR points elsewhere (tests, deployments with their own). */
export function contentDir(): string {
	return path.resolve(process.env.CONTENT_DIR?.trim() || 'content');
}

/**
 * Brings the database up to date: migrations, demo accounts on a fresh database, shipped courses
 * not imported yet. Several app instances may start at the same moment on one database, so all of
 * it runs under one advisory lock: the first does the work, the others wait and then find nothing
 * left to do.
 */
export async function prepareDatabase(
	db: Db,
	log: (line: string) => void = console.log
): Promise<void> {
	await withAdvisoryLock(db, STARTUP_LOCK, async (conn) => {
		await migrateToLatest(conn, log);
		if (shouldSeedDemo()) {
			const made = await inTransaction(conn, (trx) => seedDemoAccounts(trx));
			if (made.length) log(formatDemoAccounts(made));
		}
		await importShippedCourses(conn, contentDir(), log);
	});
}

let jobs: JobRunner | undefined;

/**
 * What the server does once before it serves: open the database, bring it up to date and start
 * the periodic jobs. Throws with a message saying what to fix.
 */
export async function startApp(
	log: (line: string) => void = console.log,
	options: { jobs?: boolean } = {}
): Promise<DatabaseHandle> {
	const handle = await getDatabase();
	log(`Perspectives: using the ${handle.where}`);
	await prepareDatabase(handle.db, log);
	// The pool's connections opened before the first request: a failure here is the first
	// request's to report (as it would be without this), not a reason not to start.
	await handle.warm().catch(() => {});
	if (options.jobs !== false && !jobs) {
		jobs = startJobRunner(handle.db, APP_JOBS);
		process.once('sveltekit:shutdown', () => {
			void jobs?.stop();
			jobs = undefined;
		});
	}
	log(`Open http://localhost:${process.env.PORT ?? '3000'} once the server says it is listening.`);
	return handle;
}
