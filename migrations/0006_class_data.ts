import { sql, type Kysely } from 'kysely';

// Class data that survives course edits, and what classes need next:
// - class-side foreign keys to course content restrict instead of cascading, so deleting a lesson
//   that a class assigned (or that students have progress on) is refused rather than silently
//   taking the assignment and the progress with it;
// - each lesson assignment says when it counts as done (the student marks it, or answers its
//   checks), and the lesson checks a student answers are recorded;
// - a class has a time zone, and remembers the join codes it had, so an old code can say it changed;
// - admins invite instructors with one-time links.
export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table assignments
		drop constraint assignments_lesson_id_fkey,
		add constraint assignments_lesson_id_fkey foreign key (lesson_id)
			references lessons (id) on delete restrict`.execute(db);
	await sql`alter table lesson_progress
		drop constraint lesson_progress_lesson_id_fkey,
		add constraint lesson_progress_lesson_id_fkey foreign key (lesson_id)
			references lessons (id) on delete restrict`.execute(db);

	await db.schema
		.alterTable('assignments')
		.addColumn('completion', 'text', (c) =>
			c
				.notNull()
				.defaultTo('marked')
				.check(sql`completion in ('marked', 'checks')`)
		)
		.execute();

	// One row per (student, check question): the first answer's time and the latest score (0..1).
	await db.schema
		.createTable('check_answers')
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('question_id', 'integer', (c) =>
			c.notNull().references('questions.id').onDelete('restrict')
		)
		.addColumn('score', 'double precision', (c) => c.notNull())
		.addColumn('first_answered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('answered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('check_answers_pkey', ['user_id', 'question_id'])
		.execute();
	await db.schema
		.createIndex('check_answers_question_idx')
		.on('check_answers')
		.column('question_id')
		.execute();

	await db.schema
		.alterTable('classes')
		.addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
		.execute();

	await db.schema
		.createTable('class_old_codes')
		.addColumn('code', 'text', (c) => c.primaryKey())
		.addColumn('class_id', 'integer', (c) =>
			c.notNull().references('classes.id').onDelete('cascade')
		)
		.addColumn('replaced_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	await db.schema
		.createTable('instructor_invitations')
		.addColumn('id', 'text', (c) => c.primaryKey()) // SHA-256 of the token
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.addColumn('used_at', 'timestamptz')
		.addColumn('used_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const t of ['instructor_invitations', 'class_old_codes', 'check_answers']) {
		await db.schema.dropTable(t).execute();
	}
	await db.schema.alterTable('classes').dropColumn('time_zone').execute();
	await db.schema.alterTable('assignments').dropColumn('completion').execute();
	await sql`alter table lesson_progress
		drop constraint lesson_progress_lesson_id_fkey,
		add constraint lesson_progress_lesson_id_fkey foreign key (lesson_id)
			references lessons (id) on delete cascade`.execute(db);
	await sql`alter table assignments
		drop constraint assignments_lesson_id_fkey,
		add constraint assignments_lesson_id_fkey foreign key (lesson_id)
			references lessons (id) on delete cascade`.execute(db);
}
