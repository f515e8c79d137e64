import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { expect, type APIRequestContext } from '@playwright/test';
import { serverUrl, TEST_INSTANCE_POOL } from '../helpers/server-url.ts';
import { startTcpProxy, targetOf, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { expectAccessible, test } from './helpers.ts';

// The built app on PostgreSQL through a TCP proxy (this spec starts its own instance: the suite's
// server may run on the embedded database). Cutting the proxy is a database outage: /healthz and
// pages answer 503 (the friendly page, with a reference), the process keeps running, and once the
// proxy lets connections through again everything answers 200 within seconds.

let proxy: TcpProxy;
let app: ChildProcess;
let base: string;
let log = '';

async function freePort(): Promise<number> {
	const s = net.createServer();
	await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
	const { port } = s.address() as net.AddressInfo;
	await new Promise((r) => s.close(r));
	return port;
}

async function status(request: APIRequestContext, path: string): Promise<number> {
	try {
		return (await request.get(`${base}${path}`, { maxRedirects: 0, timeout: 10_000 })).status();
	} catch {
		return 0;
	}
}

async function waitFor(request: APIRequestContext, path: string, want: number, ms: number) {
	const start = Date.now();
	for (;;) {
		if ((await status(request, path)) === want) return Date.now() - start;
		if (Date.now() - start > ms) throw new Error(`${path} did not answer ${want} within ${ms} ms`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

test.beforeAll(async () => {
	const url = serverUrl();
	proxy = await startTcpProxy(targetOf(url));
	const port = await freePort();
	base = `http://localhost:${port}`;
	app = spawn(process.execPath, ['build/index.js'], {
		env: {
			...process.env,
			DATABASE_URL: proxy.via(url),
			PORT: String(port),
			ORIGIN: base,
			SEED_DEMO: '0',
			NODE_ENV: 'production',
			...TEST_INSTANCE_POOL
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	app.stdout!.on('data', (d) => (log += d));
	app.stderr!.on('data', (d) => (log += d));
});

test.afterAll(async () => {
	app?.kill('SIGTERM');
	await proxy?.close();
});

test('a database outage gives 503 pages and health, and the app recovers by itself', async ({
	page,
	request
}) => {
	test.setTimeout(120_000);
	await waitFor(request, '/healthz', 200, 90_000);
	expect(await status(request, '/')).toBe(200);

	// A signed-in visitor too (the session check is the first query of every request).
	const email = `outage-${Date.now()}@example.org`;
	await page.goto(`${base}/signup`);
	await page.getByLabel('Your name').fill('Olive Outage');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('the right passphrase');
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();

	proxy.cut();
	await waitFor(request, '/healthz', 503, 10_000);
	const anonymous = await request.get(`${base}/`);
	expect(anonymous.status()).toBe(503);
	const body = await anonymous.text();
	expect(body).toContain('The database cannot be reached just now');
	expect(body).toMatch(/mention reference <code>[0-9a-f]{8}<\/code>/);
	expect(body).not.toMatch(/\bat .*\.js:\d+/);

	const signedIn = await page.goto(`${base}/`);
	expect(signedIn!.status()).toBe(503);
	await expect(page.getByText(/try again/i).first()).toBeVisible();
	await page.screenshot({ path: 'test-results/database-outage-signed-in.png' });

	const anonContext = await page.context().browser()!.newContext();
	const anonPage = await anonContext.newPage();
	const r = await anonPage.goto(`${base}/`);
	expect(r!.status()).toBe(503);
	await expect(anonPage.getByRole('heading', { name: 'Something went wrong' })).toBeVisible();
	await expect(anonPage.getByText(/mention reference/)).toBeVisible();
	await expectAccessible(anonPage);
	await anonPage.setViewportSize({ width: 375, height: 800 });
	await anonPage.screenshot({ path: 'test-results/database-outage-375.png' });
	await anonContext.close();

	// Still the same process, still serving.
	expect(app.exitCode).toBeNull();

	proxy.restore();
	const recovered = await waitFor(request, '/healthz', 200, 10_000);
	expect(recovered).toBeLessThan(5_000);
	expect(await status(request, '/')).toBe(200);
	const again = await page.goto(`${base}/`);
	expect(again!.status()).toBe(200);
	await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
	expect(app.exitCode).toBeNull();
	expect(log).not.toMatch(/uncaught|unhandled/i);
});
