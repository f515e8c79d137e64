import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/web/guards';
import { logPageData } from '$lib/server/web/log-filters';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return await logPageData(await getDb(), event.url, {
		classId: null,
		timeZone: 'UTC',
		path: '/admin/log'
	});
};
