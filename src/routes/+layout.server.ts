import { getDb } from '$lib/server/db';
import { unreadNotificationCount } from '$lib/server/discussion/notifications';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, depends }) => {
	const user = locals.user;
	if (!user) return { user: null, unreadNotifications: 0 };
	// The live stream invalidates this when a notification arrives.
	depends('app:notifications');
	// A GET counted them with the session (hooks.server.ts); after a form action, which may have
	// just marked some read, they are counted here.
	const unread = locals.unreadNotifications ?? (await countUnread(user.id));
	return { user: { id: user.id, name: user.name, role: user.role }, unreadNotifications: unread };
};

async function countUnread(userId: number): Promise<number> {
	try {
		return await unreadNotificationCount(await getDb(), userId);
	} catch {
		// The count is a nicety: a page that can be shown without the database still is.
		return 0;
	}
}
