/**
 * Starting a thread: general, or on a lesson, an actor or a paragraph of the class's course (the
 * paragraph's text is quoted as it reads today), with its first post, in one transaction. The
 * first post's key makes a double-clicked "Start" one thread.
 */
import { inTransaction, type Executor } from '../db/index.ts';
import type { ThreadAnchor } from '../db/types.ts';
import { recordEvent } from './events.ts';
import { checkTitle, readPostingContext, refusePosting, type Refusal } from './posting-rules.ts';
import { createPost, type NewPost } from './posts.ts';
import { findThread } from './threads.ts';
import type { Viewer } from './viewer.ts';

export interface NewThread extends NewPost {
	title: string;
	anchor: Exclude<ThreadAnchor, 'prompt'>;
	lessonId: number | null;
	/** The actor the thread is about (the post's own `actorId` is the voice it speaks in). */
	anchorActorId: number | null;
	paragraph: number | null;
}

class Undo extends Error {
	constructor(readonly result: StartResult) {
		super('undo');
	}
}

export type StartResult = { ok: true; threadId: number } | { ok: false; refusal: Refusal };

/** Whether the anchor names something of the class's course; the paragraph's text for a quote. */
async function checkAnchor(
	db: Executor,
	classId: number,
	input: NewThread
): Promise<{ quote: string | null } | { refusal: Refusal }> {
	const course = db.selectFrom('classes').select('course_id').where('id', '=', classId);
	if (input.anchor === 'lesson') {
		const found = await db
			.selectFrom('lessons')
			.select('id')
			.where('id', '=', input.lessonId ?? 0)
			.where('course_id', '=', course)
			.executeTakeFirst();
		if (!found)
			return {
				refusal: { status: 400, field: 'lesson', message: 'Choose a lesson of this course.' }
			};
	} else if (input.anchor === 'actor') {
		const found = await db
			.selectFrom('actors')
			.select('id')
			.where('id', '=', input.anchorActorId ?? 0)
			.where('course_id', '=', course)
			.executeTakeFirst();
		if (!found)
			return {
				refusal: { status: 400, field: 'anchorActor', message: 'Choose an actor of this course.' }
			};
	} else if (input.anchor === 'paragraph') {
		const found = await db
			.selectFrom('article_paragraphs')
			.select('body')
			.where('number', '=', input.paragraph ?? 0)
			.where('course_id', '=', course)
			.executeTakeFirst();
		if (!found) {
			return {
				refusal: { status: 400, field: 'paragraph', message: 'The article has no such paragraph.' }
			};
		}
		return { quote: found.body };
	}
	return { quote: null };
}

export async function startThread(
	db: Executor,
	classId: number,
	viewer: Viewer,
	input: NewThread
): Promise<StartResult> {
	const title = checkTitle(input.title);
	if ('refusal' in title) return { ok: false, refusal: title.refusal };
	if (input.clientKey) {
		const seen = await db
			.selectFrom('posts')
			.select('thread_id')
			.where('author_id', '=', viewer.id)
			.where('client_key', '=', input.clientKey)
			.executeTakeFirst();
		if (seen) return { ok: true, threadId: seen.thread_id };
	}
	const anchor = await checkAnchor(db, classId, input);
	if ('refusal' in anchor) return { ok: false, refusal: anchor.refusal };
	const ctx = await readPostingContext(db, classId, null, viewer, null);
	const refused = refusePosting(null, ctx, viewer);
	if (refused) return { ok: false, refusal: refused };
	try {
		return await inTransaction(db, async (trx) => {
			const row = await trx
				.insertInto('threads')
				.values({
					class_id: classId,
					title: title.title,
					anchor: input.anchor,
					lesson_id: input.anchor === 'lesson' ? input.lessonId : null,
					actor_id: input.anchor === 'actor' ? input.anchorActorId : null,
					paragraph: input.anchor === 'paragraph' ? input.paragraph : null,
					quote: anchor.quote,
					created_by: viewer.id
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			const thread = await findThread(trx, classId, row.id);
			if (!thread) throw new Error('the thread just started is gone');
			const post = await createPost(trx, thread, viewer, input);
			if (!post.ok) throw new Undo(post);
			if (post.duplicate) {
				const other = await trx
					.selectFrom('posts')
					.select('thread_id')
					.where('id', '=', post.postId)
					.executeTakeFirstOrThrow();
				throw new Undo({ ok: true, threadId: other.thread_id });
			}
			await recordEvent(trx, { classId, kind: 'thread', threadId: row.id });
			return { ok: true, threadId: row.id } as const;
		});
	} catch (e) {
		if (e instanceof Undo) return e.result;
		throw e;
	}
}
