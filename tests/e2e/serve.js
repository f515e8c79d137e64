// Starts the built app for the end-to-end suite on a fresh database: a new embedded one in a
// temporary directory, or, with TEST_DATABASE_URL, that server with its public schema emptied.
// The demo accounts it prints on first start are captured into tests/e2e/.state/demo.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import pg from 'pg';

const port = process.env.E2E_PORT ?? '4173';
const stateDir = path.resolve('tests/e2e/.state');
fs.rmSync(stateDir, { recursive: true, force: true });
fs.mkdirSync(stateDir, { recursive: true });

/** @type {NodeJS.ProcessEnv} */
const env = {
	...process.env,
	PORT: port,
	ORIGIN: `http://localhost:${port}`,
	SEED_DEMO: '1',
	BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT ?? '3M',
	NODE_ENV: 'production'
};
delete env.DATABASE_URL;
/** @type {string | undefined} */
let tmpDir;
if (process.env.TEST_DATABASE_URL) {
	const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
	await client.connect();
	await client.query('drop schema if exists public cascade; create schema public;');
	await client.end();
	env.DATABASE_URL = process.env.TEST_DATABASE_URL;
} else {
	tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perspectives-e2e-'));
	env.PGLITE_DIR = path.join(tmpDir, 'pglite');
}

const child = spawn(process.execPath, ['build/index.js'], {
	env,
	stdio: ['ignore', 'pipe', 'inherit']
});
/** @type {{ role: string; email: string; password: string }[]} */
const accounts = [];
let buffer = '';
child.stdout.on('data', (chunk) => {
	process.stdout.write(chunk);
	buffer += chunk.toString();
	let nl;
	while ((nl = buffer.indexOf('\n')) >= 0) {
		const line = buffer.slice(0, nl);
		buffer = buffer.slice(nl + 1);
		const m = /^\s+(student|instructor|admin)\s+(\S+@\S+)\s+(\S+)\s*$/.exec(line);
		if (m) {
			accounts.push({ role: m[1], email: m[2], password: m[3] });
			fs.writeFileSync(path.join(stateDir, 'demo.json'), JSON.stringify(accounts, null, 2));
		}
	}
});

function stop() {
	child.kill('SIGTERM');
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
child.on('exit', (code) => {
	if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
	process.exit(code ?? 0);
});
