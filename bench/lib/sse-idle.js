// The idle live-discussion readers check: many Server-Sent-Events streams
// (GET /classes/<id>/discussions/events) held open on one app instance, spread over many students
// (a user may hold 10 streams per instance). What they cost: the app process's RSS growth, and
// the SQL run while they sit idle (from the app's process-wide counter, GET /__bench/queries,
// which exists only with BENCH_QUERY_COUNT=1).
import http from 'node:http';
import { send } from './http.js';
import { rssOf } from './servers.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function openReader(base, path, cookie) {
	return new Promise((resolve) => {
		const reader = { ready: false, ended: false, heartbeats: 0, status: 0, req: null };
		const req = http.request(new URL(path, base), {
			headers: { cookie, accept: 'text/event-stream' },
			agent: false
		});
		reader.req = req;
		const done = () => resolve(reader);
		req.setTimeout(30_000, () => req.destroy(new Error('no ready event in 30 s')));
		req.on('response', (res) => {
			reader.status = res.statusCode ?? 0;
			if (reader.status !== 200) {
				res.resume();
				return done();
			}
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => {
				if (!reader.ready) {
					text += chunk;
					if (text.includes('event: ready')) {
						reader.ready = true;
						req.setTimeout(0);
						done();
					}
				}
				if (chunk.includes(': hb')) reader.heartbeats++;
			});
			res.on('end', () => {
				reader.ended = true;
				done();
			});
		});
		req.on('error', () => {
			reader.ended = true;
			done();
		});
		req.end();
	});
}

async function queryTotals(base) {
	const r = await send(base, { path: '/__bench/queries' });
	if (r.status !== 200) throw new Error(`/__bench/queries answered ${r.status}: is counting on?`);
	return JSON.parse(r.body);
}

/**
 * Opens `count` streams over `students` (at most `perUser` each), lets them sit idle for
 * `idleSeconds`, and reports RSS growth and queries in that window. Closes them all at the end.
 */
export async function idleReaders(app, students, { count, idleSeconds, cookieName, perUser = 10 }) {
	const needed = Math.ceil(count / perUser);
	if (students.length < needed)
		return {
			skipped: `needs ${needed} students for ${count} streams, the manifest has ${students.length}`
		};
	const streams = Array.from({ length: count }, (_, i) => students[i % students.length]);
	const rssBefore = rssOf(app.pid);
	const started = Date.now();
	const readers = [];
	for (let i = 0; i < streams.length; i += 50) {
		readers.push(
			...(await Promise.all(
				streams
					.slice(i, i + 50)
					.map((s) =>
						openReader(
							app.base,
							`/classes/${s.classId}/discussions/events`,
							`${cookieName}=${s.session}`
						)
					)
			))
		);
	}
	const openSeconds = (Date.now() - started) / 1000;
	const ready = readers.filter((r) => r.ready).length;
	const statuses = {};
	for (const r of readers) if (!r.ready) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
	await sleep(2000);
	const before = await queryTotals(app.base);
	let rssMax = rssOf(app.pid);
	const until = Date.now() + idleSeconds * 1000;
	while (Date.now() < until) {
		await sleep(1000);
		rssMax = Math.max(rssMax ?? 0, rssOf(app.pid) ?? 0);
	}
	const after = await queryTotals(app.base);
	const stillOpen = readers.filter((r) => r.ready && !r.ended).length;
	const heartbeats = readers.reduce((n, r) => n + r.heartbeats, 0);
	for (const r of readers) r.req.destroy();
	return {
		streams: count,
		students: Math.min(students.length, count),
		ready,
		notReady: statuses,
		stillOpen,
		openSeconds: Number(openSeconds.toFixed(1)),
		idleSeconds,
		heartbeats,
		rssBeforeMB: rssBefore === null ? null : rssBefore / 2 ** 20,
		rssMaxMB: rssMax === null ? null : rssMax / 2 ** 20,
		rssGrowthMB: rssBefore === null || rssMax === null ? null : (rssMax - rssBefore) / 2 ** 20,
		idleQueries: after.inRequests - before.inRequests,
		backgroundQueries: after.background - before.background
	};
}
