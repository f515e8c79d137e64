import { getDb } from '$lib/server/db';
import { unreadNotificationCount } from '$lib/server/discussion/notifications';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, depends }) => {
	const user = locals.user;
	if (!user) return { user: null, unreadNotifications: 0 };
	// The live stream invalidates this when a notification arrives.
	depends('app:notifications');
	let unread = 0;
	try {
		unread = await unreadNotificationCount(await getDb(), user.id);
	} catch {
		// The count is a nicety: a page that can be shown without the database still is.
	}
	return { user: { id: user.id, name: user.name, role: user.role }, unreadNotifications: unread };
};
