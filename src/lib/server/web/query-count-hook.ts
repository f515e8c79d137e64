/**
 * The bench's view of SQL per request (db/query-count.ts), in the hook chain only when the
 * process was started with BENCH_QUERY_COUNT=1:
 * - every response carries `x-query-count`: the statements its request ran before the response
 *   was handed back (a streamed body's later queries are not in it);
 * - `GET /__bench/queries` answers the process-wide totals, so the bench can watch a window in
 *   which nothing should run (idle live-discussion readers).
 */
import type { Handle } from '@sveltejs/kit';
import { QUERY_COUNT_HEADER, queryTotals, withQueryCounter } from '../db/query-count.ts';

export const BENCH_QUERIES_PATH = '/__bench/queries';

export const countQueries: Handle = async ({ event, resolve }) => {
	if (event.url.pathname === BENCH_QUERIES_PATH) {
		return Response.json(queryTotals(), { headers: { 'cache-control': 'no-store' } });
	}
	const { counter, result } = withQueryCounter(() => resolve(event));
	const response = await result;
	response.headers.set(QUERY_COUNT_HEADER, String(counter.n));
	return response;
};
