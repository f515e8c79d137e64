// `npm run bench`: the scenarios of issue 10 against the built app (`node build`) on the seeded
// PostgreSQL database, with two baselines in the same run (a bare node:http server answering a page
// of the same size as the minimal SvelteKit page, and that minimal SvelteKit app, bench/minimal/),
// then the targets. Every figure that depends on the machine is reported as a ratio to the
// minimal SvelteKit page. See bench/README.md for what each phase does and why.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readOptions, USAGE } from './lib/args.js';
import { buildApp, buildMinimal, startApp, startBare, startMinimal } from './lib/servers.js';
import { buildScenarios } from './lib/scenarios.js';
import { runLoad } from './lib/load.js';
import { countQueries } from './lib/query-pass.js';
import { pageWeight } from './lib/page-weight.js';
import { idleReaders } from './lib/sse-idle.js';
import { checkTargets } from './lib/targets.js';
import { formatIdle, formatTable, writeResults } from './lib/report.js';
import { studentsWithOpenAttempts, submittedCount } from './lib/db-state.js';
import { DEFAULT_MANIFEST, readManifest, seedInto } from './lib/seeding.js';
import { send } from './lib/http.js';

const root = path.resolve(import.meta.dirname, '..');
const opts = readOptions();
if (opts.help) {
	console.log(USAGE);
	process.exit(0);
}
const log = (line) => console.log(`[bench] ${line}`);
const startedAt = new Date().toISOString();
const ports = {
	app: opts.port,
	counting: opts.port + 1,
	compare: opts.port + 2,
	minimal: opts.port + 3,
	bare: opts.port + 4
};
// The count pass: requests per scenario after one unrecorded one.
const SAMPLES = { page: 5, action: 3, login: 2 };
// Open attempts kept out of the load run for the count passes (quiz page, saves, submits).
const COUNT_RESERVE = 10;

// --- data ---------------------------------------------------------------------------------
let mainFile = opts.manifest ?? DEFAULT_MANIFEST;
let compareFile = opts.compare;
if (opts.quick && !opts.manifest) {
	const pgBase = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
	const prefix = process.env.BENCH_DB_PREFIX ?? 'perspectives_bench_quick';
	const dataDir = path.join(root, 'bench', '.data');
	log('seeding two small databases (npm run bench:seed -- --quick, at scale 1 and 2)');
	compareFile = await seedInto(
		`${pgBase}/${prefix}1`,
		['--quick'],
		path.join(dataDir, 'quick-1.json')
	);
	mainFile = await seedInto(
		`${pgBase}/${prefix}2`,
		['--quick', '--scale', '2'],
		path.join(dataDir, 'quick-2.json')
	);
}
const manifest = readManifest(mainFile);
const compare = compareFile ? readManifest(compareFile) : null;
const dbOf = (m) => (m === manifest && process.env.DATABASE_URL) || m.database;

// --- builds -------------------------------------------------------------------------------
if (opts.build || !fs.existsSync(path.join(root, 'build', 'index.js'))) {
	log('building the app (vite build)');
	await buildApp();
}
if (await buildMinimal()) log('built the minimal SvelteKit baseline (bench/minimal)');

// --- helpers ------------------------------------------------------------------------------
const loadOpts = {
	connections: opts.connections,
	seconds: opts.seconds,
	warmSeconds: opts.warmSeconds,
	requests: opts.requests
};
const wanted = (s) => !opts.only || opts.only.has(s.name);

async function weightOf(server, clientDir, target) {
	if (!target) return null;
	const r = await send(server.base, {
		path: target.path,
		headers: target.cookie ? { cookie: target.cookie } : {}
	});
	if (r.status !== 200) return { error: `${target.path} answered ${r.status}` };
	return pageWeight({
		html: r.body,
		linkHeader: String(r.headers.link ?? ''),
		pageUrl: new URL(target.path, server.base).href,
		clientDir
	});
}

