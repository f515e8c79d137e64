// The login storm: N students sign in through the real login form (argon2id verify) over five
// minutes (divided by the time scale), arrivals spread evenly with a little jitter. Two in a
// hundred mistype their password first and then type it right, as real students do; the failures
// count against the login limits (rate-limit.ts: 300 failures per address in 15 minutes — a whole
// school behind one address is one address), so a throttled login is reported, not hidden.
import { prepareExam } from './fixture.ts';
import { Recorder, request, seeded, sleep } from './http.ts';
import { ProcSampler, type Usage } from './procstat.ts';
import { startServers } from './servers.ts';

export async function loginStorm(o: {
	databaseUrl?: string;
	ownUrl: string;
	url: string;
	students: number;
	timeScale: number;
	instances: number;
	appPort: number;
	nginxPort: number;
	poolSize?: number;
	dbName: string;
}) {
	const fixture = await prepareExam({
		databaseUrl: o.databaseUrl,
		ownUrl: o.ownUrl,
		students: o.students
	});
	const servers = await startServers({
		databaseUrl: o.url,
		instances: o.instances,
		appPort: o.appPort,
		nginxPort: o.nginxPort,
		poolSize: o.poolSize
	});
	const recorder = new Recorder();
	const sampler = new ProcSampler(servers.appPids, o.dbName);
	const windowMs = (5 * 60 * 1000) / o.timeScale;
	const rnd = seeded(42);
	let signedIn = 0;
	let throttled = 0;
	let wrong = 0;
	let usage: Record<string, Usage>;
	const began = performance.now();
	const login = async (email: string, password: string) => {
		const r = await request(new URL('/login', servers.base), {
			method: 'POST',
			headers: {
				origin: servers.origin,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ email, password }).toString()
		});
		return r;
	};
	try {
		sampler.start();
		await Promise.all(
			fixture.students.map(async (s, i) => {
				await sleep((i / o.students) * windowMs + rnd() * (windowMs / o.students));
				if (rnd() < 0.02) {
					const r = await recorder.time('login', async () =>
						login(s.email, `${fixture.password}x`)
					);
					if (r?.status === 429) throttled++;
					else if (r?.status === 400) wrong++;
				}
				await recorder.time('login', async () => {
					const r = await login(s.email, fixture.password);
					if (r.status === 429) {
						throttled++;
						throw new Error('throttled (429)');
					}
					if (r.status !== 303 || !/session=/.test(String(r.headers['set-cookie'] ?? '')))
						throw new Error(`status ${r.status}, no session cookie`);
					signedIn++;
				});
			})
		);
	} finally {
		usage = sampler.stop();
		await servers.stop();
	}
	const wall = (performance.now() - began) / 1000;
	const s = recorder.summary('login', wall);
	const misses: string[] = [];
	if (signedIn < o.students)
		misses.push(
			`MISSED: ${o.students - signedIn} of ${o.students} students not signed in (${throttled} throttled)`
		);
	const result = {
		students: o.students,
		timeScale: o.timeScale,
		windowSeconds: windowMs / 1000,
		instances: o.instances,
		wallSeconds: wall,
		login: s,
		signedIn,
		mistyped: wrong,
		throttled,
		usage,
		errorSamples: recorder.samples,
		misses
	};
	console.log('');
	console.log(
		`Login storm: ${o.students} students over ${(windowMs / 1000).toFixed(0)} s (5 min ÷ ${o.timeScale}), ${o.instances} instance(s)`
	);
	console.log(
		`logins ${s.count} (${wrong} mistyped first), ${s.rps.toFixed(1)}/s, p50 ${s.p50.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms, errors ${s.errors}, throttled ${throttled}`
	);
	for (const [name, u] of Object.entries(usage))
		console.log(
			`  ${name}: ${u.cpuSeconds.toFixed(1)} CPU s (${u.cores.toFixed(2)} cores avg, ${u.peakCores.toFixed(2)} peak), ${u.memMbPeak.toFixed(0)} MB peak`
		);
	console.log(
		`  argon2 cost: ${(((usage.app?.cpuSeconds ?? 0) / Math.max(1, s.count)) * 1000).toFixed(1)} ms of app CPU per login`
	);
	for (const m of misses) console.log(m);
	for (const e of recorder.samples.slice(0, 5)) console.log(`  ${e}`);
	return result;
}
