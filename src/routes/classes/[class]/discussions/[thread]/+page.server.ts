import { error, redirect } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { getDb } from '$lib/server/db';
import { CLASS_MEMBERS, requireClass } from '$lib/server/web/guards';
import { refuseIfArchived } from '$lib/server/web/class-actions';
import { failure } from '$lib/server/web/forms';
import { parseId } from '$lib/validation/ids';
import { classThreadTitles, findThread, markThreadRead } from '$lib/server/discussion/threads';
import {
	createPost,
	deleteOwnPost,
	editPost,
	postRevisions,
	threadPostDetails,
	threadTree,
	toggleVote
} from '$lib/server/discussion/posts';
import { planThreadView, SORTS, type Sort } from '$lib/server/discussion/thread-view';
import { keptDiscussionChoices } from '$lib/server/discussion/choices';
import { readPostingContext, refusePosting } from '$lib/server/discussion/posting-rules';
import { renderPostBody } from '$lib/server/discussion/render';
import { postInput } from '$lib/server/discussion/post-form';
import { moderates, type Viewer } from '$lib/server/discussion/viewer';
import { answer, moderationActions } from '$lib/server/web/moderation-actions';
import { FLAG_REASONS } from '$lib/server/moderation/flags';
import { SLOW_MODE_CHOICES } from '$lib/server/moderation/threads';
import { quotePost } from '$lib/markdown/post';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

async function context(event: RequestEvent | Parameters<PageServerLoad>[0]) {
	const { user, cls, access, courseVersion } = await requireClass(event, CLASS_MEMBERS);
	const db = await getDb();
	const id = parseId(event.params.thread);
	const thread = id === null ? undefined : await findThread(db, cls.id, id, user.id);
	if (!thread) error(404, 'There is no such thread.');
	const viewer: Viewer = { id: user.id, name: user.name, access };
	const course = { id: cls.courseId, version: courseVersion };
	return { db, cls, access, thread, viewer, course };
}

export const load: PageServerLoad = async (event) => {
	const { db, cls, access, thread, viewer, course } = await context(event);
	event.depends(`discussion:thread:${thread.id}`);
	const url = event.url;
	const sortParam = url.searchParams.get('sort');
	const sort: Sort = SORTS.find((s) => s === sortParam) ?? 'oldest';
	// The tree without its text, then the text of the page's posts only: a 500-post thread's
	// page reads 30 bodies, not 500.
	const [rows, choices, posting] = await Promise.all([
		threadTree(db, cls.id, thread.id),
		keptDiscussionChoices(db, course),
		readPostingContext(db, cls.id, thread.id, viewer, thread.assignmentId)
	]);
	const { shownIds, fill, ...plan } = planThreadView(rows, thread, viewer, {
		sort,
		page: parseId(url.searchParams.get('page')) ?? 1,
		rootId: parseId(url.searchParams.get('root')),
		focusId: parseId(url.searchParams.get('post')),
		readAt: thread.readAt
	});
	const details = await threadPostDetails(db, thread.id, shownIds, viewer.id, {
		counts: moderates(viewer)
	});
	const view = { ...plan, posts: fill(details) };
	const render = (body: string) => renderPostBody(body, cls.courseSlug, choices.paragraphs);
	const historyOf = parseId(url.searchParams.get('history'));
	const history =
		historyOf !== null && moderates(viewer) && rows.some((r) => r.id === historyOf)
			? { postId: historyOf, revisions: await postRevisions(db, historyOf) }
			: null;
	const refusal = refusePosting(thread, posting, viewer);
	// Without JavaScript, Reply, Quote, Edit and Flag are links that open their form in place.
	const open = (name: string) => {
		const id = parseId(url.searchParams.get(name));
		return id !== null && view.posts.some((p) => p.id === id) ? id : null;
	};
	const quoteOf = open('quote');
	const quoted = quoteOf === null ? undefined : view.posts.find((p) => p.id === quoteOf);
	return {
		replyTo: open('reply') ?? quoteOf,
		quote: quoted?.body && quoted.status === 'visible' ? quotePost(quoted.body, quoted.author) : '',
		editing: open('edit'),
		flagging: open('flag'),
		moderating: moderates(viewer) ? open('moderate') : null,
		moveTargets: moderates(viewer) ? await classThreadTitles(db, cls.id) : [],
		flagReasons: FLAG_REASONS,
		slowModeChoices: SLOW_MODE_CHOICES,
		cls: { ...cls, joinCode: '' },
		access,
		moderator: moderates(viewer),
		thread: {
			id: thread.id,
			title: thread.title,
			anchor: thread.anchor,
			anchorLabel: thread.anchorLabel,
			paragraph: thread.paragraph,
			quote: thread.quote,
			lessonHref: thread.lessonSlug
				? `/courses/${cls.courseSlug}/lessons/${thread.lessonSlug}`
				: null,
			actorHref: thread.actorSlug ? `/courses/${cls.courseSlug}/actors/${thread.actorSlug}` : null,
			assignmentId: thread.assignmentId,
			dueAt: thread.dueAt,
			locked: thread.locked,
			pinned: thread.pinned,
			slowModeSeconds: thread.slowModeSeconds,
			prompt: thread.prompt
				? {
						html: thread.prompt.instructions ? render(thread.prompt.instructions) : '',
						postFirst: thread.prompt.postFirst,
						anonymous: thread.prompt.anonymous,
						actorMode: thread.prompt.actorMode
					}
				: null
		},
		posts: view.posts.map((p) => ({
			...p,
			html: p.body === null ? null : render(p.body),
			// The source goes to the page only for its author's edit form.
			body: p.mine && p.status !== 'deleted' ? p.body : null
		})),
		page: view.page,
		pages: view.pages,
		sort,
		root: view.root,
		unread: view.unread,
		firstUnread: view.firstUnread,
		waitingForOwnPost: view.waitingForOwnPost,
		voices: choices.actors.map((a) => ({
			id: a.id,
			name: a.name,
			shortName: a.shortName,
			posts: view.voices.get(a.id) ?? 0
		})),
		choices: { actors: choices.actors, paragraphs: choices.paragraphs },
		assignedActorId: posting.assignedActorId,
		cannotPost: refusal?.status === 403 ? refusal.message : null,
		latest: rows.reduce<Date | null>((m, r) => (!m || r.createdAt > m ? r.createdAt : m), null),
		history: history
			? {
					postId: history.postId,
					revisions: history.revisions.map((r) => ({ ...r, html: render(r.body) }))
				}
			: null,
		clientKey: randomUUID()
	};
};

