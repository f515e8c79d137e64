// `npm run db:migrate`: brings the database named by DATABASE_URL (or the embedded one in
// PGLITE_DIR) up to date, reporting each step. Exits non-zero on failure.
import fs from 'node:fs';
import { databaseConfig } from '../src/lib/server/config.ts';
import { openDatabase } from '../src/lib/server/db/connect.ts';
import { migrateToLatest } from '../src/lib/server/db/migrate.ts';

if (fs.existsSync('.env')) process.loadEnvFile('.env');

try {
	const handle = await openDatabase(databaseConfig());
	console.log(`Migrating the ${handle.where}`);
	try {
		await migrateToLatest(handle.db, (line) => console.log(line));
		console.log('Database is up to date.');
	} finally {
		await handle.close();
	}
} catch (e) {
	console.error(e instanceof Error ? e.message : String(e));
	process.exit(1);
}
