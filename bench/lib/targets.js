// The targets of issue 10, checked against one run's results. Each miss is one line saying what
// missed and by how much. In --quick mode the ratio, latency, weight and memory targets only warn
// (a CI machine is noisy and the data is small); errors and query counts that grow with the data
// stay fatal.
export const P99_LIMIT_MS = 250;
export const JS_LIMIT_BYTES = 60 * 1024;
export const IDLE_READERS_MB = 200;

/**
 * @typedef {{ connections: number, seconds: number, requests: number, rps: number, p50: number,
 *   p99: number, errors: number, socketErrors: number, timeouts: number,
 *   badStatuses: Record<string, number>, skipped?: string }} Load (a skipped one has only `skipped`)
 * @typedef {{ name: string, label: string, kind: string, ratioTarget?: number | null,
 *   ratio?: number, load?: Load, weight?: { jsGzip: number } | null,
 *   queries?: { failures: string[] } | null }} ScenarioResult
 * @typedef {{ streams: number, ready: number, stillOpen: number, idleQueries: number,
 *   rssGrowthMB: number | null, notReady: Record<string, number>, skipped?: string }} IdleResult
 * @typedef {{ level: 'fail' | 'warn', line: string }} Check
 */

/**
 * @param {{ scenarios: ScenarioResult[], growth?: { label: string, small: number | null,
 *   large: number | null }[], idle?: IdleResult | null }} results
 * @param {{ quick: boolean }} options
 * @returns {Check[]}
 */
export function checkTargets(results, { quick }) {
	/** @type {'fail' | 'warn'} */
	const soft = quick ? 'warn' : 'fail';
	/** @type {Check[]} */
	const out = [];
	/** @param {'fail' | 'warn'} level @param {string} line */
	const miss = (level, line) => out.push({ level, line });
	for (const s of results.scenarios) {
		const l = s.load;
		if (!l || l.skipped) {
			if (l?.skipped) miss('fail', `${s.label}: not measured (${l.skipped})`);
			continue;
		}
		if (l.requests === 0) {
			miss(
				'fail',
				`${s.label}: no request completed in ${l.seconds} s (answers slower than the run)`
			);
			continue;
		}
		if (l.errors > 0) {
			const why = Object.entries(l.badStatuses)
				.map(([code, n]) => `${n}× ${code}`)
				.concat(l.socketErrors ? [`${l.socketErrors} socket errors`] : [])
				.concat(l.timeouts ? [`${l.timeouts} timeouts`] : [])
				.join(', ');
			miss('fail', `${s.label}: ${l.errors} errors in ${l.requests} requests (${why}); target 0`);
		}
		if (s.kind === 'login') continue; // argon2: reported apart, not held to page targets
		if (s.ratioTarget && (s.ratio ?? 0) < s.ratioTarget) {
			miss(
				soft,
				`${s.label}: ${(s.ratio ?? 0).toFixed(2)}× the minimal SvelteKit page; target ≥ ${s.ratioTarget}×`
			);
		}
		if (l.p99 >= P99_LIMIT_MS) {
			miss(
				soft,
				`${s.label}: p99 ${l.p99} ms at ${l.connections} connections; target < ${P99_LIMIT_MS} ms`
			);
		}
		if (s.weight && s.weight.jsGzip > JS_LIMIT_BYTES) {
			miss(
				soft,
				`${s.label}: ${(s.weight.jsGzip / 1024).toFixed(1)} KB of JavaScript (gzip); target ≤ 60 KB`
			);
		}
		if (s.queries?.failures?.length) {
			miss('fail', `${s.label}: the query-count pass got ${s.queries.failures.join('; ')}`);
		}
	}
	for (const g of results.growth ?? []) {
		if (g.small === null || g.large === null) {
			miss('fail', `${g.label}: query count not read at both data sizes`);
		} else if (g.large !== g.small) {
			miss(
				'fail',
				`${g.label}: ${g.small} queries a request on the small data, ${g.large} on the large; target: the same`
			);
		}
	}
	const idle = results.idle;
	if (idle) {
		if (idle.skipped) miss('fail', `idle readers: not measured (${idle.skipped})`);
		else {
			if (idle.ready < idle.streams)
				miss(
					'fail',
					`idle readers: ${idle.ready} of ${idle.streams} streams opened (${JSON.stringify(idle.notReady)})`
				);
			if (idle.stillOpen < idle.ready)
				miss('fail', `idle readers: ${idle.ready - idle.stillOpen} streams ended while idle`);
			if (idle.idleQueries !== 0)
				miss(
					'fail',
					`idle readers: ${idle.idleQueries} queries while ${idle.streams} readers sat idle; target 0`
				);
			if (idle.rssGrowthMB !== null && idle.rssGrowthMB >= IDLE_READERS_MB)
				miss(
					soft,
					`idle readers: ${idle.rssGrowthMB.toFixed(0)} MB for ${idle.streams} streams; target < ${IDLE_READERS_MB} MB`
				);
		}
	}
	return out;
}
