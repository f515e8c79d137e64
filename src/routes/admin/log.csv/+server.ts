import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/web/guards';
import { logCsvResponse } from '$lib/server/web/log-filters';
import type { RequestHandler } from './$types';

/** The administrators' log of account actions as CSV, under the same filters as the page. */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'admin');
	return logCsvResponse(await getDb(), event.url, {
		classId: null,
		timeZone: 'UTC',
		filename: 'account-log.csv'
	});
};
