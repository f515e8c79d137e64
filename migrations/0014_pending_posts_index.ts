import { sql, type Kysely } from 'kysely';

// The moderation queue finds a class's posts held for review through this partial index, and its
// flagged posts through flags_class_open_idx, instead of walking every post of the class in date
// order (queue.ts). Held posts are few, so the index stays small.
export async function up(db: Kysely<any>): Promise<void> {
	await sql`create index posts_class_pending_idx on posts (class_id, created_at)
		where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index posts_class_pending_idx`.execute(db);
}
