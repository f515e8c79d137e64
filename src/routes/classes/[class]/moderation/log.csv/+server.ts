import { getDb } from '$lib/server/db';
import { CLASS_MODERATION, requireClass } from '$lib/server/web/guards';
import { logCsvResponse } from '$lib/server/web/log-filters';
import type { RequestHandler } from './$types';

/** The class's audit log as CSV, under the same filters as the page. */
export const GET: RequestHandler = async (event) => {
	const { cls } = await requireClass(event, CLASS_MODERATION);
	return logCsvResponse(await getDb(), event.url, {
		classId: cls.id,
		timeZone: cls.timeZone,
		filename: `moderation-log-${cls.id}.csv`
	});
};
