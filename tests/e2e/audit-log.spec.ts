import { expect } from '@playwright/test';
import { demo, expectAccessible, logIn, signUp, test, uniqueEmail } from './helpers.ts';

test('an admin changes a role and finds it in the account log', async ({ page, browser }) => {
	const email = uniqueEmail('audited');
	const other = await browser.newContext();
	await signUp(other.request, 'Audited Person', email, 'a long enough passphrase');

	const admin = demo('admin');
	await logIn(page, admin.email, admin.password);
	await page.goto('/admin/users');
	await page.getByLabel('Search by name or email').fill(email);
	await page.getByRole('button', { name: 'Search' }).click();
	const row = page.getByRole('row', { name: new RegExp(email) });
	await row.getByRole('combobox').selectOption('instructor');
	await row.getByRole('button', { name: /Change role/ }).click();
	await expect(page.getByRole('status')).toContainText('is now an instructor');

	await page.getByRole('link', { name: 'Account log' }).click();
	await expect(page.getByRole('heading', { name: 'Account log' })).toBeVisible();
	const entry = page.getByRole('row', { name: new RegExp(email) }).first();
	await expect(entry).toContainText('Changed an account’s role');
	await expect(entry).toContainText(`Audited Person <${email}>`);
	await expectAccessible(page);

	// The filters are a plain GET form: a search for nobody reads as such.
	await page.getByLabel('Target or reason contains').fill('nobody-at-all');
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(page).toHaveURL(/\/admin\/log\?.*\bq=nobody-at-all(&|$)/);
	await expect(page.getByText('No entries match these filters.')).toBeVisible();
	await expectAccessible(page);
});
