import { redirect } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { getDb } from '$lib/server/db';
import { CLASS_MEMBERS, requireClass } from '$lib/server/web/guards';
import { refuseIfArchived } from '$lib/server/web/class-actions';
import { failure } from '$lib/server/web/forms';
import { parseId } from '$lib/validation/ids';
import { listThreads } from '$lib/server/discussion/threads';
import { searchPosts } from '$lib/server/discussion/search';
import { keptDiscussionChoices } from '$lib/server/discussion/choices';
import { startThread } from '$lib/server/discussion/start-thread';
import { postInput } from '$lib/server/discussion/post-form';
import type { Actions, PageServerLoad } from './$types';

const ANCHORS = ['general', 'lesson', 'actor', 'paragraph'] as const;
type Anchor = (typeof ANCHORS)[number];

function anchorOf(raw: string | null): Anchor | undefined {
	return ANCHORS.find((a) => a === raw);
}

export const load: PageServerLoad = async (event) => {
	const { user, cls, access, courseVersion } = await requireClass(event, CLASS_MEMBERS);
	const db = await getDb();
	event.depends(`discussion:class:${cls.id}`);
	const viewer = { id: user.id, name: user.name, access };
	const url = event.url;
	const q = (url.searchParams.get('q') ?? '').slice(0, 200);
	const page = parseId(url.searchParams.get('page')) ?? 1;
	const filter = {
		anchor: anchorOf(url.searchParams.get('anchor')),
		lessonId: parseId(url.searchParams.get('lesson')) ?? undefined,
		actorId: parseId(url.searchParams.get('actor')) ?? undefined,
		paragraph: parseId(url.searchParams.get('paragraph')) ?? undefined
	};
	const [list, hits, choices] = await Promise.all([
		listThreads(db, cls.id, viewer, { ...filter, page }),
		q.trim() ? searchPosts(db, cls.id, viewer, q) : Promise.resolve(null),
		keptDiscussionChoices(db, { id: cls.courseId, version: courseVersion })
	]);
	// "Discuss this paragraph" from the reader opens the form on that paragraph.
	const start = url.searchParams.get('start');
	return {
		cls: { ...cls, joinCode: '' },
		access,
		threads: list.threads,
		page,
		more: list.more,
		filter,
		q,
		hits,
		choices,
		start: start === 'paragraph' || start === 'lesson' || start === 'actor' ? start : null,
		clientKey: randomUUID()
	};
};

export const actions: Actions = {
	start: async (event) => {
		const { user, cls, access } = await requireClass(event, CLASS_MEMBERS);
		refuseIfArchived(cls);
		const form = await event.request.formData();
		const anchor = anchorOf(String(form.get('anchor') ?? 'general'));
		if (!anchor) {
			return failure(400, {
				action: 'start',
				errors: { anchor: 'Choose what the thread is about.' },
				values: form
			});
		}
		const post = postInput(form);
		const result = await startThread(
			await getDb(),
			cls.id,
			{ id: user.id, name: user.name, access },
			{
				...post,
				parentId: null,
				title: String(form.get('title') ?? ''),
				anchor,
				lessonId: parseId(form.get('lesson')),
				anchorActorId: parseId(form.get('anchorActor')),
				paragraph: parseId(form.get('paragraph'))
			}
		);
		if (!result.ok) {
			const { status, field, message } = result.refusal;
			return failure(status, {
				action: 'start',
				errors: field ? { [field]: message } : {},
				message: field ? undefined : message,
				values: form
			});
		}
		redirect(303, `/classes/${cls.id}/discussions/${result.threadId}`);
	}
};
