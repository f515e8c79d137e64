/**
 * The form actions on posts and threads that the thread page and the moderation queue share:
 * flag (any member), and for the class's moderators approve, hide, remove, restore, dismiss flags,
 * move, lock, pin and slow mode. Each checks the role on the server, whatever the page showed.
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import { getDb } from '../db/index.ts';
import { CLASS_MEMBERS, CLASS_MODERATION, requireClass } from './guards.ts';
import { refuseIfArchived } from './class-actions.ts';
import { failure } from './forms.ts';
import { parseId } from '../../validation/ids.ts';
import { dismissFlags, moderatePost, movePost, type PostAction } from '../moderation/posts.ts';
import { moderateThread, type ThreadAction } from '../moderation/threads.ts';
import { flagPost } from '../moderation/flags.ts';
import type { Refusal } from '../discussion/posting-rules.ts';

type Result = { ok: true } | { ok: false; refusal: Refusal };

/**
 * A discussion action's answer: `done` as its message, or the refusal as a failure next to its
 * field (or for the whole form), with what was typed.
 */
export function answer(
	action: string,
	item: number | null,
	result: Result,
	form: FormData,
	done: string
) {
	if (result.ok) return { action, item, message: done };
	const { status, field, message } = result.refusal;
	return failure(status, {
		action,
		item,
		errors: field ? { [field]: message } : {},
		message: field ? undefined : message,
		values: form
	});
}

async function moderator(event: RequestEvent) {
	const { user, cls } = await requireClass(event, CLASS_MODERATION);
	refuseIfArchived(cls);
	const form = await event.request.formData();
	return { cls, form, mod: { id: user.id, name: user.name } };
}

function postIdOf(form: FormData): number {
	const id = parseId(form.get('post'));
	if (id === null) error(400, 'Unknown post.');
	return id;
}

const DONE: Record<PostAction, string> = {
	approve: 'The post is approved and visible to the class.',
	hide: 'The post is hidden; its author is told why.',
	remove: 'The post is removed; its author is told why.',
	restore: 'The post is restored.'
};

function postAction(action: PostAction) {
	return async (event: RequestEvent) => {
		const { cls, form, mod } = await moderator(event);
		const postId = postIdOf(form);
		const result = await moderatePost(
			await getDb(),
			cls.id,
			postId,
			mod,
			action,
			String(form.get('reason') ?? '')
		);
		return answer(action, postId, result, form, DONE[action]);
	};
}

const THREAD_DONE: Record<ThreadAction, string> = {
	lock: 'The thread is locked: nobody but moderators can post in it.',
	unlock: 'The thread is open for replies again.',
	pin: 'The thread is pinned to the top of the list.',
	unpin: 'The thread is no longer pinned.'
};

function threadAction(action: ThreadAction) {
	return async (event: RequestEvent) => {
		const { cls, form, mod } = await moderator(event);
		const threadId = parseId(form.get('thread')) ?? parseId(event.params.thread);
		if (threadId === null) error(400, 'Unknown thread.');
		const result = await moderateThread(await getDb(), cls.id, threadId, mod, action);
		return answer(action, threadId, result, form, THREAD_DONE[action]);
	};
}

export const moderationActions = {
	approve: postAction('approve'),
	hide: postAction('hide'),
	remove: postAction('remove'),
	restore: postAction('restore'),
	dismiss: async (event: RequestEvent) => {
		const { cls, form, mod } = await moderator(event);
		const postId = postIdOf(form);
		const result = await dismissFlags(
			await getDb(),
			cls.id,
			postId,
			mod,
			String(form.get('reason') ?? '')
		);
		return answer('dismiss', postId, result, form, 'The flags are dismissed.');
	},
	move: async (event: RequestEvent) => {
		const { cls, form, mod } = await moderator(event);
		const postId = postIdOf(form);
		const target = parseId(form.get('target'));
		const result = await movePost(
			await getDb(),
			cls.id,
			postId,
			target ?? 0,
			mod,
			String(form.get('reason') ?? '')
		);
		return answer('move', postId, result, form, 'The post and its replies are moved.');
	},
	lock: threadAction('lock'),
	unlock: threadAction('unlock'),
	pin: threadAction('pin'),
	unpin: threadAction('unpin'),
	slow: async (event: RequestEvent) => {
		const { cls, form, mod } = await moderator(event);
		const threadId = parseId(event.params.thread);
		if (threadId === null) error(400, 'Unknown thread.');
		const seconds = Number(String(form.get('seconds') ?? ''));
		const result = await moderateThread(await getDb(), cls.id, threadId, mod, {
			slowModeSeconds: seconds
		});
		return answer(
			'slow',
			threadId,
			result,
			form,
			seconds ? 'Slow mode is on.' : 'Slow mode is off.'
		);
	},
	flag: async (event: RequestEvent) => {
		const { user, cls, access } = await requireClass(event, CLASS_MEMBERS);
		refuseIfArchived(cls);
		const form = await event.request.formData();
		const postId = postIdOf(form);
		const result = await flagPost(
			await getDb(),
			cls.id,
			postId,
			{ id: user.id, name: user.name, access },
			{ reason: String(form.get('reason') ?? ''), note: String(form.get('note') ?? '') }
		);
		return answer('flag', postId, result, form, 'Thank you: the moderators will look at it.');
	}
};
