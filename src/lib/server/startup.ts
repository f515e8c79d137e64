import { shouldSeedDemo } from './config.ts';
import { getDatabase, inTransaction, type DatabaseHandle } from './db/index.ts';
import { migrateToLatest } from './db/migrate.ts';
import { formatDemoAccounts, seedDemoAccounts } from './seed/demo.ts';

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
	log(`Open http://localhost:${process.env.PORT ?? '3000'} once the server says it is listening.`);
	return handle;
}
