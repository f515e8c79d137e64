import { sql, type Kysely } from 'kysely';

// Indexes the growth check (bench/growth.ts, issue 10) showed missing: each removed a sequential
// scan of a table that grows with the district from a scenario page.
// - attempts by class: the gradebook and progress read a class's attempts (`class_id = …`), and
//   attempts had no index leading with class_id, so each gradebook read every attempt of every
//   class (200,000 at the bench's scale 1).
// - open flags by post: the thread page counts each post's open flags and the moderation queue
//   lists them; the only flag index on post_id is partial on user_id, which those queries cannot
//   use, so each post of a thread scanned the whole flags table.
// - votes by voter: the thread page marks the viewer's own votes; post_votes' key leads with
//   post_id, so finding one member's votes scanned every vote.
export async function up(db: Kysely<any>): Promise<void> {
	await sql`create index attempts_class_idx on attempts (class_id, assignment_id, user_id)`.execute(
		db
	);
	await sql`create index flags_post_open_idx on flags (post_id) where resolved_at is null`.execute(
		db
	);
	await sql`create index post_votes_user_idx on post_votes (user_id, post_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index post_votes_user_idx`.execute(db);
	await sql`drop index flags_post_open_idx`.execute(db);
	await sql`drop index attempts_class_idx`.execute(db);
}
