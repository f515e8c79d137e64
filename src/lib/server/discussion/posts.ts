/**
 * Posts: writing (idempotent by the client's key, in one transaction with its event and
 * notifications), editing (the old text kept as a revision), deleting one's own (a "deleted" stays
 * in the tree), votes, and reading a thread: its whole tree in one query, narrow (`threadTree`)
 * or with every post's text (`threadPosts`), and the text of the posts a page shows
 * (`threadPostDetails`).
 */
import { sql } from 'kysely';
import { inTransaction, type Executor } from '../db/index.ts';
import type { PostStatus } from '../db/types.ts';
import { recordEvent } from './events.ts';
import { notifyForPost } from './notifications.ts';
import {
	checkBody,
	holdsForReview,
	readPostingContext,
	refusePosting,
	takePostingAllowance,
	type Refusal
} from './posting-rules.ts';
import { screenBody, type Screened } from './screening.ts';
import type { ThreadDetail } from './threads.ts';
import { moderates, type Viewer } from './viewer.ts';

/** What the shape of a thread's page depends on: its tree, who wrote what, when, its votes. */
export interface TreeRow {
	id: number;
	parentId: number | null;
	authorId: number | null;
	/** The author's role in the class; null for a student (and a former member). */
	authorRole: string | null;
	actorId: number | null;
	status: PostStatus;
	votes: number;
	createdAt: Date;
}

/** What a shown post adds to its tree row: its text, names, the viewer's vote, counts. */
export interface PostDetail {
	id: number;
	authorName: string | null;
	body: string;
	actorName: string | null;
	concernLabel: string | null;
	status: PostStatus;
	statusReason: string | null;
	voted: boolean;
	editedAt: Date | null;
	revisions: number;
	openFlags: number;
}

export interface PostRow extends TreeRow, PostDetail {
	path: string;
	depth: number;
	concernId: number | null;
}

/**
 * Each post's earlier versions and open flags, counted only for a moderator (`counts`), the one
 * who is shown them: for anyone else they are 0, and a page is not two counting subqueries a post.
 */
function postCounts(counts: boolean) {
	return counts
		? [
				sql<number>`(select count(*) from post_revisions r where r.post_id = p.id)`.as('revisions'),
				sql<number>`(select count(*) from flags f
					where f.post_id = p.id and f.resolved_at is null)`.as('openFlags')
			]
		: [sql<number>`0`.as('revisions'), sql<number>`0`.as('openFlags')];
}

/**
 * A thread's whole tree in path order, narrow: no text, no names, nothing joined but the
 * author's role in the class. The time comes as epoch milliseconds (a number parses far faster
 * than a timestamp's text; the page's Dates are milliseconds anyway). The roles are read from
 * the thread's class by its id: joined on the posts' class column instead, Postgres hashed every
 * membership of the platform for each page view (about 10 ms at 10,400 memberships).
 */
export async function threadTree(
	db: Executor,
	classId: number,
	threadId: number
): Promise<TreeRow[]> {
	const rows = await db
		.selectFrom('posts as p')
		.leftJoin('memberships as m', (j) =>
			j.on('m.class_id', '=', classId).onRef('m.user_id', '=', 'p.author_id')
		)
		.select([
			'p.id',
			'p.parent_id as parentId',
			'p.author_id as authorId',
			'm.role as authorRole',
			'p.actor_id as actorId',
			'p.status',
			'p.votes',
			sql<number>`floor(extract(epoch from p.created_at) * 1000)::float8`.as('createdMs')
		])
		.where('p.thread_id', '=', threadId)
		.orderBy('p.path')
		.execute();
	// Built field by field: a rest-spread per row was 4 % of the page's time.
	return rows.map((r) => ({
		id: r.id,
		parentId: r.parentId,
		authorId: r.authorId,
		authorRole: r.authorRole === 'student' ? null : (r.authorRole ?? null),
		actorId: r.actorId,
		status: r.status,
		votes: r.votes,
		createdAt: new Date(Number(r.createdMs))
	}));
}

