import { expect } from '@playwright/test';
import {
	demo,
	expectAccessible,
	logIn,
	logInWithForm,
	logOut,
	signUp,
	test,
	uniqueEmail
} from './helpers.ts';

test('a visitor signs up, logs out and logs back in', async ({ page }) => {
	const email = uniqueEmail('newcomer');
	await page.goto('/');
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Sign up' }).first().click();
	await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
	await expectAccessible(page);

	await page.getByLabel('Your name').fill('Nia Newcomer');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('a long enough passphrase');
	await page.getByRole('button', { name: 'Sign up' }).click();

	await expect(page.getByRole('link', { name: /Nia Newcomer/ })).toBeVisible();
	await expect(page.locator('header .badge')).toHaveText('Student');
	await logOut(page);
	await logInWithForm(page, email, 'a long enough passphrase');
	await expect(page.getByRole('link', { name: /Nia Newcomer/ })).toBeVisible();
});

test('sign-up explains bad input beside each field and keeps what was typed', async ({ page }) => {
	await page.goto('/signup');
	await page.getByLabel('Your name').fill('Kim');
	await page.getByLabel('Email').fill('not-an-email');
	await page.getByLabel('Password').fill('password123');
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page.getByText('Enter an email address like name@example.org.')).toBeVisible();
	await expect(page.getByLabel('Your name')).toHaveValue('Kim');
	await expect(page.getByLabel('Email')).toHaveValue('not-an-email');
	await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
	await expectAccessible(page);

	await page.getByLabel('Email').fill(uniqueEmail('kim'));
	await page.getByLabel('Password').fill('password123');
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page.getByText('This password is too common')).toBeVisible();

	await page.getByLabel('Email').fill(demo('student').email);
	await page.getByLabel('Password').fill('a long enough passphrase');
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page.getByText('An account with this email already exists')).toBeVisible();
});

test('a wrong password gets one answer that does not say which part was wrong', async ({
	page
}) => {
	await page.goto('/login');
	await page.getByLabel('Email').fill(demo('student', 1).email);
	await page.getByLabel('Password').fill('not the password');
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('alert')).toHaveText('Email or password is wrong.');
	await expect(page.getByLabel('Email')).toHaveValue(demo('student', 1).email);
	await expectAccessible(page);

	await page.getByLabel('Email').fill('nobody-here@example.org');
	await page.getByLabel('Password').fill('not the password');
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('alert')).toHaveText('Email or password is wrong.');
});

test('ten failed logins lock the account with a 429 that says when to retry', async ({
	page,
	request,
	baseURL
}) => {
	const email = uniqueEmail('locked');
	await signUp(request, 'Lou Locked', email, 'the right passphrase');

	for (let i = 0; i < 10; i++) {
		const res = await request.post('/login', {
			form: { email, password: `wrong guess ${i}` },
			headers: {
				origin: baseURL!,
				accept: 'application/json',
				'x-sveltekit-action': 'true'
			}
		});
		expect(res.status()).toBe(200); // form actions answer 200 with the failure in the body
		expect((await res.json()).status).toBe(400);
	}
	await page.goto('/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('the right passphrase');
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.url().includes('/login') && r.request().method() === 'POST'),
		page.getByRole('button', { name: 'Log in' }).click()
	]);
	expect(response.status()).toBe(200);
	expect((await response.json()).status).toBe(429);
	await expect(page.getByRole('alert')).toContainText(
		/Too many failed attempts\. Try again in 1[45] minutes\./
	);
	await expectAccessible(page);
});

test('changing the password asks for the current one and ends other sessions', async ({
	browser
}) => {
	const email = uniqueEmail('changer');
	const first = await (await browser.newContext()).newPage();
	await signUp(first, 'Cam Changer', email, 'the first passphrase');

	const second = await (await browser.newContext()).newPage();
	await logIn(second, email, 'the first passphrase');

	await first.goto('/account');
	await expectAccessible(first);
	await first.getByLabel('Current password').fill('not my password');
	await first.getByLabel('New password').fill('the second passphrase');
	await first.getByRole('button', { name: 'Change password' }).click();
	await expect(first.getByText('That is not your current password.')).toBeVisible();

	await first.getByLabel('Current password').fill('the first passphrase');
	await first.getByLabel('New password').fill('the second passphrase');
	await first.getByRole('button', { name: 'Change password' }).click();
	await expect(first.getByText('Your password was changed.')).toBeVisible();

	await second.goto('/account');
	await expect(second).toHaveURL(/\/login\?next=%2Faccount/);
	await first.goto('/account');
	await expect(first.getByRole('heading', { name: 'Your account' })).toBeVisible();
	await logOut(first);
	await logInWithForm(first, email, 'the second passphrase');
});

test('an admin finds a user, promotes them to instructor, and issues a reset link', async ({
	page,
	browser
}) => {
	const admin = demo('admin');
	const student = demo('student', 2);
	await logIn(page, admin.email, admin.password);
	await page.goto('/');
	await page.getByRole('link', { name: 'Users' }).click();
	await expectAccessible(page);
	await page.getByLabel('Search by name or email').fill(student.email);
	await page.getByRole('button', { name: 'Search' }).click();
	await expect(page.getByText('1 user matching')).toBeVisible();

	const row = page.getByRole('row', { name: new RegExp(student.email) });
	await row.getByRole('combobox').selectOption('instructor');
	await row.getByRole('button', { name: /Change role/ }).click();
	await expect(page.getByRole('status')).toContainText('is now an instructor');
	await expect(row.locator('.badge')).toHaveText('Instructor');

	await row.getByRole('button', { name: /Password reset link/ }).click();
	const link = await page.getByRole('link', { name: /\/reset\// }).getAttribute('href');
	expect(link).toMatch(/\/reset\/[a-z2-7]+$/);
	await expectAccessible(page);

	const other = await (await browser.newContext()).newPage();
	await other.goto(link!);
	await expectAccessible(other);
	await other.getByLabel('New password').fill('reset by the admin');
	await other.getByRole('button', { name: 'Set password' }).click();
	await expect(other.getByText('Your password was changed')).toBeVisible();
	await logIn(other, student.email, 'reset by the admin');
	await other.goto('/');
	await expect(other.locator('header .badge')).toHaveText('Instructor');

	await other.goto(link!);
	await expect(other.getByRole('heading', { name: 'That did not work' })).toBeVisible();
});

test('students cannot open the admin pages', async ({ page }) => {
	const student = demo('student');
	await logIn(page, student.email, student.password);
	const res = await page.goto('/admin/users');
	expect(res?.status()).toBe(403);
	await expect(page.getByRole('heading', { name: 'No access' })).toBeVisible();
});
