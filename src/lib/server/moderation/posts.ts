/**
 * What a class's moderators do to posts: approve a held one, hide one (its author is told why),
 * remove one, restore a hidden or removed one, dismiss its flags, move it (with its replies) to
 * another thread. Each runs in one transaction with its audit-log row, the live event readers see
 * it by, and the notification to the author.
 */
import { sql } from 'kysely';
import { inTransaction, type Executor } from '../db/index.ts';
import type { PostStatus } from '../db/types.ts';
import { recordEvent } from '../discussion/events.ts';
import { notify, notifyForPost } from '../discussion/notifications.ts';
import type { Refusal } from '../discussion/posting-rules.ts';
import { logAction } from './log.ts';

export interface Moderator {
	id: number;
	name: string;
}

export type PostAction = 'approve' | 'hide' | 'remove' | 'restore';

/** Which statuses each action applies to, and what it makes of them. */
const TRANSITIONS: Record<
	PostAction,
	{ from: PostStatus[]; to: PostStatus; needsReason: boolean }
> = {
	approve: { from: ['pending'], to: 'visible', needsReason: false },
	hide: { from: ['visible', 'pending'], to: 'hidden', needsReason: true },
	remove: { from: ['visible', 'pending', 'hidden'], to: 'removed', needsReason: true },
	restore: { from: ['hidden', 'removed'], to: 'visible', needsReason: false }
};

const OUTCOME_MESSAGE: Record<PostAction, (title: string, reason: string) => string> = {
	approve: (t) => `A moderator approved your post in “${t}”: everyone can see it now.`,
	hide: (t, r) => `A moderator hid your post in “${t}”. Reason: ${r}`,
	remove: (t, r) => `A moderator removed your post in “${t}”. Reason: ${r}`,
	restore: (t) => `A moderator restored your post in “${t}”: it is visible again.`
};

export const MAX_REASON = 500;

export function checkReason(raw: string, required: boolean): string | Refusal {
	const reason = raw.replace(/\s+/g, ' ').trim();
	if (required && !reason) {
		return { status: 400, field: 'reason', message: 'Say why: the author is told.' };
	}
	if (reason.length > MAX_REASON) {
		return {
			status: 400,
			field: 'reason',
			message: `Keep the reason under ${MAX_REASON} characters.`
		};
	}
	return reason;
}

