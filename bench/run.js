// `npm run bench`: serves the built app on a fresh database and measures a few pages with
// autocannon, against /healthz (one trivial query) in the same run. Figures are noisy on a shared
// machine: compare the ratios, not the absolute numbers.
//   BENCH_SECONDS (default 8), BENCH_CONNECTIONS (default 20), DATABASE_URL to use a server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';

const port = Number(process.env.BENCH_PORT ?? 4199);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const base = `http://localhost:${port}`;
const targets = [
	['/healthz', 'health check (1 trivial query)'],
	['/', 'home: catalogue'],
	['/courses/un-cybercrime-treaty', 'course overview'],
	['/courses/un-cybercrime-treaty/lessons/washingtons-case', 'lesson'],
	['/courses/un-cybercrime-treaty/article', 'article reader'],
	['/courses/un-cybercrime-treaty/map', 'actor × concern map']
];

if (!fs.existsSync('build/index.js')) {
	console.error('Build first: npm run build (npm run bench does it for you).');
	process.exit(1);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perspectives-bench-'));
const env = { ...process.env, PORT: String(port), ORIGIN: base, SEED_DEMO: '0' };
if (!env.DATABASE_URL) env.PGLITE_DIR = path.join(tmp, 'pglite');
const server = spawn(process.execPath, ['build/index.js'], {
	env,
	stdio: ['ignore', 'ignore', 'inherit']
});
const stop = () => {
	server.kill('SIGTERM');
	fs.rmSync(tmp, { recursive: true, force: true });
};
process.on('exit', stop);

for (let i = 0; ; i++) {
	try {
		if ((await fetch(`${base}/healthz`)).ok) break;
	} catch {
		// not listening yet
	}
	if (i > 240) throw new Error('the server did not become healthy');
	await new Promise((r) => setTimeout(r, 500));
}

const rows = [];
for (const [url, label] of targets) {
	const r = await autocannon({ url: base + url, connections, duration: seconds });
	rows.push({
		url,
		label,
		rps: r.requests.average,
		p99: r.latency.p99,
		errors: r.errors + r.non2xx
	});
}
const baseline = rows[0].rps;
console.log(
	`\n${connections} connections, ${seconds} s each, on the ${env.DATABASE_URL ? 'PostgreSQL server' : 'embedded database'}\n`
);
console.log(
	'page'.padEnd(34),
	'req/s'.padStart(8),
	'p99 ms'.padStart(8),
	'vs health'.padStart(10),
	'errors'.padStart(7)
);
for (const r of rows) {
	console.log(
		r.label.padEnd(34),
		r.rps.toFixed(0).padStart(8),
		String(r.p99).padStart(8),
		(r.rps / baseline).toFixed(2).padStart(10),
		String(r.errors).padStart(7)
	);
}
fs.mkdirSync('bench/results', { recursive: true });
fs.writeFileSync(
	`bench/results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
	JSON.stringify(rows, null, 2)
);
process.exit(rows.some((r) => r.errors) ? 1 : 0);