export const actions: Actions = {
	reply: async (event) => {
		const { db, cls, thread, viewer } = await context(event);
		refuseIfArchived(cls);
		const form = await event.request.formData();
		const parentId = parseId(form.get('parent'));
		const result = await createPost(db, thread, viewer, { ...postInput(form), parentId });
		if (!result.ok) return answer('reply', parentId, result, form, '');
		redirect(
			303,
			`/classes/${cls.id}/discussions/${thread.id}?post=${result.postId}#post-${result.postId}`
		);
	},
	preview: async (event) => {
		const { db, cls, thread, course } = await context(event);
		const form = await event.request.formData();
		const parentId = parseId(form.get('parent'));
		const body = String(form.get('body') ?? '').slice(0, 20000);
		const choices = await keptDiscussionChoices(db, course);
		return {
			action: 'reply',
			item: parentId,
			preview: renderPostBody(body, cls.courseSlug, choices.paragraphs),
			values: Object.fromEntries(
				['body', 'voice', 'clientKey', 'parent'].map((k) => [k, String(form.get(k) ?? '')])
			),
			threadId: thread.id
		};
	},
	edit: async (event) => {
		const { db, cls, viewer } = await context(event);
		refuseIfArchived(cls);
		const form = await event.request.formData();
		const postId = parseId(form.get('post'));
		if (postId === null) error(400, 'Unknown post.');
		const result = await editPost(db, cls.id, postId, viewer, String(form.get('body') ?? ''));
		return answer('edit', postId, result, form, 'Your post is saved.');
	},
	delete: async (event) => {
		const { db, cls, viewer } = await context(event);
		refuseIfArchived(cls);
		const form = await event.request.formData();
		const postId = parseId(form.get('post'));
		if (postId === null || !(await deleteOwnPost(db, cls.id, postId, viewer))) {
			return failure(403, {
				action: 'delete',
				item: postId,
				message: 'You can only delete your own posts.'
			});
		}
		return { action: 'delete', item: postId, message: 'Your post is deleted.' };
	},
	vote: async (event) => {
		const { db, cls, viewer } = await context(event);
		refuseIfArchived(cls);
		const form = await event.request.formData();
		const postId = parseId(form.get('post'));
		if (postId === null) error(400, 'Unknown post.');
		const result = await toggleVote(db, cls.id, postId, viewer);
		return answer('vote', postId, result.ok ? { ok: true } : result, form, '');
	},
	read: async (event) => {
		const { db, thread, viewer } = await context(event);
		const form = await event.request.formData();
		const upTo = new Date(String(form.get('upTo') ?? ''));
		const now = new Date();
		await markThreadRead(
			db,
			thread.id,
			viewer.id,
			Number.isNaN(upTo.getTime()) || upTo > now ? now : upTo
		);
		return { action: 'read' };
	},
	...moderationActions
};
