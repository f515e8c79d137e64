/**
 * In-app notifications: a reply to my post, a mention of me (`@handle` of a class member), and
 * what a moderator did to my post. Each is written in the transaction of what caused it, with a
 * live event for its member only, so the nav's unread count moves without a reload.
 */
import { findMentions } from '../../discussion/mentions.ts';
import type { Expression } from 'kysely';
import type { Executor } from '../db/index.ts';
import type { NotificationsTable } from '../db/types.ts';
import { recordEvent } from './events.ts';

type Kind = NotificationsTable['kind'];

export async function notify(
	trx: Executor,
	n: {
		userId: number;
		classId: number;
		kind: Kind;
		threadId: number;
		postId: number | null;
		message: string;
	}
): Promise<void> {
	await trx
		.insertInto('notifications')
		.values({
			user_id: n.userId,
			class_id: n.classId,
			kind: n.kind,
			thread_id: n.threadId,
			post_id: n.postId,
			message: n.message
		})
		.execute();
	await recordEvent(trx, {
		classId: n.classId,
		kind: 'notification',
		threadId: n.threadId,
		postId: n.postId,
		userId: n.userId
	});
}

/**
 * Tells the parent's author of a reply, and the members a post mentions, that it is there: called
 * when a post becomes visible (written, or approved). Nobody is told of their own post, nor twice.
 * In an anonymous prompt the message does not name the author to students.
 */
export async function notifyForPost(
	trx: Executor,
	p: { classId: number; threadId: number; postId: number }
): Promise<void> {
	const post = await trx
		.selectFrom('posts as p')
		.innerJoin('threads as t', 't.id', 'p.thread_id')
		.leftJoin('assignments as a', 'a.id', 't.assignment_id')
		.leftJoin('users as u', 'u.id', 'p.author_id')
		.leftJoin('posts as parent', 'parent.id', 'p.parent_id')
		.select([
			'p.body',
			'p.author_id as authorId',
			'u.name as authorName',
			'parent.author_id as parentAuthorId',
			'parent.status as parentStatus',
			't.title',
			'a.anonymous'
		])
		.where('p.id', '=', p.postId)
		.executeTakeFirst();
	if (!post) return;
	const who = post.anonymous ? 'A classmate' : (post.authorName ?? 'Someone');
	const told = new Set<number>(post.authorId === null ? [] : [post.authorId]);
	if (
		post.parentAuthorId !== null &&
		!told.has(post.parentAuthorId) &&
		post.parentStatus !== 'deleted'
	) {
		told.add(post.parentAuthorId);
		await notify(trx, {
			...p,
			userId: post.parentAuthorId,
			kind: 'reply',
			message: `${who} replied to your post in “${post.title}”.`
		});
	}
	if (!post.body.includes('@')) return;
	const members = await trx
		.selectFrom('memberships as m')
		.innerJoin('users as u', 'u.id', 'm.user_id')
		.select(['u.id', 'u.name'])
		.where('m.class_id', '=', p.classId)
		.execute();
	for (const id of findMentions(post.body, members)) {
		if (told.has(id)) continue;
		told.add(id);
		await notify(trx, {
			...p,
			userId: id,
			kind: 'mention',
			message: `${who} mentioned you in “${post.title}”.`
		});
	}
}

export interface NotificationView {
	id: number;
	classId: number;
	className: string;
	kind: Kind;
	threadId: number | null;
	postId: number | null;
	message: string;
	createdAt: Date;
	read: boolean;
}

/** The member's notifications, newest first, with the classes' names: one query. */
export async function listNotifications(
	db: Executor,
	userId: number,
	limit = 50,
	onlyId?: number
): Promise<NotificationView[]> {
	let q = db
		.selectFrom('notifications as n')
		.innerJoin('classes as k', 'k.id', 'n.class_id')
		.innerJoin('memberships as m', (j) =>
			j.onRef('m.class_id', '=', 'n.class_id').onRef('m.user_id', '=', 'n.user_id')
		)
		.select([
			'n.id',
			'n.class_id as classId',
			'k.name as className',
			'n.kind',
			'n.thread_id as threadId',
			'n.post_id as postId',
			'n.message',
			'n.created_at as createdAt',
			'n.read_at as readAt'
		])
		.where('n.user_id', '=', userId)
		.orderBy('n.id', 'desc')
		.limit(limit);
	if (onlyId !== undefined) q = q.where('n.id', '=', onlyId);
	const rows = await q.execute();
	return rows.map(({ readAt, ...r }) => ({
		...r,
		createdAt: new Date(r.createdAt),
		read: readAt !== null
	}));
}

/**
 * The member's unread notifications in classes they still belong to, as a subquery: `userId` is
 * a number or a reference to the outer query's user column (the session check asks for the count
 * in its own statement, so a signed-in page makes one round trip for both).
 */
export function unreadCountQuery(db: Executor, userId: number | Expression<number>) {
	return db
		.selectFrom('notifications as n')
		.innerJoin('memberships as m', (j) =>
			j.onRef('m.class_id', '=', 'n.class_id').onRef('m.user_id', '=', 'n.user_id')
		)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('n.user_id', '=', userId)
		.where('n.read_at', 'is', null);
}

/** Unread notifications of classes the member is still in: the nav's count. */
export async function unreadNotificationCount(db: Executor, userId: number): Promise<number> {
	const row = await unreadCountQuery(db, userId).executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Marks the member's notifications read: one, or all when `id` is undefined. */
export async function markNotificationsRead(
	db: Executor,
	userId: number,
	id?: number
): Promise<void> {
	let q = db
		.updateTable('notifications')
		.set({ read_at: new Date() })
		.where('user_id', '=', userId)
		.where('read_at', 'is', null);
	if (id !== undefined) q = q.where('id', '=', id);
	await q.execute();
}

/** One of the member's notifications (of a class they are still in), or undefined. */
export async function findNotification(
	db: Executor,
	userId: number,
	id: number
): Promise<NotificationView | undefined> {
	const all = await listNotifications(db, userId, 1, id);
	return all[0];
}
