/**
 * The live events of class discussion. Every change a reader should see at once (a post, an
 * edit, a vote, a moderation action, a notification) writes one `events` row in the transaction
 * of the change, and NOTIFYs `discussion` with `<class id>:<event id>`, which Postgres delivers
 * when that transaction commits (never for one that rolls back). Each app process LISTENs once
 * (db/listener.ts) and fans the events out to its open streams; a browser that reconnects sends
 * the last event id it saw and is replayed what came after from this table.
 */
import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import { EVENTS_LOCK_CLASS } from '../db/locks.ts';

export const EVENTS_CHANNEL = 'discussion';

export type EventKind =
	| 'post' // a new post, or one that became visible (approved, restored)
	| 'edit' // a post's text, status or votes changed
	| 'thread' // a thread was started, locked, pinned, moved into
	| 'notification'; // for `userId` only

export interface DiscussionEvent {
	id: string;
	classId: number;
	kind: EventKind;
	threadId: number | null;
	postId: number | null;
	/** Set: meant for that member only. */
	userId: number | null;
	createdAt: Date;
}

/**
 * Writes the event in `trx` (the change's own transaction) and notifies its id on commit.
 *
 * A class's events commit in id order: the transaction holds the class's advisory lock from here
 * to its commit, so a later id cannot commit before an earlier one. Readers can then keep one
 * cursor (the last id seen) and never skip an event that committed late. Call it last in the
 * change, so the lock is held for as short a time as possible.
 */
export async function recordEvent(
	trx: Executor,
	e: {
		classId: number;
		kind: EventKind;
		threadId?: number | null;
		postId?: number | null;
		userId?: number | null;
	}
): Promise<string> {
	await sql`select pg_advisory_xact_lock(${EVENTS_LOCK_CLASS}::int, ${e.classId}::int)`.execute(
		trx
	);
	const { rows } = await sql<{ id: string }>`
		with e as (
			insert into events (class_id, kind, thread_id, post_id, user_id)
			values (${e.classId}, ${e.kind}, ${e.threadId ?? null}, ${e.postId ?? null}, ${e.userId ?? null})
			returning id
		)
		select e.id::text as id, pg_notify(${EVENTS_CHANNEL}, ${e.classId}::text || ':' || e.id::text)
		from e`.execute(trx);
	return rows[0].id;
}

/** The class's events after `afterId` (a browser's Last-Event-ID), oldest first, at most `limit`. */
export async function eventsSince(
	db: Executor,
	classId: number,
	afterId: string,
	limit = 500
): Promise<DiscussionEvent[]> {
	const rows = await db
		.selectFrom('events')
		.select(['id', 'class_id', 'kind', 'thread_id', 'post_id', 'user_id', 'created_at'])
		.where('class_id', '=', classId)
		.where('id', '>', afterId)
		.orderBy('id')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		id: String(r.id),
		classId: r.class_id,
		kind: r.kind as EventKind,
		threadId: r.thread_id,
		postId: r.post_id,
		userId: r.user_id,
		createdAt: new Date(r.created_at)
	}));
}

/** The id of the class's latest event, '0' when it has none. */
export async function latestEventId(db: Executor, classId: number): Promise<string> {
	const row = await db
		.selectFrom('events')
		.select((eb) => eb.fn.max('id').as('id'))
		.where('class_id', '=', classId)
		.executeTakeFirst();
	return row?.id == null ? '0' : String(row.id);
}
