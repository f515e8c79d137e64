import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireUser } from '$lib/server/web/guards';
import { parseId } from '$lib/validation/ids';
import {
	findNotification,
	listNotifications,
	markNotificationsRead
} from '$lib/server/discussion/notifications';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.depends('app:notifications');
	return { notifications: await listNotifications(await getDb(), user.id) };
};

export const actions: Actions = {
	open: async (event) => {
		const user = requireUser(event);
		const id = parseId((await event.request.formData()).get('id'));
		const db = await getDb();
		const n = id === null ? undefined : await findNotification(db, user.id, id);
		if (!n) return { message: 'That notification is gone.' };
		await markNotificationsRead(db, user.id, n.id);
		redirect(
			303,
			n.threadId
				? `/classes/${n.classId}/discussions/${n.threadId}${n.postId ? `?post=${n.postId}#post-${n.postId}` : ''}`
				: `/classes/${n.classId}/discussions`
		);
	},
	readAll: async (event) => {
		const user = requireUser(event);
		await markNotificationsRead(await getDb(), user.id);
		return { message: 'All caught up.' };
	}
};