function excerpt(body: string): string {
	const flat = body.replace(/\s+/g, ' ').trim();
	return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

/** Approves, hides, removes or restores a post of the class. */
export async function moderatePost(
	db: Executor,
	classId: number,
	postId: number,
	moderator: Moderator,
	action: PostAction,
	rawReason: string
): Promise<{ ok: true } | { ok: false; refusal: Refusal }> {
	const t = TRANSITIONS[action];
	const reason = checkReason(rawReason, t.needsReason);
	if (typeof reason !== 'string') return { ok: false, refusal: reason };
	return await inTransaction(db, async (trx) => {
		const post = await trx
			.selectFrom('posts as p')
			.innerJoin('threads as th', 'th.id', 'p.thread_id')
			.leftJoin('users as u', 'u.id', 'p.author_id')
			.select(['p.status', 'p.author_id', 'p.thread_id', 'p.body', 'th.title', 'u.name as author'])
			.where('p.id', '=', postId)
			.where('p.class_id', '=', classId)
			.forUpdate('p')
			.executeTakeFirst();
		if (!post) return { ok: false, refusal: { status: 409, message: 'There is no such post.' } };
		if (!t.from.includes(post.status)) {
			return {
				ok: false,
				refusal: {
					status: 409,
					message: `This post is ${post.status}: it cannot be ${pastTense(action)}.`
				}
			};
		}
		await trx
			.updateTable('posts')
			.set({ status: t.to, status_reason: t.to === 'visible' ? null : reason || null })
			.where('id', '=', postId)
			.execute();
		if (action === 'hide' || action === 'remove') {
			await trx
				.updateTable('flags')
				.set({
					resolved_at: new Date(),
					resolved_by: moderator.id,
					outcome: action === 'hide' ? 'hidden' : 'removed'
				})
				.where('post_id', '=', postId)
				.where('resolved_at', 'is', null)
				.execute();
		}
		if (t.to === 'visible') {
			await trx
				.updateTable('threads')
				.set({ last_post_at: sql`greatest(last_post_at, now())` })
				.where('id', '=', post.thread_id)
				.execute();
		}
		// Replies and mentions reach people once the post is out.
		if (action === 'approve')
			await notifyForPost(trx, { classId, threadId: post.thread_id, postId });
		if (post.author_id !== null && post.author_id !== moderator.id) {
			await notify(trx, {
				userId: post.author_id,
				classId,
				kind: 'moderation',
				threadId: post.thread_id,
				postId,
				message: OUTCOME_MESSAGE[action](post.title, reason)
			});
		}
		await logAction(trx, {
			classId,
			actor: moderator,
			action: `post.${action}`,
			targetKind: 'post',
			targetId: postId,
			targetLabel: `${post.author ?? 'A former member'}: “${excerpt(post.body)}” in “${post.title}”`,
			reason,
			details: { from: post.status, to: t.to }
		});
		await recordEvent(trx, {
			classId,
			kind: t.to === 'visible' ? 'post' : 'edit',
			threadId: post.thread_id,
			postId
		});
		return { ok: true };
	});
}

function pastTense(action: PostAction): string {
	return { approve: 'approved', hide: 'hidden', remove: 'removed', restore: 'restored' }[action];
}

/** Closes a post's open flags without acting on it. */
export async function dismissFlags(
	db: Executor,
	classId: number,
	postId: number,
	moderator: Moderator,
	rawReason: string
): Promise<{ ok: true } | { ok: false; refusal: Refusal }> {
	const reason = checkReason(rawReason, false);
	if (typeof reason !== 'string') return { ok: false, refusal: reason };
	return await inTransaction(db, async (trx) => {
		const closed = await trx
			.updateTable('flags')
			.set({ resolved_at: new Date(), resolved_by: moderator.id, outcome: 'dismissed' })
			.where('post_id', '=', postId)
			.where('class_id', '=', classId)
			.where('resolved_at', 'is', null)
			.returning('id')
			.execute();
		if (!closed.length) {
			return { ok: false, refusal: { status: 409, message: 'This post has no open flags.' } };
		}
		await logAction(trx, {
			classId,
			actor: moderator,
			action: 'flag.dismiss',
			targetKind: 'post',
			targetId: postId,
			targetLabel: `Post ${postId}`,
			reason,
			details: { flags: closed.length }
		});
		return { ok: true };
	});
}

/**
 * Moves a post and every reply under it to another thread of the class, as a top-level post there.
 * One statement rewrites the subtree's paths, so the tree stays whole.
 */
export async function movePost(
	db: Executor,
	classId: number,
	postId: number,
	targetThreadId: number,
	moderator: Moderator,
	rawReason: string
): Promise<{ ok: true } | { ok: false; refusal: Refusal }> {
	const reason = checkReason(rawReason, false);
	if (typeof reason !== 'string') return { ok: false, refusal: reason };
	return await inTransaction(db, async (trx) => {
		const post = await trx
			.selectFrom('posts as p')
			.innerJoin('threads as th', 'th.id', 'p.thread_id')
			.select(['p.path', 'p.depth', 'p.thread_id', 'p.body', 'th.title'])
			.where('p.id', '=', postId)
			.where('p.class_id', '=', classId)
			.forUpdate('p')
			.executeTakeFirst();
		const target = await trx
			.selectFrom('threads')
			.select(['id', 'title'])
			.where('id', '=', targetThreadId)
			.where('class_id', '=', classId)
			.executeTakeFirst();
		if (!post) return { ok: false, refusal: { status: 409, message: 'There is no such post.' } };
		if (!target) {
			return {
				ok: false,
				refusal: { status: 400, field: 'target', message: 'Choose a thread of this class.' }
			};
		}
		if (target.id === post.thread_id) {
			return {
				ok: false,
				refusal: { status: 400, field: 'target', message: 'The post is in that thread already.' }
			};
		}
		const own = post.path.slice(post.path.lastIndexOf('.') + 1);
		const prefixLength = post.path.length - own.length;
		const moved = await sql<{ id: number }>`
			update posts set
				thread_id = ${target.id},
				parent_id = case when id = ${postId} then null else parent_id end,
				path = substr(path, ${prefixLength + 1}),
				depth = depth - ${post.depth}
			where thread_id = ${post.thread_id}
				and (path = ${post.path} or path like ${post.path + '.%'})
			returning id`.execute(trx);
		await trx
			.updateTable('threads')
			.set({ last_post_at: sql`greatest(last_post_at, now())` })
			.where('id', '=', target.id)
			.execute();
		await logAction(trx, {
			classId,
			actor: moderator,
			action: 'post.move',
			targetKind: 'post',
			targetId: postId,
			targetLabel: `“${excerpt(post.body)}”`,
			reason,
			details: { from: post.title, to: target.title, posts: moved.rows.length }
		});
		for (const threadId of [post.thread_id, target.id]) {
			await recordEvent(trx, { classId, kind: 'thread', threadId, postId });
		}
		return { ok: true };
	});
}
