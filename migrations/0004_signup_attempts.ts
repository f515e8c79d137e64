import { sql, type Kysely } from 'kysely';

// Sign-ups per client address, so that account creation (an argon2 hash each) can be limited
// across app instances like failed logins are.
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('signup_attempts')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('ip', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('signup_attempts_ip_idx')
		.on('signup_attempts')
		.columns(['ip', 'created_at'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('signup_attempts').execute();
}
