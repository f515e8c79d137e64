import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

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

export async function logIn(page: Page, email: string, password: string): Promise<void> {
	await page.goto('/login');
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

async function axeViolations(page: Page): Promise<string[]> {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	return results.violations.map(
		(v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
	);
}

// Pages already scanned at phone width in this run, by path with ids folded (`/classes/#/roster`):
// a page is scanned at both widths the first time the suite reaches it, and at desktop width on
// every later visit. The phone scans double the cost of a scan, and CI has two cores.
const scannedAtPhoneWidth = new Set<string>();

function pageKind(url: string): string {
	const u = new URL(url);
	const query = [...new Set(u.searchParams.keys())].sort().join('&');
	return `${u.pathname.replace(/\d+/g, '#')}${query ? `?${query}` : ''}`;
}

/**
 * Fails with the list of axe violations (WCAG 2.1 A and AA) on the page as it is now, at the
 * test's own (desktop) width, and at a phone's the first time the run scans a page of this kind;
 * the viewport is put back afterwards.
 */
export async function expectAccessible(page: Page): Promise<void> {
	// Each scan takes seconds on a busy machine: a test gets time for the scans it asks for.
	test.info().setTimeout(test.info().timeout + 20_000);
	const desktop = page.viewportSize();
	expect(await axeViolations(page), `axe violations on ${page.url()} (desktop)`).toEqual([]);
	if (!desktop || desktop.width <= PHONE.width) return;
	const kind = pageKind(page.url());
	if (scannedAtPhoneWidth.has(kind)) return;
	await page.setViewportSize(PHONE);
	try {
		expect(await axeViolations(page), `axe violations on ${page.url()} at 375 px`).toEqual([]);
		scannedAtPhoneWidth.add(kind);
	} finally {
		await page.setViewportSize(desktop);
	}
}

let counter = 0;
export function uniqueEmail(prefix: string): string {
	counter += 1;
	return `${prefix}-${Date.now()}-${counter}@example.org`;
}
