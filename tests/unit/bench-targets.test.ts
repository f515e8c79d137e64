import { describe, expect, it } from 'vitest';
import { checkTargets } from '../../bench/lib/targets.js';

// The bench's targets: what fails a run, what only warns in --quick mode.

const load = (over: Record<string, unknown> = {}) => ({
	connections: 50,
	seconds: 10,
	requests: 1000,
	rps: 100,
	p50: 20,
	p99: 100,
	errors: 0,
	socketErrors: 0,
	timeouts: 0,
	badStatuses: {},
	...over
});
const page = (over: Record<string, unknown> = {}) => ({
	name: 'lesson',
	label: 'lesson',
	kind: 'page',
	ratioTarget: 0.5,
	ratio: 0.8,
	load: load(),
	weight: { jsGzip: 40 * 1024 },
	queries: { failures: [] },
	...over
});
// Fixtures are built loosely and typed once here, as the run's JSON would be.
const run = (scenarios: unknown[], rest: Record<string, unknown> = {}) =>
	({ scenarios, growth: [], idle: null, ...rest }) as unknown as Parameters<typeof checkTargets>[0];

describe('bench targets', () => {
	it('passes a scenario that meets every target', () => {
		expect(checkTargets(run([page()]), { quick: false })).toEqual([]);
	});

	it('fails on errors, naming the statuses, in either mode', () => {
		const r = run([page({ load: load({ errors: 3, badStatuses: { 500: 2, 303: 1 } }) })]);
		for (const quick of [false, true]) {
			const out = checkTargets(r, { quick });
			expect(out).toHaveLength(1);
			expect(out[0].level).toBe('fail');
			expect(out[0].line).toMatch(/3 errors in 1000 requests \(1× 303, 2× 500\)/);
		}
	});

	it('fails a slow page, a slow p99 and heavy JavaScript, but only warns in quick mode', () => {
		const r = run([page({ ratio: 0.3, load: load({ p99: 400 }), weight: { jsGzip: 70 * 1024 } })]);
		const full = checkTargets(r, { quick: false });
		expect(full.map((c) => c.level)).toEqual(['fail', 'fail', 'fail']);
		expect(full[0].line).toMatch(/0\.30× .* target ≥ 0\.5×/);
		expect(checkTargets(r, { quick: true }).map((c) => c.level)).toEqual(['warn', 'warn', 'warn']);
	});

	it('holds login to no page target, only to zero errors', () => {
		const r = run([
			page({
				name: 'login',
				kind: 'login',
				ratioTarget: null,
				ratio: 0.01,
				load: load({ p99: 900 })
			})
		]);
		expect(checkTargets(r, { quick: false })).toEqual([]);
	});

	it('fails a query count that differs between the data sizes, even in quick mode', () => {
		const r = run([], { growth: [{ name: 'thread', label: 'thread', small: 8, large: 9 }] });
		const out = checkTargets(r, { quick: true });
		expect(out).toEqual([
			{ level: 'fail', line: expect.stringMatching(/8 queries .* 9 on the large/) }
		]);
	});

	it('fails idle readers that run queries, and warns on memory in quick mode', () => {
		const idle = {
			streams: 2000,
			ready: 2000,
			stillOpen: 2000,
			idleQueries: 2,
			rssGrowthMB: 250,
			notReady: {}
		};
		expect(checkTargets(run([], { idle }), { quick: true }).map((c) => c.level)).toEqual([
			'fail',
			'warn'
		]);
		expect(
			checkTargets(run([], { idle: { ...idle, idleQueries: 0, rssGrowthMB: 50 } }), {
				quick: false
			})
		).toEqual([]);
	});

	it('fails a scenario in which no request completed', () => {
		const out = checkTargets(run([page({ load: load({ requests: 0, rps: 0 }) })]), { quick: true });
		expect(out).toEqual([{ level: 'fail', line: expect.stringMatching(/no request completed/) }]);
	});
});
