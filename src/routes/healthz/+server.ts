import { sql } from 'kysely';
import { getDb } from '$lib/server/db/index';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	try {
		await sql`select 1`.execute(await getDb());
		return new Response('ok\n', {
			headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' }
		});
	} catch {
		return new Response('database unreachable\n', {
			status: 503,
			headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' }
		});
	}
};
