import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/db/index';
import { discussionHub } from '$lib/server/discussion/live/hub';
import { openDiscussionStream, readLastEventId } from '$lib/server/discussion/live/stream';
import { CLASS_MEMBERS, requireClass } from '$lib/server/web/guards';

// The class's live discussion events (Server-Sent Events). Membership is checked when the stream
// opens; losing it later closes the stream (classes.removeMember notifies every instance).
export const GET: RequestHandler = async (event) => {
	const { user, cls } = await requireClass(event, CLASS_MEMBERS);
	return openDiscussionStream(discussionHub(await getDatabase()), {
		classId: cls.id,
		userId: user.id,
		lastEventId: readLastEventId(event.request, event.url)
	});
};
