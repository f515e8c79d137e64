import { sql, type Kysely } from 'kysely';

// How many questions a quiz attempt shows on a page, as Moodle's "new page every N questions":
// 0 keeps them all on one page, 1 is the old "one per page" (which it replaces), 2 pages a
// 16-question exam into 8. Paging makes a page's save and its page view small and bounded.
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('assignments')
		.addColumn('questions_per_page', 'integer', (c) =>
			c
				.notNull()
				.defaultTo(0)
				.check(sql`questions_per_page between 0 and 50`)
		)
		.execute();
	await sql`update assignments set questions_per_page = 1 where one_per_page`.execute(db);
	await db.schema.alterTable('assignments').dropColumn('one_per_page').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('assignments')
		.addColumn('one_per_page', 'boolean', (c) => c.notNull().defaultTo(false))
		.execute();
	await sql`update assignments set one_per_page = questions_per_page = 1`.execute(db);
	await db.schema.alterTable('assignments').dropColumn('questions_per_page').execute();
}
