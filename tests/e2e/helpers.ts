import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';

/**
 * Playwright's `test`, closing at the end of each test the browser contexts it opened with
 * `browser.newContext()` (a teacher's, a student's): left open, every page of the run stays alive
 * in the one browser. Closed after the failure screenshots are taken.
 */
export const test = base.extend<{ closeContexts: void }>({
	closeContexts: [
		async ({ browser }, use) => {
			await use();
			await Promise.all(browser.contexts().map((c) => c.close()));
		},
		{ auto: true }
	]
});

export interface DemoAccount {
	role: 'admin' | 'instructor' | 'student';
	email: string;
	password: string;
}

/** The demo accounts the server printed on its first start (captured by serve.js). */
export function demoAccounts(): DemoAccount[] {
	return JSON.parse(fs.readFileSync(path.resolve('tests/e2e/.state/demo.json'), 'utf8'));
}

export function demo(role: DemoAccount['role'], index = 0): DemoAccount {
	const found = demoAccounts().filter((a) => a.role === role)[index];
	if (!found) throw new Error(`no demo ${role} #${index}`);
	return found;
}

/**
 * Posts a form's fields to a page's action as the browser would without JavaScript, with the
 * cookies of the page's browser context (or of a request context), and returns the response
 * without following its redirect. For the set-up of a test (signing in, signing up, joining),
 * not for the forms under test.
 */
export async function postForm(
	from: Page | APIRequestContext,
	path: string,
	form: Record<string, string>
) {
	const origin = new URL(test.info().project.use.baseURL ?? 'http://localhost').origin;
	const request = 'request' in from ? from.request : from;
	// Accepting HTML makes it a plain form post: SvelteKit answers other requests in JSON.
	return request.post(path, {
		form,
		headers: { origin, accept: 'text/html' },
		maxRedirects: 0
	});
}

/**
 * Signs this page's browser context in as the given account through the login action (the login
 * page itself is driven in accounts.spec.ts): one request instead of rendering the login page.
 * The page stays where it was; a test goes on with its own `goto`.
 */
export async function logIn(page: Page, email: string, password: string): Promise<void> {
	const res = await postForm(page, '/login', { email, password });
	expect(res.status(), `logging in as ${email}`).toBe(303);
}

/** Creates a student account through the sign-up action, signing `from` in as it. */
export async function signUp(
	from: Page | APIRequestContext,
	name: string,
	email: string,
	password: string
) {
	const res = await postForm(from, '/signup', { name, email, password });
	expect(res.status(), `signing up as ${email}`).toBe(303);
}

/** Logs in through the login page as a person would, ending on the home page signed in. */
export async function logInWithForm(page: Page, email: string, password: string): Promise<void> {
	await page.goto('/login');
	// Typed once the form is live: hydration can clear what was typed before it.
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
}

export async function logOut(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'Log out' }).click();
	await expect(page.locator('header').getByRole('link', { name: 'Log in' })).toBeVisible();
}

/** A phone's width (CSS pixels), at which every kind of page scanned is checked as well as at desktop. */
export const PHONE = { width: 375, height: 812 };

// axe-core itself, injected into a page once per document. (@axe-core/playwright injects it on
// every scan and opens a blank page to combine frames' results; the app has no frames.)
const axeSource = fs.readFileSync(
	createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
	'utf8'
);
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function axeViolations(page: Page): Promise<string[]> {
	if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
	return page.evaluate(async (tags) => {
		const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
		const results = await axe.run(document, {
			runOnly: { type: 'tag', values: tags },
			resultTypes: ['violations']
		});
		return results.violations.map(
			(v) =>
				`${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
		);
	}, WCAG_TAGS);
}

/**
 * What axe's verdict on a page depends on, without its text: the page's kind (its path with ids
 * folded, `/classes/#/roster`, and its query's names), the colour scheme, and the set of
 * element shapes in it (tag, role, classes and the names of its attributes). A page whose
 * shape was scanned already in this run (the same list with other rows, another class's home) is
 * not scanned again; a new state of a page (an error beside a field, a dialog, a confirmation
 * step) is a new shape and is scanned. Each scan costs about a second on CI's two cores.
 */
async function shapeKey(page: Page): Promise<string> {
	const u = new URL(page.url());
	const query = [...new Set(u.searchParams.keys())].sort().join('&');
	const kind = `${u.pathname.replace(/\d+/g, '#')}${query ? `?${query}` : ''}`;
	const shape = await page.evaluate(() => {
		const shapes = new Set<string>();
		for (const el of document.querySelectorAll('body *')) {
			const attrs = el.getAttributeNames().sort().join(',');
			const classes = [...el.classList].sort().join('.');
			shapes.add(`${el.tagName}.${classes}[${attrs}]`);
		}
		const dark = matchMedia('(prefers-color-scheme: dark)').matches;
		return `${dark ? 'dark' : 'light'} ${[...shapes].sort().join(' ')}`;
	});
	return `${kind} ${shape}`;
}

// Widths and shapes scanned in this run (the worker's: one worker runs the whole suite).
const scanned = new Set<string>();

/**
 * Fails with the list of axe violations (WCAG 2.1 A and AA) on the page as it is now, at the
 * test's own (desktop) width and at a phone's, unless a page of the same shape was scanned at
 * that width already in this run (see `shapeKey`); the viewport is put back afterwards. With
 * `E2E_AXE=0` it does nothing.
 */
export async function expectAccessible(page: Page): Promise<void> {
	// E2E_AXE=0: the flows only. CI scans in its embedded-database run; the pages' HTML and CSS
	// are the same on the server's run, so scanning them twice would only double the cost.
	if (process.env.E2E_AXE === '0') return;
	// A scan takes a second or more on a busy machine: a test gets time for the scans it asks for.
	test.info().setTimeout(test.info().timeout + 10_000);
	const shape = await shapeKey(page);
	const own = page.viewportSize();
	const widths = own && own.width > PHONE.width ? [own.width, PHONE.width] : [own?.width ?? 0];
	for (const width of widths.filter((w) => !scanned.has(`${w} ${shape}`))) {
		const resize = own !== null && width !== own.width;
		if (resize) await page.setViewportSize({ width, height: PHONE.height });
		try {
			const found = await axeViolations(page);
			expect(found, `axe violations on ${page.url()} at ${width} px`).toEqual([]);
			scanned.add(`${width} ${shape}`);
		} finally {
			if (resize) await page.setViewportSize(own);
		}
	}
}

let counter = 0;
export function uniqueEmail(prefix: string): string {
	counter += 1;
	return `${prefix}-${Date.now()}-${counter}@example.org`;
}
