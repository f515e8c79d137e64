import { databaseAnswers } from '$lib/server/db/index';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	if (await databaseAnswers())
		return new Response('ok\n', {
			headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' }
		});
	return new Response('database unreachable\n', {
		status: 503,
		headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' }
	});
};
