// The load generator's HTTP client and what it records: node:http with one keep-alive agent (the
// lightest client Node has, which matters when the generator shares two cores with the app and
// the database), and per request kind the latencies and the errors.
import http from 'node:http';
import { mulberry32 } from '../../src/lib/shuffle.ts';

export type Kind = 'start' | 'page' | 'save' | 'submit' | 'login';

// Idle sockets are dropped after 4 s, before the server's 5 s keep-alive timeout closes them
// under a request (which a browser would not see as an error either: it opens a new one). Not
// with the agent's `timeout` option: that one also cuts a request waiting over 4 s for its answer.
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
agent.on('free', (socket) => socket.setTimeout(4000));

export interface Response {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

export function request(
	url: URL,
	opts: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number }
): Promise<Response> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{ method: opts.method ?? 'GET', headers: opts.headers, agent },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: Buffer.concat(chunks).toString('utf8')
					})
				);
				res.on('error', reject);
			}
		);
		const limit = opts.timeoutMs ?? 60_000;
		req.setTimeout(limit, () => req.destroy(new Error(`no answer within ${limit / 1000} s`)));
		req.on('error', reject);
		req.end(opts.body);
	});
}

export class Recorder {
	readonly latencies = new Map<Kind, number[]>();
	readonly errors = new Map<Kind, number>();
	/** The first few errors of each kind, said in words, for the report. */
	readonly samples: string[] = [];
	/** Every distinct error, with how many times it happened. */
	readonly kinds = new Map<string, number>();
	first = Infinity;
	last = 0;

	/** Times `fn`; it throws (or returns false) on a wrong answer, which counts as an error. */
	async time<T>(kind: Kind, fn: () => Promise<T>): Promise<T | undefined> {
		const began = performance.now();
		this.first = Math.min(this.first, began);
		try {
			const v = await fn();
			const ms = performance.now() - began;
			this.last = Math.max(this.last, began + ms);
			let list = this.latencies.get(kind);
			if (!list) this.latencies.set(kind, (list = []));
			list.push(ms);
			return v;
		} catch (e) {
			this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
			const what = `${kind}: ${(e as Error).message}`.slice(0, 160);
			this.kinds.set(what, (this.kinds.get(what) ?? 0) + 1);
			if (this.samples.length < 20) this.samples.push(what);
			return undefined;
		}
	}

	summary(kind: Kind, wallSeconds: number) {
		const l = [...(this.latencies.get(kind) ?? [])].sort((a, b) => a - b);
		const q = (p: number) =>
			l.length ? l[Math.min(l.length - 1, Math.ceil(p * l.length) - 1)] : 0;
		return {
			count: l.length,
			errors: this.errors.get(kind) ?? 0,
			rps: wallSeconds > 0 ? l.length / wallSeconds : 0,
			p50: q(0.5),
			p95: q(0.95),
			p99: q(0.99),
			max: l.length ? l[l.length - 1] : 0
		};
	}
}

/** A small seeded generator (mulberry32): the same student gets the same answers every run. */
export const seeded = mulberry32;

export function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}
