/**
 * Counting SQL statements per request, for the bench only (`npm run bench`). Off unless the
 * process starts with BENCH_QUERY_COUNT=1: then Kysely is given a `log` callback (connect.ts) that
 * adds one to the counter of the request it runs in (an AsyncLocalStorage store opened by the
 * hook in hooks.server.ts) and to process-wide totals. When off, Kysely gets no callback and the
 * hook is not in the chain, so nothing is paid for it.
 *
 * What counts: every statement Kysely sends, `begin`/`commit` of a transaction included (each is a
 * round trip). Queries made outside any request (the periodic jobs, the live hub woken by a
 * notification that no request is waiting on) count in `background`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface QueryCounter {
	n: number;
}

export interface QueryTotals {
	/** Statements run inside a request's store (pages, actions, open SSE streams). */
	inRequests: number;
	/** Statements run outside every request (periodic jobs and other timers). */
	background: number;
}

export const QUERY_COUNT_HEADER = 'x-query-count';

export function queryCountingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
	return env.BENCH_QUERY_COUNT === '1';
}

const storage = new AsyncLocalStorage<QueryCounter>();
const totals: QueryTotals = { inRequests: 0, background: 0 };

/** The Kysely `log` callback: one call per statement executed (or failed). */
export function countQueryEvent(): void {
	const counter = storage.getStore();
	if (counter) {
		counter.n += 1;
		totals.inRequests += 1;
	} else {
		totals.background += 1;
	}
}

/** Runs `fn` with a fresh counter; every statement run in its async context is counted there. */
export function withQueryCounter<T>(fn: () => T): { counter: QueryCounter; result: T } {
	const counter: QueryCounter = { n: 0 };
	const result = storage.run(counter, fn);
	return { counter, result };
}

/** A copy of the process-wide totals since start. */
export function queryTotals(): QueryTotals {
	return { ...totals };
}
