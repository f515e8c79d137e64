// `npm run bench:exam -- --students N [--time-scale S] [--instances 2] [--capacity] [--login-storm]
//   [--pool N] [--socket] [--ci] [--no-build]`: exam day against the built app on PostgreSQL (DATABASE_URL, or
// a database of ours it creates). See bench/exam/README.md.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE, SOCKET_DATABASE, prepareExam, transportOf } from './fixture.ts';
import { Recorder, type Kind } from './http.ts';
import { ProcSampler } from './procstat.ts';
import { judge, printResult, writeJson, type ExamResult } from './report.ts';
import { startServers } from './servers.ts';
import { sitExam, type StudentRun } from './student.ts';
import { verifyRun } from './verify.ts';
import { loginStorm } from './login-storm.ts';

const APP_PORT = 4401;
const NGINX_PORT = 4440;

const USAGE = `npm run bench:exam -- [options]   (bench/exam/README.md)
  --students N      students (1000; --ci: 200)
  --time-scale S    think time divided by S (1; --ci: 60; --capacity: 4)
  --instances N     app instances, behind nginx when more than 1 (1)
  --capacity        search upward from 1,000 for the largest N that meets the targets
  --login-storm     sign the students in through the login form instead
  --pool N          DATABASE_POOL_SIZE for the app
  --socket          reach our own database through the local server's Unix socket
  --ci              200 students, think time ÷ 60, exit status from correctness only
  --no-build        use the existing build/`;

// Strict: an unknown or mistyped option stops here instead of starting a full run without it.
const args = (() => {
	try {
		return parseArgs({
			options: {
				students: { type: 'string' },
				'time-scale': { type: 'string' },
				instances: { type: 'string' },
				pool: { type: 'string' },
				capacity: { type: 'boolean', default: false },
				'login-storm': { type: 'boolean', default: false },
				socket: { type: 'boolean', default: false },
				ci: { type: 'boolean', default: false },
				'no-build': { type: 'boolean', default: false },
				help: { type: 'boolean', short: 'h', default: false }
			}
		}).values;
	} catch (e) {
		console.error(`bench:exam: ${(e as Error).message}\n${USAGE}`);
		process.exit(2);
	}
})();
if (args.help) {
	console.log(USAGE);
	process.exit(0);
}
// The most each takes: past these a run would only exhaust the machine (or Postgres's
// max_connections) before it measured anything.
const LIMITS = { students: 50_000, 'time-scale': 1_000, instances: 8, pool: 200 } as const;
for (const name of ['students', 'time-scale', 'instances', 'pool'] as const) {
	const v = args[name];
	const n = Number(v);
	const ok = n > 0 && n <= LIMITS[name] && (name === 'time-scale' || Number.isInteger(n));
	if (v !== undefined && !ok) {
		const what = `${name === 'time-scale' ? 'a number' : 'a whole number'} above 0, at most ${LIMITS[name].toLocaleString('en')}`;
		console.error(`bench:exam: --${name} takes ${what}, not "${v}"\n${USAGE}`);
		process.exit(2);
	}
}

const ci = args.ci;
const students = Number(args.students ?? (ci ? 200 : 1000));
const instances = Number(args.instances ?? 1);
const poolSize = args.pool ? Number(args.pool) : undefined;
const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
// Our own database, over TCP unless --socket: a colocated server is best reached through its socket.
const ownUrl = args.socket ? SOCKET_DATABASE : DEFAULT_DATABASE;
const url = databaseUrl ?? ownUrl;
const dbName = decodeURIComponent(new URL(url).pathname.slice(1));

