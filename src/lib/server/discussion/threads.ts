/**
 * A class's threads: general, or anchored to a lesson, an actor, an article paragraph (quoting it)
 * or a discussion prompt (an assignment). Listing them is one query, with each thread's counts and
 * what the viewer has not read yet.
 */
import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import type { ThreadAnchor } from '../db/types.ts';
import { moderates, type Viewer } from './viewer.ts';

export interface ThreadSummary {
	id: number;
	title: string;
	anchor: ThreadAnchor;
	anchorLabel: string | null;
	paragraph: number | null;
	assignmentId: number | null;
	dueAt: Date | null;
	startedBy: string | null;
	createdAt: Date;
	lastPostAt: Date;
	locked: boolean;
	pinned: boolean;
	/** Posts the viewer can see (placeholders included). */
	posts: number;
	unread: number;
	/** Held for review: counted for moderators only. */
	pending: number;
}

export interface ThreadDetail extends ThreadSummary {
	classId: number;
	lessonId: number | null;
	lessonSlug: string | null;
	actorId: number | null;
	actorSlug: string | null;
	quote: string | null;
	slowModeSeconds: number;
	createdBy: number | null;
	/** The prompt's own settings (prompt threads only). */
	prompt: {
		instructions: string;
		opensAt: Date | null;
		postFirst: boolean;
		anonymous: boolean;
		actorMode: 'none' | 'assigned' | 'choose';
	} | null;
}

export const THREADS_PER_PAGE = 30;

function threadColumns(db: Executor) {
	return db
		.selectFrom('threads as t')
		.leftJoin('lessons as l', 'l.id', 't.lesson_id')
		.leftJoin('actors as ac', 'ac.id', 't.actor_id')
		.leftJoin('assignments as asg', 'asg.id', 't.assignment_id')
		.leftJoin('users as starter', 'starter.id', 't.created_by')
		.select([
			't.id',
			't.class_id as classId',
			't.title',
			't.anchor',
			't.paragraph',
			't.quote',
			't.assignment_id as assignmentId',
			't.lesson_id as lessonId',
			'l.slug as lessonSlug',
			'l.title as lessonTitle',
			't.actor_id as actorId',
			'ac.slug as actorSlug',
			'ac.name as actorName',
			'asg.due_at as dueAt',
			'asg.opens_at as opensAt',
			'asg.instructions',
			'asg.post_first as postFirst',
			'asg.anonymous',
			'asg.actor_mode as actorMode',
			'starter.name as startedBy',
			't.created_by as createdBy',
			't.created_at as createdAt',
			't.last_post_at as lastPostAt',
			sql<boolean>`t.locked_at is not null`.as('locked'),
			sql<boolean>`t.pinned_at is not null`.as('pinned'),
			't.slow_mode_seconds as slowModeSeconds'
		]);
}

type ThreadRow = Awaited<ReturnType<ReturnType<typeof threadColumns>['execute']>>[number];

function anchorLabel(r: ThreadRow): string | null {
	if (r.anchor === 'lesson') return r.lessonTitle ? `Lesson: ${r.lessonTitle}` : null;
	if (r.anchor === 'actor') return r.actorName ? `Actor: ${r.actorName}` : null;
	if (r.anchor === 'paragraph') return `Paragraph ${r.paragraph}`;
	if (r.anchor === 'prompt') return 'Discussion prompt';
	return null;
}

function summary(r: ThreadRow, counts: { posts: number; unread: number; pending: number }) {
	return {
		id: r.id,
		title: r.title,
		anchor: r.anchor,
		anchorLabel: anchorLabel(r),
		paragraph: r.paragraph,
		assignmentId: r.assignmentId,
		dueAt: r.dueAt ? new Date(r.dueAt) : null,
		startedBy: r.anchor === 'prompt' || r.anonymous ? null : r.startedBy,
		createdAt: new Date(r.createdAt),
		lastPostAt: new Date(r.lastPostAt),
		locked: r.locked,
		pinned: r.pinned,
		...counts
	};
}

export interface ThreadFilter {
	anchor?: ThreadAnchor;
	lessonId?: number;
	actorId?: number;
	paragraph?: number;
}

/**
 * The class's threads, pinned first then by latest post, a page at a time; one query. A student
 * sees a thread once it has a post they can see (or it is a prompt, or theirs).
 */
