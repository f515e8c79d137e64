// The servers under test: one or two instances of the built app (`node build`) on the bench's
// database, and for two, nginx in front of them (Debian's package, round robin, no sticky
// sessions), run in the foreground from a config file of our own in a temp directory.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request, sleep } from './http.ts';

export interface Servers {
	/** Where the load generator sends requests. */
	base: URL;
	/** The ORIGIN the app instances were given (what a browser would send as Origin). */
	origin: string;
	appPids: () => number[];
	stop: () => Promise<void>;
}

async function waitHealthy(
	url: URL,
	child: ChildProcess,
	what: string,
	log: () => string
): Promise<void> {
	const until = Date.now() + 120_000;
	while (Date.now() < until) {
		if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}):\n${log()}`);
		try {
			const r = await request(new URL('/healthz', url), { timeoutMs: 2000 });
			if (r.status === 200) return;
		} catch {
			// not listening yet
		}
		await sleep(250);
	}
	throw new Error(`${what} did not become healthy in 120 s:\n${log()}`);
}

/** Extra Node flags for the app instances (BENCH_APP_NODE_ARGS, e.g. `--cpu-prof`), to profile a run. */
function appNodeArgs(): string[] {
	return (process.env.BENCH_APP_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}

function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
		child.once('exit', () => {
			clearTimeout(kill);
			resolve();
		});
		child.kill('SIGTERM');
	});
}

export async function startServers(opts: {
	databaseUrl: string;
	instances: number;
	appPort: number;
	nginxPort: number;
	poolSize?: number;
}): Promise<Servers> {
	const front = opts.instances > 1 ? opts.nginxPort : opts.appPort;
	const origin = `http://127.0.0.1:${front}`;
	const children: ChildProcess[] = [];
	const stopAll = async () => {
		for (const c of children.reverse()) await stopChild(c);
	};
	try {
		const apps = Array.from({ length: opts.instances }, (_, i) => {
			let out = '';
			const child = spawn(process.execPath, [...appNodeArgs(), 'build'], {
				env: {
					...process.env,
					PORT: String(opts.appPort + i),
					HOST: '127.0.0.1',
					ORIGIN: origin,
					DATABASE_URL: opts.databaseUrl,
					SEED_DEMO: '0',
					...(opts.poolSize ? { DATABASE_POOL_SIZE: String(opts.poolSize) } : {})
				},
				stdio: ['ignore', 'pipe', 'pipe']
			});
			const keep = (c: Buffer) => (out = (out + c.toString()).slice(-4000));
			child.stdout!.on('data', keep);
			child.stderr!.on('data', keep);
			children.push(child);
			return { child, url: new URL(`http://127.0.0.1:${opts.appPort + i}`), log: () => out };
		});
		await Promise.all(
			apps.map((a, i) => waitHealthy(a.url, a.child, `app instance ${i + 1}`, a.log))
		);
		if (opts.instances > 1)
			children.push(
				await startNginx(
					opts.nginxPort,
					apps.map((a) => a.url.port)
				)
			);
		return {
			base: new URL(origin),
			origin,
			appPids: () => apps.map((a) => a.child.pid!).filter(Boolean),
			stop: stopAll
		};
	} catch (e) {
		await stopAll();
		throw e;
	}
}

async function startNginx(port: number, upstreams: string[]): Promise<ChildProcess> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exam-nginx-'));
	const conf = `
worker_processes 1;
worker_rlimit_nofile 19000;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 18000; }
http {
	access_log off;
	client_body_temp_path ${dir}/body;
	proxy_temp_path ${dir}/proxy;
	fastcgi_temp_path ${dir}/fastcgi;
	uwsgi_temp_path ${dir}/uwsgi;
	scgi_temp_path ${dir}/scgi;
	# Round robin (nginx's default), no stickiness: any request may land on either instance.
	upstream app {
		${upstreams.map((p) => `server 127.0.0.1:${p};`).join('\n\t\t')}
		keepalive 128;
		# Shorter than Node's 5 s keep-alive timeout: otherwise nginx reuses a connection the app
		# is closing, and the request (a POST, which nginx may not retry) fails with a 502.
		keepalive_timeout 4s;
	}
	server {
		listen 127.0.0.1:${port};
		location / {
			proxy_pass http://app;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host $http_host;
			proxy_buffering off;
		}
	}
}
`;
	fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
	let out = '';
	const child = spawn(
		'nginx',
		['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')],
		{
			stdio: ['ignore', 'pipe', 'pipe']
		}
	);
	child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
	child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
	await waitHealthy(
		new URL(`http://127.0.0.1:${port}`),
		child,
		'nginx',
		() => out + (read(path.join(dir, 'error.log')) ?? '')
	);
	return child;
}

function read(p: string): string | null {
	try {
		return fs.readFileSync(p, 'utf8');
	} catch {
		return null;
	}
}
