// The processes a bench run measures: the built app, the minimal SvelteKit baseline and a bare
// node:http server. Each is started on its own port and stopped by the run; the app's RSS is read
// from /proc (Linux) for the idle-reader check.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';

const root = path.resolve(import.meta.dirname, '../..');
const minimalDir = path.join(root, 'bench', 'minimal');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');

function run(cmd, args, opts) {
	return new Promise((resolve, reject) => {
		const p = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
		p.on('error', reject);
		p.on('exit', (code) =>
			code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))
		);
	});
}

function newestMtime(dir) {
	let t = 0;
	for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
		if (e.isFile()) t = Math.max(t, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
	}
	return t;
}

/** Builds the app (`vite build`) into build/. */
export async function buildApp() {
	await run(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: root });
}

/**
 * Builds bench/minimal with the root's packages (vite run from that folder, so SvelteKit reads
 * its svelte.config.js); skipped when its build is newer than its sources.
 */
export async function buildMinimal() {
	const out = path.join(minimalDir, 'build', 'index.js');
	const sources = Math.max(
		newestMtime(path.join(minimalDir, 'src')),
		...['svelte.config.js', 'vite.config.js', 'package.json'].map(
			(f) => fs.statSync(path.join(minimalDir, f)).mtimeMs
		)
	);
	if (fs.existsSync(out) && fs.statSync(out).mtimeMs > sources) return false;
	await run(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: minimalDir });
	return true;
}

async function waitFor(url, child, seconds = 120) {
	const until = Date.now() + seconds * 1000;
	for (;;) {
		if (child && child.exitCode !== null) throw new Error(`${url}: the server exited`);
		try {
			const r = await fetch(url);
			if (r.ok) return;
		} catch {
			// not listening yet
		}
		if (Date.now() > until) throw new Error(`${url} did not answer within ${seconds} s`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

function stopper(child) {
	return () =>
		new Promise((resolve) => {
			if (child.exitCode !== null || child.signalCode !== null) return resolve();
			child.once('exit', () => resolve());
			child.kill('SIGTERM');
			setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
		});
}

const running = new Set();
process.on('exit', () => {
	for (const c of running) c.kill('SIGKILL');
});

/** Throws when something already listens on `port`: the run would measure it instead. */
function refuseBusyPort(port) {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			reject(new Error(`Port ${port} is in use: stop what listens there or pass --port.`));
		});
		socket.once('error', () => resolve(undefined));
	});
}

async function startNode(entry, env, healthPath, cwd = root, args = []) {
	await refuseBusyPort(Number(env.PORT));
	const child = spawn(process.execPath, [entry, ...args], {
		cwd,
		env,
		stdio: ['ignore', 'ignore', 'inherit']
	});
	running.add(child);
	child.on('exit', () => running.delete(child));
	// Requests go to 127.0.0.1 (adapter-node listens on IPv4); forms carry ORIGIN as their Origin.
	const base = `http://127.0.0.1:${env.PORT}`;
	return waitFor(base + healthPath, child).then(() => ({
		base,
		origin: env.ORIGIN ?? base,
		pid: child.pid,
		stop: stopper(child)
	}));
}

/**
 * The built app on `port`, on the PostgreSQL database `databaseUrl`. `countQueries` turns on the
 * per-request query counter (BENCH_QUERY_COUNT=1), which the throughput runs leave off.
 */
export function startApp({ port, databaseUrl, countQueries = false }) {
	const env = {
		...process.env,
		PORT: String(port),
		ORIGIN: `http://localhost:${port}`,
		DATABASE_URL: databaseUrl,
		SEED_DEMO: '0',
		BENCH_QUERY_COUNT: countQueries ? '1' : '0'
	};
	delete env.PGLITE_DIR;
	return startNode(path.join(root, 'build', 'index.js'), env, '/healthz');
}

export function startMinimal({ port }) {
	const env = { ...process.env, PORT: String(port), ORIGIN: `http://localhost:${port}` };
	return startNode(path.join(minimalDir, 'build', 'index.js'), env, '/', minimalDir);
}

/** The bare node:http baseline (bench/bare.js) in its own process, answering `file`'s bytes. */
export function startBare({ port, file }) {
	const env = { ...process.env, PORT: String(port) };
	return startNode(path.join(root, 'bench', 'bare.js'), env, '/', root, [String(port), file]);
}

/** Resident set size of a process in bytes (Linux /proc), or null where there is none. */
export function rssOf(pid) {
	try {
		const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) * 1024 : null;
	} catch {
		return null;
	}
}
