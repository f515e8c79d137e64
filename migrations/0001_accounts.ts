import { sql, type Kysely } from 'kysely';

// Accounts, sessions and the tables that hold abuse limits. Rate limits live in Postgres so that
// they hold across app instances.
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('users')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('password_hash', 'text', (c) => c.notNull())
		.addColumn('role', 'text', (c) =>
			c
				.notNull()
				.defaultTo('student')
				.check(sql`role in ('student', 'instructor', 'admin')`)
		)
		.addColumn('disabled_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('last_seen_at', 'timestamptz')
		.execute();
	// Emails are stored lower-cased; the index makes the comparison exact and unique.
	await sql`create unique index users_email_key on users (lower(email))`.execute(db);

	await db.schema
		.createTable('sessions')
		.addColumn('id', 'text', (c) => c.primaryKey()) // SHA-256 of the token, hex
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute();

	await db.schema
		.createTable('login_attempts')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('ip', 'text', (c) => c.notNull())
		.addColumn('succeeded', 'boolean', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('login_attempts_email_idx')
		.on('login_attempts')
		.columns(['email', 'created_at'])
		.execute();
	await db.schema
		.createIndex('login_attempts_ip_idx')
		.on('login_attempts')
		.columns(['ip', 'created_at'])
		.execute();

	await db.schema
		.createTable('password_resets')
		.addColumn('id', 'text', (c) => c.primaryKey()) // SHA-256 of the token, hex
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.addColumn('used_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('password_resets').execute();
	await db.schema.dropTable('login_attempts').execute();
	await db.schema.dropTable('sessions').execute();
	await db.schema.dropTable('users').execute();
}
