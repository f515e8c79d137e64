import { spawn, type ChildProcess } from 'node:child_process';
import { expect, request, type APIRequestContext } from '@playwright/test';
import pg from 'pg';
import { demoAccounts, test, uniqueEmail, type DemoAccount } from './helpers.ts';
import { TEST_INSTANCE_POOL } from '../helpers/server-url.ts';

// Two app servers on one PostgreSQL database: a post made through one reaches, live, a reader whose
// page is served (and whose event stream is held) by the other. On the suite's PostgreSQL run the
// second server joins the suite's own; on the embedded run (which one process holds) both are
// started here on the server database of the server-only tests, emptied first.

const base = Number(process.env.E2E_PORT ?? 4173);
const children: ChildProcess[] = [];
test.afterAll(() => {
	for (const c of children) c.kill('SIGTERM');
});

/** Starts the built app on `port`; resolves with what it printed once /healthz answers. */
async function startServer(port: number, databaseUrl: string, seed: boolean): Promise<string> {
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PORT: String(port),
		ORIGIN: `http://localhost:${port}`,
		DATABASE_URL: databaseUrl,
		NODE_ENV: 'production',
		...TEST_INSTANCE_POOL
	};
	delete env.PGLITE_DIR;
	if (seed) env.SEED_DEMO = '1';
	else delete env.SEED_DEMO;
	const child = spawn(process.execPath, ['build/index.js'], {
		env,
		stdio: ['ignore', 'pipe', 'inherit']
	});
	children.push(child);
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	for (let i = 0; i < 120; i++) {
		try {
			if ((await fetch(`http://localhost:${port}/healthz`)).ok) return out;
		} catch {
			// Not listening yet.
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`the server on ${port} did not come up:\n${out}`);
}

/** A signed-in API client of the server at `origin`, posting forms as a browser without JS. */
async function client(origin: string) {
	const api = await request.newContext({ baseURL: origin });
	const post = (path: string, form: Record<string, string>) =>
		api.post(path, { form, headers: { origin, accept: 'text/html' }, maxRedirects: 0 });
	return { api, post };
}

async function signedIn(origin: string, who: { email: string; password: string }) {
	const c = await client(origin);
	expect((await c.post('/login', who)).status(), `logging in as ${who.email}`).toBe(303);
	return c;
}

async function cookiesOf(api: APIRequestContext) {
	return (await api.storageState()).cookies;
}

test('a post made through one app instance reaches a reader connected to another', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const suiteDb = process.env.TEST_DATABASE_URL;
	const serverDb = suiteDb || process.env.TEST_POSTGRES_URL;
	if (!serverDb) {
		throw new Error(
			'This test needs a PostgreSQL server: set TEST_POSTGRES_URL (or TEST_DATABASE_URL).'
		);
	}
	let a: string;
	let accounts: DemoAccount[];
	if (suiteDb) {
		a = `http://localhost:${base}`;
		accounts = demoAccounts();
	} else {
		const db = new pg.Client({ connectionString: serverDb });
		await db.connect();
		await db.query('drop schema if exists public cascade; create schema public;');
		await db.end();
		a = `http://localhost:${base + 1}`;
		const printed = await startServer(base + 1, serverDb, true);
		accounts = [
			...printed.matchAll(/^\s+(student|instructor|admin)\s+(\S+@\S+)\s+(\S+)\s*$/gm)
		].map((m) => ({ role: m[1] as DemoAccount['role'], email: m[2], password: m[3] }));
	}
	const b = `http://localhost:${base + 2}`;
	await startServer(base + 2, serverDb, false);

	// The instructor makes a class on A; a writer joins through A, a reader through B.
	const instructor = accounts.find((x) => x.role === 'instructor')!;
	const teacher = await signedIn(a, instructor);
	const made = await teacher.post('/classes/new', {
		name: 'Two instances',
		course: '1',
		term: '',
		timeZone: 'UTC'
	});
	expect(made.status()).toBe(303);
	const classPath = made.headers().location.split('?')[0];
	const home = await (await teacher.api.get(classPath)).text();
	const code = /\/join\/([A-Z0-9]+)/.exec(home)![1];
	const people = [];
	for (const [origin, name] of [
		[a, 'Wren Writer'],
		[b, 'Rae Reader']
	]) {
		const c = await client(origin);
		const email = uniqueEmail(name.split(' ')[0].toLowerCase());
		const signed = await c.post('/signup', { name, email, password: 'a long enough passphrase' });
		expect(signed.status()).toBe(303);
		expect((await c.post('/join', { code })).status()).toBe(303);
		people.push(c);
	}
	const [writer, reader] = people;
	const started = await writer.post(`${classPath}/discussions?/start`, {
		title: 'Across instances',
		anchor: 'general',
		body: 'Who fears the treaty?',
		voice: ''
	});
	expect(started.status()).toBe(303);
	const threadPath = started.headers().location.split('?')[0];

	// The reader's browser is served by B, and holds its live stream there.
	const context = await browser.newContext({ baseURL: b });
	await context.addCookies(await cookiesOf(reader.api));
	const page = await context.newPage();
	await page.goto(threadPath);
	await expect(page.getByText('Live', { exact: true })).toBeVisible();

	// Through A: a reply, as a browser without JavaScript posts it.
	const replied = await writer.post(`${threadPath}?/reply`, {
		body: 'The rights groups do [¶3].',
		voice: ''
	});
	expect(replied.status()).toBe(303);
	await expect(page.locator('.post', { hasText: 'The rights groups do' })).toBeVisible({
		timeout: 3000
	});
	await context.close();
});
