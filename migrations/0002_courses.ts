import { sql, type Kysely } from 'kysely';

// Courses built from one article: numbered paragraphs (every citation points at one), actors,
// concerns (themes; actor_concerns links an actor to a concern with its own citations), lessons,
// glossary, timeline and the question bank.
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('courses')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('article_title', 'text', (c) => c.notNull())
		.addColumn('article_publisher', 'text')
		.addColumn('article_date', 'text') // YYYY-MM-DD as given; a text keeps "unknown" honest
		.addColumn('article_reference', 'text')
		.addColumn('article_note', 'text')
		.addColumn('status', 'text', (c) =>
			c
				.notNull()
				.defaultTo('draft')
				.check(sql`status in ('draft', 'published')`)
		)
		.addColumn('owner_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('published_at', 'timestamptz')
		.execute();

	await db.schema
		.createTable('article_paragraphs')
		.addColumn('course_id', 'integer', (c) =>
			c.notNull().references('courses.id').onDelete('cascade')
		)
		.addColumn('number', 'integer', (c) => c.notNull().check(sql`number > 0`))
		.addColumn('body', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('article_paragraphs_pkey', ['course_id', 'number'])
		.execute();

	await db.schema
		.createTable('actors')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('course_id', 'integer', (c) =>
			c.notNull().references('courses.id').onDelete('cascade')
		)
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('slug', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('short_name', 'text', (c) => c.notNull())
		.addColumn('stance', 'text', (c) => c.notNull())
		.addColumn('stance_label', 'text', (c) => c.notNull())
		.addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('cites', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
		.addUniqueConstraint('actors_course_slug_key', ['course_id', 'slug'])
		.execute();

	await db.schema
		.createTable('concerns')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('course_id', 'integer', (c) =>
			c.notNull().references('courses.id').onDelete('cascade')
		)
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('slug', 'text', (c) => c.notNull())
		.addColumn('label', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addUniqueConstraint('concerns_course_slug_key', ['course_id', 'slug'])
		.execute();

	await db.schema
		.createTable('actor_concerns')
		.addColumn('concern_id', 'integer', (c) =>
			c.notNull().references('concerns.id').onDelete('cascade')
		)
		.addColumn('actor_id', 'integer', (c) =>
			c.notNull().references('actors.id').onDelete('cascade')
		)
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('aim', 'fear')`))
		.addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('cites', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
		.addPrimaryKeyConstraint('actor_concerns_pkey', ['concern_id', 'actor_id'])
		.execute();
	await db.schema
		.createIndex('actor_concerns_actor_idx')
		.on('actor_concerns')
		.column('actor_id')
		.execute();

	await db.schema
		.createTable('lessons')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('course_id', 'integer', (c) =>
			c.notNull().references('courses.id').onDelete('cascade')
		)
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('slug', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('key_points', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
		// Slugs of the actors the lesson is about, and ids of its "check your understanding" questions.
		.addColumn('actor_slugs', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
		.addColumn('check_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
		.addUniqueConstraint('lessons_course_slug_key', ['course_id', 'slug'])
		.execute();

	await db.schema
		.createTable('glossary_terms')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('course_id', 'integer', (c) =>
			c.notNull().references('courses.id').onDelete('cascade')
		)
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('term', 'text', (c) => c.notNull())
		.addColumn('definition', 'text', (c) => c.notNull())
		.addColumn('beyond_note', 'text')
		.addColumn('beyond_source', 'text')
		.execute();

	await db.schema
		.createTable('timeline_events')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('course_id', 'integer', (c) =>
			c.notNull().references('courses.id').onDelete('cascade')
		)
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('when_label', 'text', (c) => c.notNull())
		.addColumn('sort', 'double precision', (c) => c.notNull())
		.addColumn('event', 'text', (c) => c.notNull())
		.addColumn('cites', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
		.execute();

	// The bank. `data` holds the type's options and answer key: it never leaves the server before
	// review is allowed.
	await db.schema
		.createTable('questions')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('course_id', 'integer', (c) =>
			c.notNull().references('courses.id').onDelete('cascade')
		)
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('external_id', 'text', (c) => c.notNull())
		.addColumn('type', 'text', (c) =>
			c.notNull().check(sql`type in ('mc', 'multi', 'tf', 'short', 'matching', 'numerical')`)
		)
		.addColumn('title', 'text')
		.addColumn('prompt', 'text', (c) => c.notNull())
		.addColumn('data', 'jsonb', (c) => c.notNull())
		.addColumn('explanation', 'text')
		.addColumn('cites', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
		.addColumn('actor_id', 'integer', (c) => c.references('actors.id').onDelete('set null'))
		.addColumn('concern_id', 'integer', (c) => c.references('concerns.id').onDelete('set null'))
		.addUniqueConstraint('questions_course_external_key', ['course_id', 'external_id'])
		.execute();

	await db.schema
		.createTable('lesson_progress')
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('lesson_id', 'integer', (c) =>
			c.notNull().references('lessons.id').onDelete('cascade')
		)
		.addColumn('completed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('lesson_progress_pkey', ['user_id', 'lesson_id'])
		.execute();
	await db.schema
		.createIndex('lesson_progress_lesson_idx')
		.on('lesson_progress')
		.column('lesson_id')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const t of [
		'lesson_progress',
		'questions',
		'timeline_events',
		'glossary_terms',
		'lessons',
		'actor_concerns',
		'concerns',
		'actors',
		'article_paragraphs',
		'courses'
	]) {
		await db.schema.dropTable(t).execute();
	}
}