/**
 * The details of the thread's posts `ids` (a page's), with the viewer's votes; revisions and open
 * flags counted only with `counts` (for a moderator). Posts no longer in the thread are absent.
 */
export async function threadPostDetails(
	db: Executor,
	threadId: number,
	ids: number[],
	viewerId: number,
	{ counts }: { counts: boolean }
): Promise<Map<number, PostDetail>> {
	if (!ids.length) return new Map();
	const rows = await db
		.selectFrom('posts as p')
		.leftJoin('users as u', 'u.id', 'p.author_id')
		.leftJoin('actors as a', 'a.id', 'p.actor_id')
		.leftJoin('concerns as c', 'c.id', 'p.concern_id')
		.leftJoin('post_votes as v', (j) =>
			j.onRef('v.post_id', '=', 'p.id').on('v.user_id', '=', viewerId)
		)
		.select([
			'p.id',
			'u.name as authorName',
			'p.body',
			'a.short_name as actorName',
			'c.label as concernLabel',
			'p.status',
			'p.status_reason as statusReason',
			sql<boolean>`v.user_id is not null`.as('voted'),
			'p.edited_at as editedAt',
			...postCounts(counts)
		])
		.where('p.thread_id', '=', threadId)
		.where('p.id', '=', sql<number>`any(${ids})`)
		.execute();
	return new Map(
		rows.map((r) => [
			r.id,
			{
				...r,
				editedAt: r.editedAt ? new Date(r.editedAt) : null,
				revisions: Number(r.revisions ?? 0),
				openFlags: Number(r.openFlags ?? 0)
			}
		])
	);
}

/**
 * The whole tree of a thread with every post's text, in path order (a depth-first walk, oldest
 * sibling first), with the viewer's votes; the counts as in `postCounts`. Two queries, whatever
 * its size: the tree, then every post's details. The page reads `threadTree` and only its shown
 * posts' `threadPostDetails` instead.
 */
export async function threadPosts(
	db: Executor,
	threadId: number,
	viewerId: number,
	{ counts }: { counts: boolean } = { counts: true }
): Promise<PostRow[]> {
	const tree = await db
		.selectFrom('posts as p')
		// The thread's class by its id (see threadTree), not the posts' class column.
		.leftJoin('memberships as m', (j) =>
			j
				.on(
					'm.class_id',
					'=',
					sql<number>`(select t.class_id from threads t where t.id = ${threadId})`
				)
				.onRef('m.user_id', '=', 'p.author_id')
		)
		.select([
			'p.id',
			'p.parent_id as parentId',
			'p.path',
			'p.depth',
			'p.author_id as authorId',
			'm.role as authorRole',
			'p.actor_id as actorId',
			'p.concern_id as concernId',
			'p.votes',
			'p.created_at as createdAt'
		])
		.where('p.thread_id', '=', threadId)
		.orderBy('p.path')
		.execute();
	const details = await threadPostDetails(
		db,
		threadId,
		tree.map((r) => r.id),
		viewerId,
		{ counts }
	);
	return tree.flatMap((r) => {
		const d = details.get(r.id);
		return d
			? [
					{
						...r,
						...d,
						authorRole: r.authorRole === 'student' ? null : (r.authorRole ?? null),
						createdAt: new Date(r.createdAt)
					}
				]
			: [];
	});
}

export interface FoundPost {
	id: number;
	classId: number;
	threadId: number;
	parentId: number | null;
	authorId: number | null;
	authorName: string | null;
	body: string;
	status: PostStatus;
	statusReason: string | null;
	path: string;
	createdAt: Date;
}

/** A post of the class, or undefined. */
export async function findPost(
	db: Executor,
	classId: number,
	postId: number
): Promise<FoundPost | undefined> {
	const r = await db
		.selectFrom('posts as p')
		.leftJoin('users as u', 'u.id', 'p.author_id')
		.select([
			'p.id',
			'p.class_id as classId',
			'p.thread_id as threadId',
			'p.parent_id as parentId',
			'p.author_id as authorId',
			'u.name as authorName',
			'p.body',
			'p.status',
			'p.status_reason as statusReason',
			'p.path',
			'p.created_at as createdAt'
		])
		.where('p.id', '=', postId)
		.where('p.class_id', '=', classId)
		.executeTakeFirst();
	return r ? { ...r, createdAt: new Date(r.createdAt) } : undefined;
}