/** A thread of its own in the big class for the replies, so the 500-post thread stays as seeded. */
async function replyThreadFor(server, m) {
	const r = await send(server.base, {
		method: 'POST',
		path: `/classes/${m.bigClass.id}/discussions?/start`,
		headers: {
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded',
			origin: server.origin,
			cookie: `${m.cookie}=${m.instructor.session}`
		},
		body: new URLSearchParams({
			anchor: 'general',
			title: `Bench replies ${new Date().toISOString()}`,
			body: 'Replies written by npm run bench land here.',
			clientKey: crypto.randomUUID()
		}).toString()
	});
	const where = String(r.headers.location ?? '');
	if (r.status === 303 && /\/discussions\/\d+$/.test(where)) return where;
	log(
		`could not start a thread for the replies (${r.status}); replying in the seeded thread instead`
	);
	return m.bigClass.thread;
}

/**
 * Waits until the server has worked off what a load run left in flight (autocannon stops at the
 * deadline; the server still answers what it was sent), so one scenario's backlog does not slow
 * the next and nothing is cut off when the server stops: /healthz answering within 200 ms.
 */
async function drain(server) {
	const until = Date.now() + 30_000;
	while (Date.now() < until) {
		const t0 = Date.now();
		const r = await send(server.base, { path: '/healthz' }).catch(() => null);
		if (r?.status === 200 && Date.now() - t0 < 200) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/**
 * Splits the open attempts: a few for the count pass, the rest for the load run. The count pass
 * submits the attempts its saves wrote to, so each submit it counts scores a saved answer.
 */
async function scenarioSet(server, m, { forCount }) {
	const open = await studentsWithOpenAttempts(dbOf(m), m.students);
	const reserve = open.slice(0, COUNT_RESERVE);
	const rest = open.slice(COUNT_RESERVE);
	const bigStudents = m.students.filter((s) => s.inBigClass).length;
	const replyThread = await replyThreadFor(server, m);
	// Load: up to 4 posts a member (warm-up included) leaves room under 6 a minute for the count
	// pass, which posts from the other end of the class list.
	const submitCap = opts.quick ? 200 : 1200;
	const set = forCount
		? {
				openStudents: reserve,
				submitStudents: reserve.slice(0, SAMPLES.action + 1),
				replyLimit: undefined,
				replyFromEnd: true
			}
		: {
				openStudents: rest,
				submitStudents: rest.slice(-submitCap),
				replyLimit: bigStudents * 4,
				replyFromEnd: false
			};
	return {
		open: open.length,
		submitStudents: set.submitStudents,
		scenarios: buildScenarios(m, { origin: server.origin, replyThread, ...set }).filter(wanted)
	};
}

// --- baselines, then the app under load ---------------------------------------------------
const results = {
	startedAt,
	quick: opts.quick,
	machine: {
		cpus: os.cpus().length,
		cpu: os.cpus()[0]?.model,
		memoryGB: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		load: os.loadavg()
	},
	settings: {
		connections: opts.connections,
		seconds: opts.seconds,
		warmSeconds: opts.warmSeconds,
		requests: opts.requests ?? null
	},
	manifest: {
		file: path.relative(root, mainFile),
		database: manifest.database,
		scale: manifest.scale,
		quick: manifest.quick,
		counts: manifest.counts
	},
	compare: compare
		? {
				file: path.relative(root, compareFile),
				database: compare.database,
				scale: compare.scale,
				quick: compare.quick,
				counts: compare.counts
			}
		: null,
	baselines: [],
	scenarios: [],
	growth: [],
	idle: null,
	checks: []
};

async function measureMinimal(label) {
	const minimal = await startMinimal({ port: ports.minimal });
	try {
		const page = await send(minimal.base, { path: '/' });
		const weight = pageWeight({
			html: page.body,
			linkHeader: String(page.headers.link ?? ''),
			pageUrl: `${minimal.base}/`,
			clientDir: path.join(root, 'bench', 'minimal', 'build', 'client')
		});
		log(`${label}: measuring`);
		const load = await runLoad(
			minimal.base,
			{
				name: 'minimal',
				accept: (s) => s === 200,
				next: () => ({ method: 'GET', path: '/', headers: {} })
			},
			loadOpts
		);
		return { html: page.body, weight, load };
	} finally {
		await minimal.stop();
	}
}

/** Baselines before and after the app, and every scenario under load on a plain app. */
async function loadPhase() {
	const minimalBefore = await measureMinimal('minimal SvelteKit page (before the app)');
	const htmlFile = path.join(os.tmpdir(), `bench-minimal-${process.pid}.html`);
	fs.writeFileSync(htmlFile, minimalBefore.html);
	const bare = await startBare({ port: ports.bare, file: htmlFile });
	log('bare node:http page: measuring');
	const bareLoad = await runLoad(
		bare.base,
		{
			name: 'bare',
			accept: (s) => s === 200,
			next: () => ({ method: 'GET', path: '/', headers: {} })
		},
		loadOpts
	);
	await bare.stop();
	fs.rmSync(htmlFile, { force: true });

	const app = await startApp({ port: ports.app, databaseUrl: dbOf(manifest) });
	const loadSet = await scenarioSet(app, manifest, { forCount: false });
	log(
		`${loadSet.open} open attempts; the submit scenario may use ${loadSet.submitStudents.length}`
	);
	for (const s of loadSet.scenarios) {
		const weight =
			s.kind === 'page'
				? await weightOf(app, path.join(root, 'build', 'client'), s.weightOf)
				: null;
		log(`${s.label}: measuring`);
		const load = await runLoad(app.base, s, loadOpts);
		await drain(app);
		results.scenarios.push({
			name: s.name,
			label: s.label,
			kind: s.kind,
			ratioTarget: s.ratio ?? null,
			load,
			weight
		});
	}
	if (loadSet.scenarios.some((s) => s.name === 'submit')) {
		const done = await submittedCount(dbOf(manifest), loadSet.submitStudents);
		const row = results.scenarios.find((r) => r.name === 'submit');
		row.submitted = done;
		if (!row.load.skipped && done < row.load.requests - row.load.errors)
			results.checks.push({
				level: 'fail',
				line: `submit: ${row.load.requests - row.load.errors} accepted answers but only ${done} attempts submitted`
			});
	}
	await app.stop();

	const minimalAfter = await measureMinimal('minimal SvelteKit page (after the app)');
	const minimalRps = (minimalBefore.load.rps + minimalAfter.load.rps) / 2;
	results.minimalRps = minimalRps;
	results.baselines.push(
		{
			name: 'bare',
			label: 'bare node:http, same page',
			load: bareLoad,
			ratio: bareLoad.rps / minimalRps,
			weight: { htmlBytes: Buffer.byteLength(minimalBefore.html) }
		},
		{
			name: 'minimal',
			label: 'minimal SvelteKit (before)',
			load: minimalBefore.load,
			ratio: minimalBefore.load.rps / minimalRps,
			weight: minimalBefore.weight
		},
		{
			name: 'minimal-after',
			label: 'minimal SvelteKit (after)',
			load: minimalAfter.load,
			ratio: minimalAfter.load.rps / minimalRps
		}
	);
	for (const r of results.scenarios)
		if (r.load && !r.load.skipped) r.ratio = r.load.rps / minimalRps;
}

if (opts.countsOnly) log('--counts-only: no baselines, no load runs');
else await loadPhase();

// --- query counts at two data sizes, and the idle readers ----------------------------------
async function countPass(m, port, { idle }) {
	const server = await startApp({ port, databaseUrl: dbOf(m), countQueries: true });
	try {
		const set = await scenarioSet(server, m, { forCount: true });
		// A user's first request in a few minutes also writes users.last_seen_at (auth/session.ts):
		// every account the pass uses is seen once first, so the counts compare like with like.
		const cookies = [m.instructor.session, ...m.students.map((s) => s.session)];
		for (let i = 0; i < cookies.length; i += 25)
			await Promise.all(
				cookies
					.slice(i, i + 25)
					.map((c) =>
						send(server.base, { path: '/healthz', headers: { cookie: `${m.cookie}=${c}` } })
					)
			);
		const counts = {};
		for (const s of set.scenarios) {
			log(`${s.label}: counting queries (${m === manifest ? 'main' : 'compare'} data)`);
			counts[s.name] = await countQueries(server.base, s, SAMPLES[s.kind]);
		}
		let idleResult = null;
		if (idle && (!opts.only || opts.only.has('idle'))) {
			log(`idle readers: opening ${opts.idleStreams} live-discussion streams`);
			idleResult = await idleReaders(server, m.students, {
				count: opts.idleStreams,
				idleSeconds: opts.idleSeconds,
				cookieName: m.cookie
			});
		}
		return { counts, idle: idleResult, scenarios: set.scenarios };
	} finally {
		await server.stop();
	}
}

const mainCounts = await countPass(manifest, ports.counting, { idle: true });
results.idle = mainCounts.idle;
if (opts.countsOnly)
	for (const s of mainCounts.scenarios)
		results.scenarios.push({
			name: s.name,
			label: s.label,
			kind: s.kind,
			ratioTarget: s.ratio ?? null
		});
for (const r of results.scenarios) r.queries = mainCounts.counts[r.name] ?? null;
if (compare) {
	const other = await countPass(compare, ports.compare, { idle: false });
	const size = (m) =>
		(m.counts?.attempts ?? 0) + (m.counts?.posts ?? 0) + (m.counts?.students ?? 0);
	const mainIsLarge = size(manifest) >= size(compare);
	for (const r of results.scenarios) {
		const a = mainCounts.counts[r.name]?.median ?? null;
		const b = other.counts[r.name]?.median ?? null;
		const [ca, cb] = [mainCounts.counts[r.name]?.counts, other.counts[r.name]?.counts];
		results.growth.push({
			name: r.name,
			label: r.label,
			small: mainIsLarge ? b : a,
			large: mainIsLarge ? a : b,
			smallCounts: (mainIsLarge ? cb : ca) ?? null,
			largeCounts: (mainIsLarge ? ca : cb) ?? null
		});
		if (other.counts[r.name]?.failures.length)
			results.checks.push({
				level: 'fail',
				line: `${r.label}: the count pass on the compare data got ${other.counts[r.name].failures.join('; ')}`
			});
	}
} else {
	results.checks.push({
		level: opts.quick ? 'fail' : 'warn',
		line: 'query growth not checked: pass --compare with a manifest of another data size'
	});
}

// --- report -------------------------------------------------------------------------------
results.checks.push(...checkTargets(results, { quick: opts.quick }));
console.log(
	`\n${opts.connections} connections, ${opts.seconds} s a scenario after ${opts.warmSeconds} s warm-up, on PostgreSQL (${manifest.database}); ratios to the minimal SvelteKit page (${results.minimalRps?.toFixed(0) ?? '—'} req/s, mean of before and after)\n`
);
console.log(formatTable(results));
console.log(`\n${formatIdle(results.idle)}`);
const file = writeResults(path.join(root, 'bench', 'results'), results);
console.log(`\nresults: ${path.relative(root, file)}`);
const fails = results.checks.filter((c) => c.level === 'fail');
for (const c of results.checks) console.log(`${c.level === 'fail' ? 'FAIL' : 'warn'}  ${c.line}`);
const warned = results.checks.length - fails.length;
if (fails.length) console.log(`\n${fails.length} target(s) missed.`);
else if (warned)
	console.log(
		`\nNo target failed; ${warned} only warned (in --quick mode only errors, query growth and idle queries fail).`
	);
else console.log('\nAll targets met.');
process.exit(fails.length ? 1 : 0);
