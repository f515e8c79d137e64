import { sql, type Kysely } from 'kysely';

// The moderation page's member histories count each member's hidden and removed posts; without
// this partial index Postgres read every post of the class to find the few withdrawn ones (5 ms
// of a 3,750-post class's page, queue.ts `memberHistories`). Withdrawn posts are few, so the
// index stays small.
export async function up(db: Kysely<any>): Promise<void> {
	await sql`create index posts_class_withdrawn_idx on posts (class_id, author_id)
		where status in ('hidden', 'removed')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index posts_class_withdrawn_idx`.execute(db);
}