export interface NewPost {
	body: string;
	parentId: number | null;
	actorId: number | null;
	concernId: number | null;
	/** The browser's key for this draft: the same key twice is one post. */
	clientKey: string | null;
}

export type PostResult =
	| { ok: true; postId: number; status: PostStatus; duplicate: boolean }
	| { ok: false; refusal: Refusal };

class Duplicate extends Error {}

/** Whether the actor (and concern) can tag a post of this class's course. */
async function checkTags(
	db: Executor,
	classId: number,
	actorId: number | null,
	concernId: number | null
): Promise<Refusal | undefined> {
	if (actorId === null && concernId === null) return undefined;
	if (actorId === null) {
		return { status: 400, field: 'actor', message: 'Choose the actor whose concern this is.' };
	}
	const row = await db
		.selectFrom('classes as k')
		.innerJoin('actors as a', (j) =>
			j.onRef('a.course_id', '=', 'k.course_id').on('a.id', '=', actorId)
		)
		.select((eb) => [
			'a.id',
			concernId === null
				? sql<boolean>`true`.as('concernOk')
				: eb
						.exists(
							eb
								.selectFrom('actor_concerns as ac')
								.select(sql`1`.as('x'))
								.where('ac.actor_id', '=', actorId)
								.where('ac.concern_id', '=', concernId)
						)
						.as('concernOk')
		])
		.where('k.id', '=', classId)
		.executeTakeFirst();
	if (!row) return { status: 400, field: 'actor', message: 'Choose one of the course’s actors.' };
	if (!row.concernOk) {
		return {
			status: 400,
			field: 'concern',
			message: 'Choose one of the concerns the article gives this actor.'
		};
	}
	return undefined;
}

async function existingByKey(
	db: Executor,
	authorId: number,
	clientKey: string
): Promise<{ id: number; status: PostStatus } | undefined> {
	return await db
		.selectFrom('posts')
		.select(['id', 'status'])
		.where('author_id', '=', authorId)
		.where('client_key', '=', clientKey)
		.executeTakeFirst();
}

/**
 * Writes a post in the thread (a reply when `parentId` is set), after every posting rule; held
 * for review when pre-moderation says so. Idempotent by `clientKey`: a retried or double-clicked
 * post returns the post already written.
 */
