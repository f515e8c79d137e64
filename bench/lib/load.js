// One scenario under load: a warm-up, then the measured run, with autocannon (50 connections by
// default). Every answer is judged by the scenario's `accept` (and `expectBody`), so a redirect
// to the login page or a "stale" save counts as an error even though its status looks fine.
import autocannon from 'autocannon';

function judge(scenario, tally) {
	return (status, body, _context, headers) => {
		const h = {};
		for (const [k, v] of Object.entries(headers ?? {})) h[k.toLowerCase()] = v;
		const good =
			scenario.accept(status, h) && (!scenario.expectBody || scenario.expectBody.test(body ?? ''));
		if (good) tally.good++;
		else {
			tally.bad++;
			tally.badStatuses[status] = (tally.badStatuses[status] ?? 0) + 1;
		}
	};
}

function cannon(base, scenario, { connections, seconds, amount }, tally) {
	const opts = {
		url: base,
		// autocannon refuses more connections than requests
		connections: amount !== undefined ? Math.max(1, Math.min(connections, amount)) : connections,
		timeout: 30,
		requests: [
			{
				setupRequest: (req) => ({ ...req, ...scenario.next() }),
				onResponse: judge(scenario, tally)
			}
		]
	};
	if (amount !== undefined) opts.amount = amount;
	else opts.duration = seconds;
	return autocannon(opts);
}

/**
 * Runs `scenario` against `base`. Scenarios that use something up (`amount`: attempts to submit,
 * posts within the rate limit) are run for that many requests, a fifth of them as the warm-up;
 * the others for `seconds` after `warmSeconds` (or, given `requests`, for that many after a
 * quarter as many). Each autocannon connection prepares one request
 * it may never send, so amounts leave `connections` spare.
 */
export async function runLoad(base, scenario, { connections, seconds, warmSeconds, requests }) {
	let warm;
	let main;
	if (scenario.amount !== undefined) {
		const usable = Math.max(0, scenario.amount - 2 * connections);
		const warmAmount = Math.floor(usable / 5);
		warm = { connections: Math.min(connections, Math.max(1, warmAmount)), amount: warmAmount };
		main = {
			connections: Math.min(connections, Math.max(1, usable - warmAmount)),
			amount: usable - warmAmount
		};
	} else if (requests !== undefined) {
		warm = { connections, amount: Math.ceil(requests / 4) };
		main = { connections, amount: requests };
	} else {
		warm = { connections, seconds: warmSeconds };
		main = { connections, seconds };
	}
	if (main.amount === 0) return { skipped: `nothing left to use (${scenario.uses ?? 'budget'})` };
	if (warm.amount !== undefined ? warm.amount > 0 : warm.seconds > 0) {
		await cannon(base, scenario, warm, { good: 0, bad: 0, badStatuses: {} });
	}
	const tally = { good: 0, bad: 0, badStatuses: {} };
	const r = await cannon(base, scenario, main, tally);
	const elapsed = r.duration;
	return {
		connections: main.connections,
		seconds: Number(elapsed.toFixed(2)),
		requests: r.requests.total,
		rps: r.requests.total / elapsed,
		p50: r.latency.p50,
		p99: r.latency.p99,
		// Socket errors and timeouts, and answers the scenario does not accept.
		errors: r.errors + r.timeouts + tally.bad,
		socketErrors: r.errors,
		timeouts: r.timeouts,
		badStatuses: tally.badStatuses
	};
}