export async function listThreads(
	db: Executor,
	classId: number,
	viewer: Viewer,
	opts: ThreadFilter & { page?: number } = {}
): Promise<{ threads: ThreadSummary[]; more: boolean }> {
	const mod = moderates(viewer);
	const page = Math.max(1, opts.page ?? 1);
	let q = threadColumns(db)
		.leftJoin('thread_reads as tr', (j) =>
			j.onRef('tr.thread_id', '=', 't.id').on('tr.user_id', '=', viewer.id)
		)
		.select((eb) => [
			eb
				.selectFrom('posts as p')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('p.thread_id', '=', 't.id')
				.where((w) =>
					mod
						? w('p.status', '!=', 'pending')
						: w.or([w('p.status', '!=', 'pending'), w('p.author_id', '=', viewer.id)])
				)
				.as('posts'),
			eb
				.selectFrom('posts as p')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('p.thread_id', '=', 't.id')
				.where('p.status', '=', 'visible')
				.where((w) => w.or([w('p.author_id', 'is', null), w('p.author_id', '!=', viewer.id)]))
				.where((w) =>
					w.or([w('tr.read_at', 'is', null), w('p.created_at', '>', w.ref('tr.read_at'))])
				)
				.as('unread'),
			mod
				? eb
						.selectFrom('posts as p')
						.select((e) => e.fn.countAll<number>().as('n'))
						.whereRef('p.thread_id', '=', 't.id')
						.where('p.status', '=', 'pending')
						.as('pending')
				: sql<number>`0`.as('pending')
		])
		.where('t.class_id', '=', classId);
	if (opts.anchor) q = q.where('t.anchor', '=', opts.anchor);
	if (opts.lessonId) q = q.where('t.lesson_id', '=', opts.lessonId);
	if (opts.actorId) q = q.where('t.actor_id', '=', opts.actorId);
	if (opts.paragraph) q = q.where('t.paragraph', '=', opts.paragraph);
	if (!mod) {
		q = q.where((w) =>
			w.or([
				w('t.anchor', '=', 'prompt'),
				w('t.created_by', '=', viewer.id),
				w.exists(
					w
						.selectFrom('posts as p')
						.select(sql`1`.as('x'))
						.whereRef('p.thread_id', '=', 't.id')
						.where('p.status', '!=', 'pending')
				)
			])
		);
	}
	const rows = await q
		.orderBy(sql`t.pinned_at is null`)
		.orderBy('t.last_post_at', 'desc')
		.orderBy('t.id', 'desc')
		.limit(THREADS_PER_PAGE + 1)
		.offset((page - 1) * THREADS_PER_PAGE)
		.execute();
	return {
		threads: rows.slice(0, THREADS_PER_PAGE).map((r) =>
			summary(r, {
				posts: Number(r.posts ?? 0),
				unread: Number(r.unread ?? 0),
				pending: Number(r.pending ?? 0)
			})
		),
		more: rows.length > THREADS_PER_PAGE
	};
}

/**
 * One thread of the class, or undefined (another class's thread is not found either). With
 * `readerId`, in the same statement, how far that reader has read it (`readAt`, null when never
 * or when not asked).
 */
export async function findThread(
	db: Executor,
	classId: number,
	threadId: number,
	readerId?: number
): Promise<(ThreadDetail & { readAt: Date | null }) | undefined> {
	const r = await threadColumns(db)
		.select(
			(readerId === undefined
				? sql<Date | null>`null`
				: sql<Date | null>`(select tr.read_at from thread_reads tr
						where tr.thread_id = t.id and tr.user_id = ${readerId})`
			).as('readAt')
		)
		.where('t.id', '=', threadId)
		.where('t.class_id', '=', classId)
		.executeTakeFirst();
	if (!r) return undefined;
	return {
		readAt: r.readAt ? new Date(r.readAt) : null,
		...summary(r, { posts: 0, unread: 0, pending: 0 }),
		classId: r.classId,
		lessonId: r.lessonId,
		lessonSlug: r.lessonSlug,
		actorId: r.actorId,
		actorSlug: r.actorSlug,
		quote: r.quote,
		slowModeSeconds: r.slowModeSeconds,
		createdBy: r.createdBy,
		prompt:
			r.anchor === 'prompt'
				? {
						instructions: r.instructions ?? '',
						opensAt: r.opensAt ? new Date(r.opensAt) : null,
						postFirst: r.postFirst ?? false,
						anonymous: r.anonymous ?? false,
						actorMode: r.actorMode ?? 'none'
					}
				: null
	};
}

/**
 * For the reader: how many threads of the class discuss each paragraph, and their posts visible to
 * everyone. One query.
 */
export async function paragraphDiscussionCounts(
	db: Executor,
	classId: number
): Promise<Map<number, { threads: number; firstThreadId: number }>> {
	const rows = await db
		.selectFrom('threads as t')
		.select((eb) => [
			't.paragraph',
			eb.fn.countAll<number>().as('threads'),
			eb.fn.min('t.id').as('firstThreadId')
		])
		.where('t.class_id', '=', classId)
		.where('t.paragraph', 'is not', null)
		.where((w) =>
			w.exists(
				w
					.selectFrom('posts as p')
					.select(sql`1`.as('x'))
					.whereRef('p.thread_id', '=', 't.id')
					.where('p.status', '=', 'visible')
			)
		)
		.groupBy('t.paragraph')
		.execute();
	return new Map(
		rows.map((r) => [
			Number(r.paragraph),
			{ threads: Number(r.threads), firstThreadId: Number(r.firstThreadId) }
		])
	);
}

/** Records that the viewer has read the thread up to `upTo` (never moves back). */
export async function markThreadRead(
	db: Executor,
	threadId: number,
	userId: number,
	upTo: Date = new Date()
): Promise<void> {
	await db
		.insertInto('thread_reads')
		.values({ thread_id: threadId, user_id: userId, read_at: upTo })
		.onConflict((oc) =>
			oc.columns(['thread_id', 'user_id']).doUpdateSet({
				read_at: sql`greatest(thread_reads.read_at, excluded.read_at)`
			})
		)
		.execute();
}

/** Every thread of the class by title: where a moderator can move a post to. */
export async function classThreadTitles(
	db: Executor,
	classId: number
): Promise<{ id: number; title: string }[]> {
	return await db
		.selectFrom('threads')
		.select(['id', 'title'])
		.where('class_id', '=', classId)
		.orderBy('last_post_at', 'desc')
		.limit(500)
		.execute();
}