export async function createPost(
	db: Executor,
	thread: ThreadDetail,
	viewer: Viewer,
	input: NewPost,
	now: Date = new Date()
): Promise<PostResult> {
	if (input.clientKey) {
		const seen = await existingByKey(db, viewer.id, input.clientKey);
		if (seen) return { ok: true, postId: seen.id, status: seen.status, duplicate: true };
	}
	const checked = checkBody(input.body);
	if ('refusal' in checked) return { ok: false, refusal: checked.refusal };
	try {
		return await inTransaction(db, async (trx) => {
			const ctx = await readPostingContext(
				trx,
				thread.classId,
				thread.id,
				viewer,
				thread.assignmentId
			);
			const refused = refusePosting(thread, ctx, viewer, now);
			if (refused) return { ok: false, refusal: refused };
			if (
				!moderates(viewer) &&
				thread.prompt?.actorMode === 'assigned' &&
				ctx.assignedActorId !== null &&
				input.actorId !== null &&
				input.actorId !== ctx.assignedActorId
			) {
				return {
					ok: false,
					refusal: {
						status: 400,
						field: 'actor',
						message: 'This prompt asks you to argue for the actor your instructor gave you.'
					}
				};
			}
			const tags = await checkTags(trx, thread.classId, input.actorId, input.concernId);
			if (tags) return { ok: false, refusal: tags };
			let parentPath: string | null = null;
			if (input.parentId !== null) {
				const parent = await trx
					.selectFrom('posts')
					.select(['path', 'status', 'author_id'])
					.where('id', '=', input.parentId)
					.where('thread_id', '=', thread.id)
					.executeTakeFirst();
				const hiddenFromViewer =
					parent &&
					!moderates(viewer) &&
					(parent.status === 'hidden' ||
						parent.status === 'removed' ||
						(parent.status === 'pending' && parent.author_id !== viewer.id));
				if (!parent || hiddenFromViewer) {
					return {
						ok: false,
						refusal: { status: 409, message: 'The post you are replying to is no longer there.' }
					};
				}
				parentPath = parent.path;
			}
			const screened: Screened = await screenBody(trx, thread.classId, checked.body, viewer);
			if (screened.blocked) return { ok: false, refusal: screened.blocked };
			const allowance = await takePostingAllowance(trx, viewer.id, now);
			if (allowance) return { ok: false, refusal: allowance };

			const status: PostStatus =
				holdsForReview(ctx, viewer, now) || screened.hold ? 'pending' : 'visible';
			const reason = status === 'pending' ? (screened.holdReason ?? 'Pre-moderation') : null;
			const { rows } = await sql<{ id: number }>`
				with n as (select nextval(pg_get_serial_sequence('posts', 'id'))::int as id)
				insert into posts (id, class_id, thread_id, parent_id, path, depth, author_id, body,
					actor_id, concern_id, status, status_reason, client_key, created_at)
				select n.id, ${thread.classId}, ${thread.id}, ${input.parentId},
					${parentPath === null ? sql`''` : sql`${parentPath} || '.'`} || lpad(n.id::text, 10, '0'),
					${parentPath === null ? 0 : parentPath.split('.').length},
					${viewer.id}, ${screened.body}, ${input.actorId}, ${input.concernId},
					${status}, ${reason}, ${input.clientKey}, ${now}
				from n
				on conflict (author_id, client_key) where client_key is not null do nothing
				returning id`.execute(trx);
			if (!rows.length) throw new Duplicate();
			const postId = rows[0].id;
			if (status === 'visible') {
				await trx
					.updateTable('threads')
					.set({ last_post_at: now })
					.where('id', '=', thread.id)
					.execute();
				await notifyForPost(trx, { classId: thread.classId, threadId: thread.id, postId });
			}
			await recordEvent(trx, {
				classId: thread.classId,
				kind: 'post',
				threadId: thread.id,
				postId
			});
			return { ok: true, postId, status, duplicate: false };
		});
	} catch (e) {
		if (!(e instanceof Duplicate) || !input.clientKey) throw e;
		const seen = await existingByKey(db, viewer.id, input.clientKey);
		if (!seen) throw e;
		return { ok: true, postId: seen.id, status: seen.status, duplicate: true };
	}
}

/**
 * The author rewrites their post; the old text is kept as a revision for moderators. A hidden
 * post stays hidden, a held one stays held; a visible one is held again if a watched word says so.
 */
