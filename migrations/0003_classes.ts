import { sql, type Kysely } from 'kysely';

// Classes taught from a course: members with a role, assignments with open and due dates, and the
// evidence for the join-code rate limit.
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('classes')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('course_id', 'integer', (c) =>
			c.notNull().references('courses.id').onDelete('restrict')
		)
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('term', 'text')
		.addColumn('join_code', 'text', (c) => c.notNull().unique())
		.addColumn('joining_open', 'boolean', (c) => c.notNull().defaultTo(true))
		.addColumn('archived_at', 'timestamptz')
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	await db.schema
		.createTable('memberships')
		.addColumn('class_id', 'integer', (c) =>
			c.notNull().references('classes.id').onDelete('cascade')
		)
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('role', 'text', (c) =>
			c.notNull().check(sql`role in ('student', 'moderator', 'instructor')`)
		)
		.addColumn('joined_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('memberships_pkey', ['class_id', 'user_id'])
		.execute();
	await db.schema.createIndex('memberships_user_idx').on('memberships').column('user_id').execute();

	await db.schema
		.createTable('assignments')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('class_id', 'integer', (c) =>
			c.notNull().references('classes.id').onDelete('cascade')
		)
		.addColumn('kind', 'text', (c) =>
			c.notNull().check(sql`kind in ('lesson', 'quiz', 'discussion')`)
		)
		.addColumn('lesson_id', 'integer', (c) => c.references('lessons.id').onDelete('cascade'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('instructions', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('opens_at', 'timestamptz')
		.addColumn('due_at', 'timestamptz', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('assignments_lesson_check', sql`kind <> 'lesson' or lesson_id is not null`)
		.addCheckConstraint('assignments_dates_check', sql`opens_at is null or opens_at <= due_at`)
		.execute();
	await db.schema
		.createIndex('assignments_class_idx')
		.on('assignments')
		.columns(['class_id', 'due_at'])
		.execute();

	await db.schema
		.createTable('join_attempts')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
		.addColumn('ip', 'text', (c) => c.notNull())
		.addColumn('succeeded', 'boolean', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('join_attempts_user_idx')
		.on('join_attempts')
		.columns(['user_id', 'created_at'])
		.execute();
	await db.schema
		.createIndex('join_attempts_ip_idx')
		.on('join_attempts')
		.columns(['ip', 'created_at'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const t of ['join_attempts', 'assignments', 'memberships', 'classes']) {
		await db.schema.dropTable(t).execute();
	}
}
