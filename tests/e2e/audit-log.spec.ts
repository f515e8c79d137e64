import { expect } from '@playwright/test';
import { demo, expectAccessible, logIn, postForm, signUp, test, uniqueEmail } from './helpers.ts';

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

test('an instructor makes a moderator and the class log shows it', async ({ page, browser }) => {
	const instructor = demo('instructor');
	await logIn(page, instructor.email, instructor.password);
	await page.goto('/classes/new');
	await page.getByLabel('Class name').fill('Logged class');
	await page
		.getByLabel('Course')
		.selectOption({ label: 'The UN cybercrime treaty: who wants what' });
	await page.getByRole('button', { name: 'Create class' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Logged class');
	const classPath = new URL(page.url()).pathname;
	const code = (await page.locator('p.code').textContent())!.replace(/Join code:|\s/g, '');

	await page.goto(`${classPath}/moderation/log`);
	await expect(page.getByText('Nothing has been logged yet.')).toBeVisible();
	await expectAccessible(page);

	const pupil = await (await browser.newContext()).newPage();
	await signUp(pupil, 'Mia Moderator', uniqueEmail('mia'), 'a long enough passphrase');
	expect((await postForm(pupil, `/join/${code}`, {})).status()).toBe(303);

	await page.goto(`${classPath}/roster`);
	await page.getByRole('button', { name: 'Make moderator: Mia Moderator' }).click();
	await expect(page.getByRole('button', { name: 'Make student: Mia Moderator' })).toBeVisible();

	await page.goto(`${classPath}/moderation/log`);
	const entry = page.getByRole('row', { name: /Mia Moderator/ });
	await expect(entry).toContainText('Made a student a moderator');
	await expect(entry).toContainText('Ines Instructor');
	await expectAccessible(page);

	// The new moderator reads it too; made a student again, she may not.
	const asModerator = await pupil.goto(`${classPath}/moderation/log`);
	expect(asModerator?.status()).toBe(200);
	await expect(pupil.getByRole('row', { name: /Mia Moderator/ })).toHaveCount(1);
	await page.goto(`${classPath}/roster`);
	await page.getByRole('button', { name: 'Make student: Mia Moderator' }).click();
	await expect(page.getByRole('button', { name: 'Make moderator: Mia Moderator' })).toBeVisible();
	expect((await pupil.goto(`${classPath}/moderation/log`))?.status()).toBe(403);
});
