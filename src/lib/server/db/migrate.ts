import { Migrator, type MigrationResultSet } from 'kysely';
import { migrations } from '../../../../migrations/index.ts';
import type { Db } from './connect.ts';

export async function migrateToLatest(
	db: Db,
	log: (line: string) => void = () => {}
): Promise<void> {
	const migrator = new Migrator({
		db,
		provider: { getMigrations: async () => migrations }
	});
	const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
	for (const r of results ?? []) {
		log(
			`migration ${r.migrationName}: ${r.status === 'Success' ? 'applied' : r.status.toLowerCase()}`
		);
	}
	if (error) {
		throw new Error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`, {
			cause: error
		});
	}
}
