// npm run bench:growth [-- --requests 200] [--base http://localhost:4202] [--explain-only]
//
// Point 5 of issue 10, on the database bench:seed filled (its manifest names the objects):
// 1. EXPLAIN (FORMAT JSON) of every query each scenario page runs (captured from the page's own
//    code through Kysely's log, bench/growth/explain.ts); fails on a Seq Scan of a table of more
//    than 10,000 rows that no index could avoid, or of any table over 100,000 rows.
// 2. Time per request of the thread page, the gradebook and item statistics at 1×, 4× and 16× of
//    their object (thread of 125/500/2000 posts; class of 75/300/1200 students, and the statistics
//    of one quiz over that class's attempts), against the built app (`node build`, started here on
//    PORT 4202 unless --base names a running one), after a warm-up.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { MANIFEST_PATH } from './seed/manifest.ts';
import { DEFAULT_URL } from './seed/target.ts';
import { explainAll, HUGE, LARGE, Recorder, type ExplainResult } from './growth/explain.ts';
import { scenarios, type Manifest } from './growth/scenarios.ts';

const { values: args } = parseArgs({
	options: {
		manifest: { type: 'string', default: MANIFEST_PATH },
		base: { type: 'string' },
		port: { type: 'string', default: '4202' },
		requests: { type: 'string', default: '200' },
		concurrency: { type: 'string', default: '2' },
		'explain-only': { type: 'boolean', default: false },
		'http-only': { type: 'boolean', default: false },
		/** Prints the text plans (EXPLAIN ANALYZE) of the scenarios whose name contains this. */
		show: { type: 'string' },
		out: { type: 'string', default: path.join('bench', '.data', 'growth.json') }
	}
});

const manifest = JSON.parse(fs.readFileSync(args.manifest, 'utf8')) as Manifest & {
	database: string;
};
const url = process.env.DATABASE_URL?.trim() || manifest.database || DEFAULT_URL;

async function explainPhase(): Promise<ExplainResult[]> {
	const r = new Recorder(url);
	const results: ExplainResult[] = [];
	try {
		for (const s of await scenarios(manifest, r)) {
			await s.run(r); // warm: the first run fills caches (course prose, renderers)
			const queries = await r.record(() => s.run(r));
			const show = args.show !== undefined && s.name.includes(args.show);
			results.push(await explainAll(r.pool, s.name, queries, show));
		}
	} finally {
		await r.close();
	}
	console.log(
		`\nEXPLAIN: every query of each scenario page. Seq scans of tables over ${LARGE.toLocaleString('en')} rows ` +
			`are marked ! (no index path: fails) or ~ (the planner's choice, an index exists: fails over ${HUGE.toLocaleString('en')} rows)`
	);
	console.log(
		`${'scenario'.padEnd(32)} ${'queries'.padStart(7)} ${'SQL ms'.padStart(8)}  seq scans`
	);
	for (const x of results) {
		const scans = x.seqScans.map(
			(s) =>
				`${s.rows > LARGE ? (s.indexPath ? '~' : '!') : ''}${s.relation} (${s.rows.toLocaleString('en')})`
		);
		console.log(
			`${x.scenario.padEnd(32)} ${String(x.queries).padStart(7)} ${x.ms.toFixed(2).padStart(8)}  ${[...new Set(scans)].join(', ') || '—'}`
		);
	}
	for (const x of results)
		for (const s of x.large)
			console.log(
				`  SEQ SCAN in ${x.scenario}: ${s.relation} (${s.rows} rows, ${s.indexPath ? 'index path exists' : 'no index path'}): ${s.sql}`
			);
	return results;
}

interface Timing {
	object: string;
	size: number;
	factor: number;
	meanMs: number;
	p50Ms: number;
	p95Ms: number;
	ratio: number;
	/** The first request at this size (a kept report is computed there). */
	firstMs: number;
	bytes: number;
}

