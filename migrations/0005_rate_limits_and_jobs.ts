import { sql, type Kysely } from 'kysely';

// One table for every rate limit (logins, sign-ups, join codes; posting and flagging next): a row is
// one counted event in a bucket for a key (an account, a client address, a pair of both). It replaces
// login_attempts, signup_attempts and join_attempts, whose rows are only recent evidence and are
// not carried over.
//
// job_runs records when each periodic job last ran, so that the job runs once per interval across
// all app instances (the runner takes an advisory lock per job before it looks).
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('rate_limit_events')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('bucket', 'text', (c) => c.notNull())
		.addColumn('key', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('rate_limit_events_lookup_idx')
		.on('rate_limit_events')
		.columns(['bucket', 'key', 'created_at'])
		.execute();
	await db.schema
		.createIndex('rate_limit_events_created_idx')
		.on('rate_limit_events')
		.column('created_at')
		.execute();

	await db.schema
		.createTable('job_runs')
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('last_run_at', 'timestamptz', (c) => c.notNull())
		.addColumn('last_result', 'text')
		.execute();

	// Expired sessions are pruned by a periodic job.
	await db.schema
		.createIndex('sessions_expires_at_idx')
		.on('sessions')
		.column('expires_at')
		.execute();

	await db.schema.dropTable('login_attempts').execute();
	await db.schema.dropTable('signup_attempts').execute();
	await db.schema.dropTable('join_attempts').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('login_attempts')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('ip', 'text', (c) => c.notNull())
		.addColumn('succeeded', 'boolean', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createTable('signup_attempts')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('ip', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createTable('join_attempts')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
		.addColumn('ip', 'text', (c) => c.notNull())
		.addColumn('succeeded', 'boolean', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.dropIndex('sessions_expires_at_idx').execute();
	await db.schema.dropTable('job_runs').execute();
	await db.schema.dropTable('rate_limit_events').execute();
}
