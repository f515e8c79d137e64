import { sql, type Kysely } from 'kysely';

// Class discussion: threads and their posts, moderation, the audit log and the live events.
// Every row carries `class_id` (the future distribution key) and nothing here cascades from
// course content: an anchor on a lesson or an actor is `restrict`, as for the rest of class data
// (0006). A paragraph anchor is the paragraph's number with the text quoted when the thread was
// started: paragraphs are rewritten whole when a package is uploaded again.
//
// - A post's tree is `parent_id` plus a materialised `path` (ids, zero-padded, joined by '.'),
//   so a thread's whole tree is one ordered query; `depth` says how far to indent.
// - `status`: visible, pending (held for review), hidden (by a moderator, with a reason told to
//   the author), removed (by a moderator), deleted (by its author: "deleted" stays in the tree).
// - `client_key` makes posting idempotent: a retried or double-clicked post is the same row.
// - Each change writes an `events` row in its own transaction and NOTIFYs its id; live readers
//   replay from `events` after the id their browser last saw.
// - `moderation_log` is append-only: every moderation action and setting change, and (with
//   class_id null) every administrator action on accounts.
const POST_STATUS = sql`in ('visible', 'pending', 'hidden', 'removed', 'deleted')`;

export async function up(db: Kysely<any>): Promise<void> {
	// Prompts are assignments of kind 'discussion': how they run is the assignment's.
	await db.schema
		.alterTable('assignments')
		.addColumn('post_first', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('anonymous', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('actor_mode', 'text', (c) =>
			c
				.notNull()
				.defaultTo('none')
				.check(sql`actor_mode in ('none', 'assigned', 'choose')`)
		)
		.execute();

	await db.schema
		.createTable('threads')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('class_id', 'integer', (c) =>
			c.notNull().references('classes.id').onDelete('cascade')
		)
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('anchor', 'text', (c) =>
			c
				.notNull()
				.defaultTo('general')
				.check(sql`anchor in ('general', 'lesson', 'actor', 'paragraph', 'prompt')`)
		)
		.addColumn('lesson_id', 'integer', (c) => c.references('lessons.id').onDelete('restrict'))
		.addColumn('actor_id', 'integer', (c) => c.references('actors.id').onDelete('restrict'))
		.addColumn('paragraph', 'integer', (c) => c.check(sql`paragraph >= 1`))
		.addColumn('quote', 'text')
		.addColumn('assignment_id', 'integer', (c) =>
			c.references('assignments.id').onDelete('cascade')
		)
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('last_post_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('locked_at', 'timestamptz')
		.addColumn('pinned_at', 'timestamptz')
		.addColumn('slow_mode_seconds', 'integer', (c) =>
			c
				.notNull()
				.defaultTo(0)
				.check(sql`slow_mode_seconds between 0 and 86400`)
		)
		.addCheckConstraint(
			'threads_anchor_target_check',
			sql`(anchor <> 'lesson' or lesson_id is not null)
				and (anchor <> 'actor' or actor_id is not null)
				and (anchor <> 'paragraph' or paragraph is not null)
				and (anchor <> 'prompt' or assignment_id is not null)`
		)
		.execute();
	await db.schema
		.createIndex('threads_class_idx')
		.on('threads')
		.columns(['class_id', 'last_post_at'])
		.execute();
	await db.schema
		.createIndex('threads_paragraph_idx')
		.on('threads')
		.columns(['class_id', 'paragraph'])
		.where(sql.ref('paragraph'), 'is not', null)
		.execute();
	await sql`create unique index threads_prompt_idx on threads (assignment_id)
		where assignment_id is not null`.execute(db);

	await db.schema
		.createTable('posts')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('class_id', 'integer', (c) =>
			c.notNull().references('classes.id').onDelete('cascade')
		)
		.addColumn('thread_id', 'integer', (c) =>
			c.notNull().references('threads.id').onDelete('cascade')
		)
		.addColumn('parent_id', 'integer', (c) => c.references('posts.id').onDelete('restrict'))
		.addColumn('path', 'text', (c) => c.notNull())
		.addColumn('depth', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('author_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('actor_id', 'integer', (c) => c.references('actors.id').onDelete('restrict'))
		.addColumn('concern_id', 'integer', (c) => c.references('concerns.id').onDelete('restrict'))
		.addColumn('status', 'text', (c) =>
			c
				.notNull()
				.defaultTo('visible')
				.check(sql`status ${POST_STATUS}`)
		)
		.addColumn('status_reason', 'text')
		.addColumn('client_key', 'text')
		.addColumn('votes', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('edited_at', 'timestamptz')
		.addColumn('search', sql`tsvector`, (c) =>
			c.generatedAlwaysAs(sql`to_tsvector('english', body)`).stored()
		)
		.execute();
	await db.schema
		.createIndex('posts_thread_path_idx')
		.on('posts')
		.columns(['thread_id', 'path'])
		.execute();
	await db.schema
		.createIndex('posts_class_idx')
		.on('posts')
		.columns(['class_id', 'created_at'])
		.execute();
	await db.schema
		.createIndex('posts_author_idx')
		.on('posts')
		.columns(['author_id', 'created_at'])
		.execute();
	await sql`create unique index posts_client_key_idx on posts (author_id, client_key)
		where client_key is not null`.execute(db);
	await sql`create index posts_search_idx on posts using gin (search)`.execute(db);

	await db.schema
		.createTable('post_revisions')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('edited_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('edited_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('post_revisions_post_idx')
		.on('post_revisions')
		.column('post_id')
		.execute();

	await db.schema
		.createTable('post_votes')
		.addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('post_votes_pkey', ['post_id', 'user_id'])
		.execute();

	// What each member has read of a thread: posts after `read_at` are unread.
	await db.schema
		.createTable('thread_reads')
		.addColumn('thread_id', 'integer', (c) =>
			c.notNull().references('threads.id').onDelete('cascade')
		)
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('read_at', 'timestamptz', (c) => c.notNull())
		.addPrimaryKeyConstraint('thread_reads_pkey', ['thread_id', 'user_id'])
		.execute();

	// Actors given to students for a prompt that asks them to argue a position.
	await db.schema
		.createTable('prompt_actors')
		.addColumn('assignment_id', 'integer', (c) =>
			c.notNull().references('assignments.id').onDelete('cascade')
		)
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('actor_id', 'integer', (c) =>
			c.notNull().references('actors.id').onDelete('restrict')
		)
		.addPrimaryKeyConstraint('prompt_actors_pkey', ['assignment_id', 'user_id'])
		.execute();

	// The participation score an instructor gives a student for a prompt (0..1 of the prompt's
	// mark): it is the prompt's score in the progress model, and so in the gradebook.
	await db.schema
		.createTable('discussion_scores')
		.addColumn('assignment_id', 'integer', (c) =>
			c.notNull().references('assignments.id').onDelete('cascade')
		)
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('score', 'double precision', (c) => c.notNull().check(sql`score between 0 and 1`))
		.addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('given_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('given_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('discussion_scores_pkey', ['assignment_id', 'user_id'])
		.execute();

	await db.schema
		.createTable('flags')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('class_id', 'integer', (c) =>
			c.notNull().references('classes.id').onDelete('cascade')
		)
		.addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('resolved_at', 'timestamptz')
		.addColumn('resolved_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('outcome', 'text')
		.execute();
	await sql`create unique index flags_post_user_idx on flags (post_id, user_id)
		where user_id is not null`.execute(db);
	await db.schema
		.createIndex('flags_class_open_idx')
		.on('flags')
		.columns(['class_id', 'resolved_at'])
		.execute();

	// Per member of a class: silenced until a time, or every post held for review.
	await db.schema
		.createTable('member_restrictions')
		.addColumn('class_id', 'integer', (c) =>
			c.notNull().references('classes.id').onDelete('cascade')
		)
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('silenced_until', 'timestamptz')
		.addColumn('premoderated', 'boolean', (c) => c.notNull().defaultTo(false))
		.addPrimaryKeyConstraint('member_restrictions_pkey', ['class_id', 'user_id'])
		.execute();

	await db.schema
		.createTable('discussion_settings')
		.addColumn('class_id', 'integer', (c) =>
			c.primaryKey().references('classes.id').onDelete('cascade')
		)
		.addColumn('premoderation', 'text', (c) =>
			c
				.notNull()
				.defaultTo('off')
				.check(sql`premoderation in ('off', 'all', 'new-members')`)
		)
		.addColumn('new_member_days', 'integer', (c) =>
			c
				.notNull()
				.defaultTo(7)
				.check(sql`new_member_days between 1 and 365`)
		)
		.execute();

	await db.schema
		.createTable('watched_words')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('class_id', 'integer', (c) =>
			c.notNull().references('classes.id').onDelete('cascade')
		)
		.addColumn('word', 'text', (c) => c.notNull())
		.addColumn('action', 'text', (c) =>
			c.notNull().check(sql`action in ('block', 'hold', 'replace')`)
		)
		.addColumn('replacement', 'text')
		.addUniqueConstraint('watched_words_class_word_key', ['class_id', 'word'])
		.execute();

	// Append-only. `class_id` null: an administrator's action on accounts.
	await db.schema
		.createTable('moderation_log')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('class_id', 'integer', (c) => c.references('classes.id').onDelete('cascade'))
		.addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('actor_name', 'text', (c) => c.notNull())
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('target_kind', 'text', (c) => c.notNull())
		.addColumn('target_id', 'integer')
		.addColumn('target_label', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('moderation_log_class_idx')
		.on('moderation_log')
		.columns(['class_id', 'created_at'])
		.execute();

	await db.schema
		.createTable('notifications')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('class_id', 'integer', (c) =>
			c.notNull().references('classes.id').onDelete('cascade')
		)
		.addColumn('kind', 'text', (c) =>
			c.notNull().check(sql`kind in ('reply', 'mention', 'moderation')`)
		)
		.addColumn('post_id', 'integer', (c) => c.references('posts.id').onDelete('cascade'))
		.addColumn('thread_id', 'integer', (c) => c.references('threads.id').onDelete('cascade'))
		.addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('read_at', 'timestamptz')
		.execute();
	await db.schema
		.createIndex('notifications_user_idx')
		.on('notifications')
		.columns(['user_id', 'read_at', 'created_at'])
		.execute();

	// The backlog live readers replay from. `user_id` set: for that member only (a notification).
	await db.schema
		.createTable('events')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('class_id', 'integer', (c) =>
			c.notNull().references('classes.id').onDelete('cascade')
		)
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('thread_id', 'integer')
		.addColumn('post_id', 'integer')
		.addColumn('user_id', 'integer')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('events_class_idx')
		.on('events')
		.columns(['class_id', 'id'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const t of [
		'events',
		'notifications',
		'moderation_log',
		'watched_words',
		'discussion_settings',
		'member_restrictions',
		'flags',
		'discussion_scores',
		'prompt_actors',
		'thread_reads',
		'post_votes',
		'post_revisions',
		'posts',
		'threads'
	])
		await db.schema.dropTable(t).execute();
	await db.schema
		.alterTable('assignments')
		.dropColumn('post_first')
		.dropColumn('anonymous')
		.dropColumn('actor_mode')
		.execute();
}