export async function runExam(n: number, timeScale: number): Promise<ExamResult> {
	const fixture = await prepareExam({ databaseUrl, ownUrl, students: n });
	console.log(
		`fixture: ${n} students, class ${fixture.classId}, assignment ${fixture.assignmentId} (${fixture.seconds.toFixed(1)} s)`
	);
	const servers = await startServers({
		databaseUrl: url,
		instances,
		appPort: APP_PORT,
		nginxPort: NGINX_PORT,
		poolSize
	});
	const recorder = new Recorder();
	const sampler = new ProcSampler(servers.appPids, dbName);
	let runs: StudentRun[];
	let wallSeconds: number;
	let usage: ExamResult['usage'];
	const cpuBefore = process.cpuUsage();
	const loadBefore = loadAverage();
	try {
		let open!: (t: number) => void;
		const barrier = new Promise<number>((r) => (open = r));
		const w = {
			base: servers.base,
			origin: servers.origin,
			fixture,
			perPage: 2,
			timeScale,
			recorder,
			barrier
		};
		const all = fixture.students.map((_, i) => sitExam(w, i));
		sampler.start();
		// Everyone is waiting at the barrier; open it for all at the same instant.
		await new Promise((r) => setTimeout(r, 500));
		const opened = performance.now();
		open(opened);
		let done = 0;
		for (const p of all) void p.then(() => done++);
		const progress = setInterval(() => {
			const count = (k: Kind) => recorder.latencies.get(k)?.length ?? 0;
			const errs = [...recorder.errors.values()].reduce((a, b) => a + b, 0);
			console.log(
				`  ${((performance.now() - opened) / 1000).toFixed(0)} s: started ${count('start')}, pages ${count('page')}, saves ${count('save')}, submitted ${count('submit')}, finished ${done}/${n}, errors ${errs}`
			);
		}, 15_000);
		runs = await Promise.all(all).finally(() => clearInterval(progress));
		wallSeconds = (performance.now() - opened) / 1000;
	} finally {
		usage = sampler.stop();
		await servers.stop();
	}
	const cpu = process.cpuUsage(cpuBefore);
	const genCpu = (cpu.user + cpu.system) / 1e6;
	usage['load generator (this process)'] = {
		cpuSeconds: genCpu,
		cores: genCpu / wallSeconds,
		peakCores: NaN,
		memMbPeak: process.memoryUsage().rss / 1048576
	};
	const verdict = await verifyRun({
		databaseUrl: url,
		assignmentId: fixture.assignmentId,
		questions: fixture.questions.length,
		runs
	});
	const served = runs.filter((r) => r.startServedMs !== null);
	const requests: ExamResult['requests'] = {};
	for (const k of ['start', 'page', 'save', 'submit'] as Kind[])
		requests[k] = recorder.summary(k, wallSeconds);
	const partial = {
		students: n,
		instances,
		timeScale,
		poolSize: poolSize ?? null,
		transport: transportOf(url),
		wallSeconds,
		requests,
		start: {
			served: served.length,
			allServedSeconds: served.length
				? Math.max(...served.map((r) => r.startServedMs!)) / 1000
				: null
		},
		usage,
		verdict,
		errorSamples: [...recorder.kinds].sort((a, b) => b[1] - a[1]).map(([m, n]) => `${n}× ${m}`),
		// Other work on the machine shows here: the figures are only as good as this is low.
		loadAverage: { before: loadBefore, after: loadAverage() }
	};
	return { ...partial, misses: judge(partial) };
}

function loadAverage(): number {
	return Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** Upward from 1,000 until a run misses, then halves the gap to within 500 students. */
async function capacity(timeScale: number): Promise<void> {
	const ladder = [1000, 2000, 4000, 5000, 6000, 8000, 10000, 12000, 16000];
	const results: ExamResult[] = [];
	let pass = 0;
	let fail = 0;
	const tryN = async (n: number) => {
		const r = await runExam(n, timeScale);
		printResult(r);
		results.push(r);
		return r.misses.length === 0;
	};
	for (const n of ladder) {
		if (await tryN(n)) pass = n;
		else {
			fail = n;
			break;
		}
	}
	while (fail && fail - pass > 500) {
		const mid = Math.round((pass + fail) / 2 / 250) * 250;
		if (await tryN(mid)) pass = mid;
		else fail = mid;
	}
	const line = fail
		? `Capacity: ${pass} students meet every target (${fail} does not), time-scale ${timeScale}, ${instances} instance(s).`
		: `Capacity: at least ${pass} students (the largest tried), time-scale ${timeScale}, ${instances} instance(s).`;
	console.log(`\n${line}`);
	console.log(
		`results: ${writeJson('exam-capacity', { capacity: pass, firstFailing: fail || null, line, machine: machine(), results })}`
	);
}

function machine() {
	return {
		cpus: Number(execFileSync('nproc').toString().trim()),
		node: process.version,
		postgres: execFileSync('psql', [url, '-Atc', 'show server_version']).toString().trim(),
		note: 'App, PostgreSQL and the load generator share this machine (and other work may run on it).'
	};
}

async function main(): Promise<void> {
	if (!args['no-build']) {
		const began = performance.now();
		execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
		console.log(`built in ${((performance.now() - began) / 1000).toFixed(0)} s`);
	}
	if (args['login-storm']) {
		const r = await loginStorm({
			databaseUrl,
			ownUrl,
			url,
			students,
			timeScale: Number(args['time-scale'] ?? 1),
			instances,
			appPort: APP_PORT,
			nginxPort: NGINX_PORT,
			poolSize,
			dbName
		});
		console.log(`results: ${writeJson('exam-login-storm', { ...r, machine: machine() })}`);
		if (r.misses.length) process.exitCode = 1;
		return;
	}
	if (args.capacity) return capacity(Number(args['time-scale'] ?? 4));
	const timeScale = Number(args['time-scale'] ?? (ci ? 60 : 1));
	const r = await runExam(students, timeScale);
	printResult(r);
	console.log(`results: ${writeJson('exam', { ...r, machine: machine() })}`);
	// CI fails on errors and on lost or duplicated answers; the latency targets are for this
	// machine's full runs (a shared CI runner's timings are noise), so there they only print.
	const correctness = r.misses.filter((m) => !/p95|synchronised start fully/.test(m));
	if (ci ? correctness.length : r.misses.length) process.exitCode = 1;
}

await main();
