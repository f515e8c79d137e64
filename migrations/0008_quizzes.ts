import { sql, type Kysely } from 'kysely';

// Graded quizzes.
// - A question has points; a quiz (course content) is a list of slots, each a fixed question or
//   a draw of N questions at random from the bank by actor and/or concern.
// - A quiz is assigned to a class like a lesson; how it runs there (attempts, time limit, grace,
//   shuffling, layout, review policy, pass mark, close date, which attempt counts) is the
//   assignment's, so two classes can run one quiz differently.
// - An attempt keeps the questions as they were when it began: `question_versions` holds each
//   distinct content of a question once (keyed by a hash of it), and the attempt points at those
//   rows, so editing the bank never changes an attempt already made.
// - Answers are saved as the student goes (`attempt_answers`, one row per question, a revision
//   number so that a late-arriving older save never overwrites a newer one); the deadline is set
//   by the server when the attempt starts.
// - Accommodations per student of a class: extra minutes or a multiplier, extra attempts.
const REVEAL = sql`in ('after-attempt', 'after-due', 'never')`;

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('questions')
		.addColumn('points', 'double precision', (c) =>
			c
				.notNull()
				.defaultTo(1)
				.check(sql`points > 0 and points <= 100`)
		)
		.execute();

	await db.schema
		.createTable('quizzes')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('course_id', 'integer', (c) =>
			c.notNull().references('courses.id').onDelete('cascade')
		)
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('slug', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('quizzes_course_slug_key', ['course_id', 'slug'])
		.execute();

	await db.schema
		.createTable('quiz_slots')
		.addColumn('quiz_id', 'integer', (c) =>
			c.notNull().references('quizzes.id').onDelete('cascade')
		)
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('question_id', 'integer', (c) => c.references('questions.id').onDelete('cascade'))
		.addColumn('actor_id', 'integer', (c) => c.references('actors.id').onDelete('cascade'))
		.addColumn('concern_id', 'integer', (c) => c.references('concerns.id').onDelete('cascade'))
		.addColumn('draw', 'integer', (c) =>
			c
				.notNull()
				.defaultTo(1)
				.check(sql`draw between 1 and 100`)
		)
		.addPrimaryKeyConstraint('quiz_slots_pkey', ['quiz_id', 'position'])
		.execute();

	await db.schema
		.alterTable('assignments')
		.addColumn('quiz_id', 'integer', (c) => c.references('quizzes.id').onDelete('restrict'))
		.addColumn('attempts_allowed', 'integer', (c) =>
			c.check(sql`attempts_allowed between 1 and 100`)
		)
		.addColumn('time_limit_seconds', 'integer', (c) =>
			c.check(sql`time_limit_seconds between 60 and 86400`)
		)
		.addColumn('grace_seconds', 'integer', (c) =>
			c
				.notNull()
				.defaultTo(60)
				.check(sql`grace_seconds between 0 and 3600`)
		)
		.addColumn('shuffle_questions', 'boolean', (c) => c.notNull().defaultTo(true))
		.addColumn('shuffle_options', 'boolean', (c) => c.notNull().defaultTo(true))
		.addColumn('one_per_page', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('review_marks', 'text', (c) =>
			c
				.notNull()
				.defaultTo('after-attempt')
				.check(sql`review_marks ${REVEAL}`)
		)
		.addColumn('review_answers', 'text', (c) =>
			c
				.notNull()
				.defaultTo('after-attempt')
				.check(sql`review_answers ${REVEAL}`)
		)
		.addColumn('review_feedback', 'text', (c) =>
			c
				.notNull()
				.defaultTo('after-attempt')
				.check(sql`review_feedback ${REVEAL}`)
		)
		.addColumn('pass_percent', 'double precision', (c) =>
			c.check(sql`pass_percent between 0 and 100`)
		)
		.addColumn('grading', 'text', (c) =>
			c
				.notNull()
				.defaultTo('best')
				.check(sql`grading in ('best', 'last', 'average')`)
		)
		.addColumn('closes_at', 'timestamptz')
		.execute();
	await db.schema
		.alterTable('assignments')
		.addCheckConstraint('assignments_quiz_check', sql`kind <> 'quiz' or quiz_id is not null`)
		.execute();
	await db.schema.createIndex('assignments_quiz_idx').on('assignments').column('quiz_id').execute();

	await db.schema
		.createTable('question_versions')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('question_id', 'integer', (c) =>
			c.notNull().references('questions.id').onDelete('restrict')
		)
		.addColumn('hash', 'text', (c) => c.notNull())
		.addColumn('type', 'text', (c) => c.notNull())
		.addColumn('prompt', 'text', (c) => c.notNull())
		.addColumn('data', 'jsonb', (c) => c.notNull())
		.addColumn('explanation', 'text')
		.addColumn('cites', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
		.addColumn('actor_id', 'integer', (c) => c.references('actors.id').onDelete('set null'))
		.addColumn('concern_id', 'integer', (c) => c.references('concerns.id').onDelete('set null'))
		.addColumn('points', 'double precision', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('question_versions_hash_key', ['question_id', 'hash'])
		.execute();

	await db.schema
		.createTable('attempts')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('assignment_id', 'integer', (c) =>
			c.notNull().references('assignments.id').onDelete('restrict')
		)
		.addColumn('class_id', 'integer', (c) =>
			c.notNull().references('classes.id').onDelete('cascade')
		)
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('number', 'integer', (c) => c.notNull())
		// Practice attempts ("practise what I missed") never count in the gradebook.
		.addColumn('practice', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('seed', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) =>
			c.notNull().check(sql`status in ('in-progress', 'submitted')`)
		)
		.addColumn('started_at', 'timestamptz', (c) => c.notNull())
		// Null: untimed and no close date. Saves are accepted until deadline_at + grace_seconds.
		.addColumn('deadline_at', 'timestamptz')
		.addColumn('grace_seconds', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('submitted_at', 'timestamptz')
		.addColumn('submitted_by', 'text', (c) =>
			c.check(sql`submitted_by in ('student', 'deadline', 'instructor')`)
		)
		.addColumn('score', 'double precision')
		.addColumn('max_score', 'double precision', (c) => c.notNull())
		.addUniqueConstraint('attempts_number_key', ['assignment_id', 'user_id', 'practice', 'number'])
		.execute();
	// At most one open attempt per student and assignment, whatever the concurrency.
	await sql`create unique index attempts_one_open_idx on attempts (assignment_id, user_id, practice)
		where status = 'in-progress'`.execute(db);
	await sql`create index attempts_open_deadline_idx on attempts (deadline_at)
		where status = 'in-progress'`.execute(db);
	await db.schema.createIndex('attempts_user_idx').on('attempts').column('user_id').execute();

	await db.schema
		.createTable('attempt_questions')
		.addColumn('attempt_id', 'integer', (c) =>
			c.notNull().references('attempts.id').onDelete('cascade')
		)
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('question_version_id', 'integer', (c) =>
			c.notNull().references('question_versions.id').onDelete('restrict')
		)
		.addPrimaryKeyConstraint('attempt_questions_pkey', ['attempt_id', 'position'])
		.execute();
	await db.schema
		.createIndex('attempt_questions_version_idx')
		.on('attempt_questions')
		.column('question_version_id')
		.execute();

	await db.schema
		.createTable('attempt_answers')
		.addColumn('attempt_id', 'integer', (c) =>
			c.notNull().references('attempts.id').onDelete('cascade')
		)
		.addColumn('position', 'integer', (c) => c.notNull())
		// What the student chose, as the page sent it (display positions, typed text).
		.addColumn('response', 'jsonb', (c) => c.notNull())
		.addColumn('revision', 'bigint', (c) => c.notNull().defaultTo(0))
		.addColumn('saved_at', 'timestamptz', (c) => c.notNull())
		// 0..1, set when the attempt is submitted (and by a regrade).
		.addColumn('score', 'double precision')
		.addPrimaryKeyConstraint('attempt_answers_pkey', ['attempt_id', 'position'])
		.execute();

	await db.schema
		.createTable('accommodations')
		.addColumn('class_id', 'integer', (c) =>
			c.notNull().references('classes.id').onDelete('cascade')
		)
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('extra_minutes', 'integer', (c) =>
			c
				.notNull()
				.defaultTo(0)
				.check(sql`extra_minutes between 0 and 1440`)
		)
		.addColumn('time_multiplier', 'double precision', (c) =>
			c
				.notNull()
				.defaultTo(1)
				.check(sql`time_multiplier between 1 and 5`)
		)
		.addColumn('extra_attempts', 'integer', (c) =>
			c
				.notNull()
				.defaultTo(0)
				.check(sql`extra_attempts between 0 and 20`)
		)
		.addPrimaryKeyConstraint('accommodations_pkey', ['class_id', 'user_id'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const t of [
		'accommodations',
		'attempt_answers',
		'attempt_questions',
		'attempts',
		'question_versions'
	]) {
		await db.schema.dropTable(t).execute();
	}
	await sql`delete from assignments where kind = 'quiz'`.execute(db);
	await db.schema.alterTable('assignments').dropConstraint('assignments_quiz_check').execute();
	for (const c of [
		'quiz_id',
		'attempts_allowed',
		'time_limit_seconds',
		'grace_seconds',
		'shuffle_questions',
		'shuffle_options',
		'one_per_page',
		'review_marks',
		'review_answers',
		'review_feedback',
		'pass_percent',
		'grading',
		'closes_at'
	]) {
		await db.schema.alterTable('assignments').dropColumn(c).execute();
	}
	await db.schema.dropTable('quiz_slots').execute();
	await db.schema.dropTable('quizzes').execute();
	await db.schema.alterTable('questions').dropColumn('points').execute();
}
