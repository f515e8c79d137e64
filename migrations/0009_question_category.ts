import { sql, type Kysely } from 'kysely';

// The category path of a question (GIFT's `$CATEGORY:`), kept so that a bank imported from
// Moodle, or exported and read back, files its questions where they were.
export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table questions add column category text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`alter table questions drop column category`.execute(db);
}