async function startApp(port: number): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['build'], {
		env: {
			...process.env,
			DATABASE_URL: url,
			PORT: String(port),
			ORIGIN: `http://localhost:${port}`,
			SEED_DEMO: '0'
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (let i = 0; i < 100; i++) {
		await new Promise((ok) => setTimeout(ok, 200));
		try {
			if ((await fetch(`http://localhost:${port}/healthz`)).ok) return child;
		} catch {
			// not listening yet
		}
	}
	child.kill();
	throw new Error('the built app did not start (run `npx vite build` first)');
}

async function timePage(base: string, pagePath: string, session: string, n: number, conc: number) {
	const get = async () => {
		const t0 = performance.now();
		const res = await fetch(base + pagePath, {
			headers: { cookie: `${manifest.cookie}=${session}` }
		});
		const body = await res.text();
		if (res.status !== 200) throw new Error(`${pagePath}: ${res.status}`);
		return { ms: performance.now() - t0, bytes: body.length };
	};
	// The first request is kept apart: what is computed once and then kept (item statistics) is
	// computed there, on an app this run started.
	const first = (await get()).ms;
	for (let i = 0; i < 19; i++) await get(); // warm-up
	const times: number[] = [];
	let bytes = 0;
	let next = 0;
	await Promise.all(
		Array.from({ length: conc }, async () => {
			while (next++ < n) {
				const r = await get();
				times.push(r.ms);
				bytes = r.bytes;
			}
		})
	);
	times.sort((a, b) => a - b);
	const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
	return {
		mean: times.reduce((a, b) => a + b, 0) / times.length,
		p50: q(0.5),
		p95: q(0.95),
		first,
		bytes
	};
}

async function httpPhase(): Promise<Timing[]> {
	const port = Number(args.port);
	const app = args.base ? undefined : await startApp(port);
	const base = args.base ?? `http://localhost:${port}`;
	const n = Number(args.requests);
	const conc = Number(args.concurrency);
	const student = manifest.students.find((s) => s.classId === manifest.bigClass.id)!;
	const objects = [
		...['gradebook', 'statistics'].map((kind) => ({
			object: kind === 'gradebook' ? 'gradebook (students)' : 'item statistics (students)',
			items: manifest.growth.classes.map((c) => ({
				size: c.students,
				path: kind === 'gradebook' ? c.gradebook : c.statistics,
				session: manifest.instructor.session
			}))
		})),
		{
			object: 'thread (posts)',
			items: manifest.growth.threads.map((t) => ({
				size: t.posts,
				path: t.path,
				session: student.session
			}))
		}
	];
	const out: Timing[] = [];
	try {
		for (const o of objects) {
			const items = [...o.items].sort((a, b) => a.size - b.size);
			let first = 0;
			for (const it of items) {
				const t = await timePage(base, it.path, it.session, n, conc);
				first ||= t.mean;
				out.push({
					object: o.object,
					size: it.size,
					factor: it.size / items[0].size,
					meanMs: round(t.mean),
					p50Ms: round(t.p50),
					p95Ms: round(t.p95),
					ratio: round(t.mean / first),
					firstMs: round(t.first),
					bytes: t.bytes
				});
			}
		}
	} finally {
		app?.kill();
	}
	console.log(
		`\nTime per request (${n} requests, ${conc} at a time, after 20 warm-up; "1st" is the first of those), built app on PostgreSQL`
	);
	console.log(
		`${'object'.padEnd(28)} ${'size'.padStart(6)} ${'×'.padStart(4)} ${'mean ms'.padStart(8)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'vs 1×'.padStart(6)} ${'1st ms'.padStart(7)} ${'HTML KB'.padStart(8)}`
	);
	for (const t of out)
		console.log(
			`${t.object.padEnd(28)} ${String(t.size).padStart(6)} ${String(t.factor).padStart(4)} ${t.meanMs.toFixed(1).padStart(8)} ${t.p50Ms.toFixed(1).padStart(7)} ${t.p95Ms.toFixed(1).padStart(7)} ${t.ratio.toFixed(2).padStart(6)} ${t.firstMs.toFixed(0).padStart(7)} ${(t.bytes / 1024).toFixed(0).padStart(8)}`
		);
	return out;
}

function round(x: number): number {
	return Math.round(x * 100) / 100;
}

const explain = args['http-only'] ? [] : await explainPhase();
const timings = args['explain-only'] ? [] : await httpPhase();
fs.mkdirSync(path.dirname(args.out), { recursive: true });
fs.writeFileSync(
	args.out,
	JSON.stringify(
		{ at: new Date().toISOString(), database: manifest.database, explain, timings },
		null,
		'\t'
	) + '\n'
);
const failures = explain.flatMap((x) => x.large.map((s) => `${x.scenario}: ${s.relation}`));
if (failures.length) {
	console.log(`\nFAIL: sequential scans of large tables: ${[...new Set(failures)].join('; ')}`);
	process.exit(1);
}
if (explain.length) console.log('\nNo sequential scan of a large table in any scenario.');
process.exit(0);
