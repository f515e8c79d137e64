// The query-count pass: each scenario's requests sent one at a time to an app started with
// BENCH_QUERY_COUNT=1, reading the `x-query-count` header (src/lib/server/db/query-count.ts). One
// unrecorded request first (caches, first-use work), then `samples` recorded ones.
import { send } from './http.js';

export const QUERY_HEADER = 'x-query-count';

/** The median of numbers (the lower middle one for an even count). */
export function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
}

export async function countQueries(base, scenario, samples) {
	const counts = [];
	const failures = [];
	for (let i = 0; i <= samples; i++) {
		const r = await send(base, scenario.next());
		const good =
			scenario.accept(r.status, r.headers) &&
			(!scenario.expectBody || scenario.expectBody.test(r.body));
		if (!good) failures.push(`${r.status}${r.headers.location ? ` → ${r.headers.location}` : ''}`);
		const n = Number(r.headers[QUERY_HEADER]);
		if (i > 0 && good && Number.isFinite(n)) counts.push(n);
		if (!r.headers[QUERY_HEADER]) failures.push('no query count header (counting is off?)');
	}
	return {
		counts,
		median: median(counts),
		min: counts.length ? Math.min(...counts) : null,
		max: counts.length ? Math.max(...counts) : null,
		failures
	};
}
