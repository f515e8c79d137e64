import { sql, type Kysely } from 'kysely';

// The log of regrades: when an instructor fixes a question's key and re-scores the attempts
// that were given an earlier version of it, who did it, when, and each attempt's score before
// and after (`changes`: [{ attempt, from, to }]), so a changed grade can always be explained.
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('regrades')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('question_id', 'integer', (c) =>
			c.notNull().references('questions.id').onDelete('cascade')
		)
		.addColumn('question_version_id', 'integer', (c) =>
			c.notNull().references('question_versions.id').onDelete('restrict')
		)
		.addColumn('by_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('by_name', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('attempts', 'integer', (c) => c.notNull())
		.addColumn('changed', 'integer', (c) => c.notNull())
		.addColumn('changes', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
		.execute();
	await db.schema
		.createIndex('regrades_question_idx')
		.on('regrades')
		.columns(['question_id', 'created_at'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('regrades').execute();
}
