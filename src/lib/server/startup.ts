import path from 'node:path';
import { shouldSeedDemo } from './config.ts';
import { getDatabase, inTransaction, type DatabaseHandle } from './db/index.ts';
import { migrateToLatest } from './db/migrate.ts';
import { formatDemoAccounts, seedDemoAccounts } from './seed/demo.ts';
import { importShippedCourses } from './courses/shipped.ts';

/** Shipped course packages; CONTENT_DIR points elsewhere (tests, deployments with their own). */
export function contentDir(): string {
	return path.resolve(process.env.CONTENT_DIR?.trim() || 'content');
}

/**
 * What the server does once before it serves: open the database, bring the schema up to date,
 * and on a fresh database create the demo accounts. Throws with a message saying what to fix.
 */
export async function startApp(log: (line: string) => void = console.log): Promise<DatabaseHandle> {
	const handle = await getDatabase();
	log(`Perspectives: using the ${handle.where}`);
	await migrateToLatest(handle.db, log);
	if (shouldSeedDemo()) {
		const made = await inTransaction(handle.db, (trx) => seedDemoAccounts(trx));
		if (made.length) log(formatDemoAccounts(made));
	}
	await importShippedCourses(handle.db, contentDir(), log);
	log(`Open http://localhost:${process.env.PORT ?? '3000'} once the server says it is listening.`);
	return handle;
}
