import { sql, type Kysely } from 'kysely';

// Ordering questions ("put these in order"), our extension of GIFT tagged [type:ordering]: the
// question bank accepts the type.
export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table questions
		drop constraint questions_type_check,
		add constraint questions_type_check
			check (type in ('mc', 'multi', 'tf', 'short', 'matching', 'numerical', 'ordering'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`delete from questions where type = 'ordering'`.execute(db);
	await sql`alter table questions
		drop constraint questions_type_check,
		add constraint questions_type_check
			check (type in ('mc', 'multi', 'tf', 'short', 'matching', 'numerical'))`.execute(db);
}
