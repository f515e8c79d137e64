import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { CLASS_MODERATION, requireClass } from '$lib/server/web/guards';
import { refuseIfArchived } from '$lib/server/web/class-actions';
import { failure } from '$lib/server/web/forms';
import { parseId } from '$lib/validation/ids';
import { memberHistories, moderationQueue } from '$lib/server/moderation/queue';
import { restrictMember, SILENCE_HOURS, type MemberAction } from '$lib/server/moderation/members';
import {
	addWatchedWord,
	readDiscussionSettings,
	removeWatchedWord,
	setPremoderation
} from '$lib/server/moderation/settings';
import { answer, moderationActions } from '$lib/server/web/moderation-actions';
import { renderPostBody } from '$lib/server/discussion/render';
import { keptDiscussionChoices } from '$lib/server/discussion/choices';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const { cls, access, courseVersion } = await requireClass(event, CLASS_MODERATION);
	const db = await getDb();
	// The queue and the members table are each read a page at a time (?page=, ?members=).
	const search = event.url.searchParams;
	const [queue, members, settings, choices] = await Promise.all([
		moderationQueue(db, cls.id, parseId(search.get('page')) ?? 1),
		memberHistories(db, cls.id, parseId(search.get('members')) ?? 1),
		readDiscussionSettings(db, cls.id),
		keptDiscussionChoices(db, { id: cls.courseId, version: courseVersion })
	]);
	// Without JavaScript, a member's Restrict link opens their form in place.
	const restrict = parseId(search.get('member'));
	return {
		cls: { ...cls, joinCode: '' },
		access,
		restricting: members.rows.some((m) => m.userId === restrict) ? restrict : null,
		queue: {
			...queue,
			rows: queue.rows.map(({ body, ...q }) => ({
				...q,
				html: renderPostBody(body, cls.courseSlug, choices.paragraphs)
			}))
		},
		members,
		settings,
		silenceHours: SILENCE_HOURS
	};
};

async function moderator(event: RequestEvent) {
	const { user, cls } = await requireClass(event, CLASS_MODERATION);
	refuseIfArchived(cls);
	return { cls, form: await event.request.formData(), mod: { id: user.id, name: user.name } };
}

const MEMBER_DONE: Record<MemberAction['kind'], string> = {
	silence: 'The member is silenced: they can read but not post.',
	unsilence: 'The member can post again.',
	premoderate: 'Every post of this member is now held for review.',
	unpremoderate: 'This member’s posts are no longer held for review.'
};

export const actions: Actions = {
	...moderationActions,
	member: async (event) => {
		const { cls, form, mod } = await moderator(event);
		const userId = parseId(form.get('user'));
		if (userId === null) error(400, 'Unknown member.');
		const kind = String(form.get('do') ?? '');
		const action: MemberAction | undefined =
			kind === 'silence'
				? { kind, hours: Number(form.get('hours') ?? '') }
				: kind === 'unsilence' || kind === 'premoderate' || kind === 'unpremoderate'
					? { kind }
					: undefined;
		if (!action) error(400, 'Unknown action.');
		const result = await restrictMember(
			await getDb(),
			cls.id,
			userId,
			mod,
			action,
			String(form.get('reason') ?? '')
		);
		return answer('member', userId, result, form, MEMBER_DONE[action.kind]);
	},
	premoderation: async (event) => {
		const { cls, form, mod } = await moderator(event);
		const result = await setPremoderation(
			await getDb(),
			cls.id,
			mod,
			String(form.get('premoderation') ?? ''),
			Number(String(form.get('days') ?? '7').trim() || '7')
		);
		return answer('premoderation', null, result, form, 'Pre-moderation is saved.');
	},
	addWord: async (event) => {
		const { cls, form, mod } = await moderator(event);
		const result = await addWatchedWord(await getDb(), cls.id, mod, {
			word: String(form.get('word') ?? ''),
			action: String(form.get('wordAction') ?? ''),
			replacement: String(form.get('replacement') ?? '')
		});
		return answer('addWord', null, result, form, 'The word is watched.');
	},
	removeWord: async (event) => {
		const { cls, form, mod } = await moderator(event);
		const id = parseId(form.get('word'));
		if (id === null || !(await removeWatchedWord(await getDb(), cls.id, mod, id))) {
			return failure(404, { action: 'removeWord', message: 'That word is not watched.' });
		}
		return { action: 'removeWord', message: 'The word is no longer watched.' };
	}
};