export async function editPost(
	db: Executor,
	classId: number,
	postId: number,
	viewer: Viewer,
	rawBody: string,
	now: Date = new Date()
): Promise<{ ok: true } | { ok: false; refusal: Refusal }> {
	const checked = checkBody(rawBody);
	if ('refusal' in checked) return { ok: false, refusal: checked.refusal };
	return await inTransaction(db, async (trx) => {
		const post = await trx
			.selectFrom('posts as p')
			.innerJoin('threads as t', 't.id', 'p.thread_id')
			.select(['p.id', 'p.body', 'p.status', 'p.author_id', 'p.thread_id', 't.locked_at'])
			.where('p.id', '=', postId)
			.where('p.class_id', '=', classId)
			.forUpdate('p')
			.executeTakeFirst();
		if (!post || post.author_id !== viewer.id) {
			return { ok: false, refusal: { status: 403, message: 'You can only edit your own posts.' } };
		}
		if (post.status === 'deleted' || post.status === 'removed') {
			return { ok: false, refusal: { status: 409, message: 'This post can no longer be edited.' } };
		}
		const ctx = await readPostingContext(trx, classId, null, viewer, null);
		const refused = refusePosting(null, ctx, viewer, now);
		if (refused) return { ok: false, refusal: refused };
		if (post.locked_at && !moderates(viewer)) {
			return {
				ok: false,
				refusal: { status: 403, message: 'This thread is locked: its posts cannot be edited.' }
			};
		}
		const screened = await screenBody(trx, classId, checked.body, viewer);
		if (screened.blocked) return { ok: false, refusal: screened.blocked };
		if (screened.body === post.body) return { ok: true };
		await trx
			.insertInto('post_revisions')
			.values({ post_id: postId, body: post.body, edited_by: viewer.id, edited_at: now })
			.execute();
		const holdAgain = post.status === 'visible' && screened.hold;
		await trx
			.updateTable('posts')
			.set({
				body: screened.body,
				edited_at: now,
				...(holdAgain ? { status: 'pending', status_reason: screened.holdReason } : {})
			})
			.where('id', '=', postId)
			.execute();
		await recordEvent(trx, { classId, kind: 'edit', threadId: post.thread_id, postId });
		return { ok: true };
	});
}

/** The author withdraws their post: its text goes from every page, "deleted" stays in the tree. */
export async function deleteOwnPost(
	db: Executor,
	classId: number,
	postId: number,
	viewer: Viewer
): Promise<boolean> {
	return await inTransaction(db, async (trx) => {
		const row = await trx
			.updateTable('posts')
			.set({ status: 'deleted' })
			.where('id', '=', postId)
			.where('class_id', '=', classId)
			.where('author_id', '=', viewer.id)
			.where('status', 'in', ['visible', 'pending', 'hidden'])
			.returning('thread_id')
			.executeTakeFirst();
		if (!row) return false;
		await recordEvent(trx, { classId, kind: 'edit', threadId: row.thread_id, postId });
		return true;
	});
}

/** Adds or takes back the viewer's upvote of a visible post not their own. */
export async function toggleVote(
	db: Executor,
	classId: number,
	postId: number,
	viewer: Viewer
): Promise<{ ok: true; voted: boolean } | { ok: false; refusal: Refusal }> {
	return await inTransaction(db, async (trx) => {
		const post = await trx
			.selectFrom('posts')
			.select(['author_id', 'status', 'thread_id'])
			.where('id', '=', postId)
			.where('class_id', '=', classId)
			.forUpdate()
			.executeTakeFirst();
		if (!post || post.status !== 'visible') {
			return { ok: false, refusal: { status: 409, message: 'This post cannot be voted on.' } };
		}
		if (post.author_id === viewer.id) {
			return { ok: false, refusal: { status: 403, message: 'You cannot upvote your own post.' } };
		}
		const removed = await trx
			.deleteFrom('post_votes')
			.where('post_id', '=', postId)
			.where('user_id', '=', viewer.id)
			.executeTakeFirst();
		const voted = Number(removed.numDeletedRows) === 0;
		if (voted)
			await trx.insertInto('post_votes').values({ post_id: postId, user_id: viewer.id }).execute();
		await trx
			.updateTable('posts')
			.set({ votes: sql`votes + ${voted ? 1 : -1}` })
			.where('id', '=', postId)
			.execute();
		await recordEvent(trx, { classId, kind: 'edit', threadId: post.thread_id, postId });
		return { ok: true, voted };
	});
}

export interface Revision {
	body: string;
	editedBy: string | null;
	editedAt: Date;
}

/** A post's earlier texts, newest first: for moderators. */
export async function postRevisions(db: Executor, postId: number): Promise<Revision[]> {
	const rows = await db
		.selectFrom('post_revisions as r')
		.leftJoin('users as u', 'u.id', 'r.edited_by')
		.select(['r.body', 'u.name as editedBy', 'r.edited_at as editedAt'])
		.where('r.post_id', '=', postId)
		.orderBy('r.id', 'desc')
		.execute();
	return rows.map((r) => ({ ...r, editedAt: new Date(r.editedAt) }));
}
