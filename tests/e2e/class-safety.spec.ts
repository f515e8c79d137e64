import { expect, type Browser, type Page } from '@playwright/test';
import { demo, expectAccessible, logIn, postForm, signUp, test, uniqueEmail } from './helpers.ts';

// What a new teacher tripped over: destructive actions ask first (with and without JavaScript),
// assigning warns, assignments open in their class's context, join links and codes, password
// recovery in a school, instructor invitations.

const COURSE = 'The UN cybercrime treaty: who wants what';
const SHOTS = process.env.E2E_SCREENSHOTS;

async function shoot(page: Page, name: string) {
	if (!SHOTS) return;
	await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/**
 * Axe at phone width and at desktop width, and screenshots of both when asked for. Axe needs
 * JavaScript: a page without it is only photographed.
 */
async function checkBothWidths(page: Page, name: string, axe = true) {
	await page.setViewportSize({ width: 1280, height: 800 });
	// expectAccessible scans at this width and again at a phone's.
	if (axe) await expectAccessible(page);
	if (!SHOTS) return;
	await shoot(page, `${name}-desktop`);
	await page.setViewportSize({ width: 375, height: 800 });
	await shoot(page, `${name}-375`);
	await page.setViewportSize({ width: 1280, height: 800 });
}

function inputDate(d: Date): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

async function teacherPage(browser: Browser, javaScriptEnabled = true) {
	const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
	const instructor = demo('instructor');
	await logIn(page, instructor.email, instructor.password);
	return page;
}

async function createClass(page: Page, name: string): Promise<{ url: string; code: string }> {
	await page.goto('/classes/new');
	await page.getByLabel('Class name').fill(name);
	await page.getByLabel('Course').selectOption({ label: COURSE });
	await page.getByRole('button', { name: 'Create class' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
	const code = (await page.locator('p.code').textContent())!.replace(/Join code:|\s/g, '');
	return { url: new URL(page.url()).pathname, code };
}

/** A new student account that has joined the class; its page is signed in. */
async function newStudent(browser: Browser, code: string, name: string) {
	const page = await (await browser.newContext()).newPage();
	const email = uniqueEmail('pupil');
	await signUp(page, name, email, 'a long enough passphrase');
	const joined = await postForm(page, `/join/${code}`, {});
	expect(joined.headers().location).toMatch(/^\/classes\/\d+\?joined=1$/);
	return { page, email, name };
}

async function assign(page: Page, classUrl: string, lesson: string, due: Date, extra = {}) {
	const o = { title: '', instructions: '', opens: null as Date | null, ...extra };
	await page.goto(`${classUrl}/assignments`);
	// Chosen once the form is live: hydration sets the select from the form's state.
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Lesson', { exact: true }).selectOption({ label: lesson });
	await page.getByLabel('Title (optional)').fill(o.title);
	await page.getByLabel('Instructions (optional)').fill(o.instructions);
	if (o.opens) await page.getByLabel('Opens (optional)').fill(inputDate(o.opens));
	await page.getByLabel('Due', { exact: true }).fill(inputDate(due));
	await page.getByRole('button', { name: 'Assign', exact: true }).click();
}

const TOMORROW = () => new Date(Date.now() + 24 * 3600 * 1000);

test('without JavaScript, destructive actions show a confirmation step first', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const teacher = await teacherPage(browser, false);
	const { url, code } = await createClass(teacher, 'No-script class');
	const pupil = await newStudent(browser, code, 'Rita Remove');

	// Delete an assignment: a confirmation step, then it is gone.
	await assign(teacher, url, "Washington's case", TOMORROW(), { title: 'Read it' });
	await expect(teacher.getByText('Assigned “Read it”.')).toBeVisible();
	await teacher.getByRole('button', { name: 'Delete Read it' }).click();
	const step = teacher.locator('.confirm-step');
	await expect(step.getByText('Delete “Read it”?')).toBeVisible();
	await expect(teacher.getByRole('link', { name: 'Read it', exact: true })).toBeVisible(); // not yet
	await checkBothWidths(teacher, 'confirm-step-delete', false);
	await step.getByRole('button', { name: 'Delete assignment' }).click();
	await expect(teacher.getByText('The assignment was deleted.')).toBeVisible();
	await expect(teacher.getByRole('link', { name: 'Read it', exact: true })).toHaveCount(0);

	// Remove a student: Cancel keeps them; confirming removes them.
	await teacher.goto(`${url}/roster`);
	await teacher.getByRole('button', { name: 'Remove Rita Remove' }).click();
	await expect(step.getByText(/Remove Rita Remove from No-script class\?/)).toBeVisible();
	await step.getByRole('link', { name: 'Cancel' }).click();
	await expect(teacher.getByRole('row', { name: /Rita Remove/ })).toBeVisible();
	await teacher.getByRole('button', { name: 'Remove Rita Remove' }).click();
	await step.getByRole('button', { name: 'Remove Rita Remove' }).click();
	await expect(teacher.getByText('Rita Remove was removed from the class.')).toBeVisible();
	await expect(teacher.getByRole('row', { name: /Rita Remove/ })).toHaveCount(0);

	// Archive the class.
	await teacher.goto(url);
	await teacher.getByRole('button', { name: 'Archive class' }).click();
	await expect(step.getByText(/Archive No-script class\?/)).toBeVisible();
	await step.getByRole('button', { name: 'Archive class' }).click();
	await expect(teacher.getByText('The class is archived')).toBeVisible();

	// Disable a user in /admin/users.
	const adminPage = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
	const admin = demo('admin');
	await logIn(adminPage, admin.email, admin.password);
	await adminPage.goto(`/admin/users?q=${encodeURIComponent(pupil.email)}`);
	await adminPage.getByRole('button', { name: 'Disable Rita Remove' }).click();
	await expect(
		adminPage.locator('.confirm-step').getByText(/Disable Rita Remove \(/)
	).toBeVisible();
	await expect(
		adminPage.getByRole('row', { name: /Rita Remove/ }).getByRole('cell', { name: 'Active' })
	).toBeVisible();
	await adminPage
		.locator('.confirm-step')
		.getByRole('button', { name: 'Disable Rita Remove' })
		.click();
	await expect(adminPage.getByText('Rita Remove is disabled')).toBeVisible();
	await expect(
		adminPage.getByRole('row', { name: /Rita Remove/ }).getByRole('cell', { name: 'Disabled' })
	).toBeVisible();
});

test('with JavaScript, destructive actions ask in a dialog', async ({ browser }) => {
	test.setTimeout(240_000);
	const teacher = await teacherPage(browser);
	const { url, code } = await createClass(teacher, 'Dialog class');
	const pupil = await newStudent(browser, code, 'Dora Dialog');

	await assign(teacher, url, "Washington's case", TOMORROW(), { title: 'Dialog reading' });
	await expect(teacher.getByText('Assigned “Dialog reading”.')).toBeVisible();
	await teacher.getByRole('button', { name: 'Delete Dialog reading' }).click();
	const dialog = teacher.getByRole('dialog');
	await expect(dialog.getByText('Delete “Dialog reading”?')).toBeVisible();
	await checkBothWidths(teacher, 'confirm-dialog-delete');
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toBeHidden();
	await expect(teacher.getByRole('link', { name: 'Dialog reading', exact: true })).toBeVisible();
	// The step a browser without JavaScript gets (a plain post of the first form) passes axe too.
	await teacher
		.locator('form[action="?/delete"]')
		.first()
		.evaluate((f) => (f as HTMLFormElement).submit());
	await expect(
		teacher.locator('.confirm-step').getByText('Delete “Dialog reading”?')
	).toBeVisible();
	await checkBothWidths(teacher, 'confirm-step-js');
	await teacher.getByRole('button', { name: 'Delete Dialog reading' }).click();
	await dialog.getByRole('button', { name: 'Delete assignment' }).click();
	await expect(teacher.getByText('The assignment was deleted.')).toBeVisible();
	await expect(teacher.getByRole('link', { name: 'Dialog reading', exact: true })).toHaveCount(0);

	await teacher.goto(`${url}/roster`);
	await teacher.getByRole('button', { name: 'Remove Dora Dialog' }).click();
	await teacher.getByRole('dialog').getByRole('button', { name: 'Remove Dora Dialog' }).click();
	await expect(teacher.getByText('Dora Dialog was removed from the class.')).toBeVisible();

	await teacher.goto(url);
	await teacher.getByRole('button', { name: 'Archive class' }).click();
	await teacher.getByRole('dialog').getByRole('button', { name: 'Archive class' }).click();
	await expect(teacher.getByText('The class is archived')).toBeVisible();

	const adminPage = await (await browser.newContext()).newPage();
	const admin = demo('admin');
	await logIn(adminPage, admin.email, admin.password);
	await adminPage.goto(`/admin/users?q=${encodeURIComponent(pupil.email)}`);
	await adminPage.getByRole('button', { name: 'Disable Dora Dialog' }).click();
	await adminPage.getByRole('dialog').getByRole('button', { name: 'Disable Dora Dialog' }).click();
	await expect(adminPage.getByText('Dora Dialog is disabled')).toBeVisible();
});

test('assigning warns about a repeat or a past due date; the form is cleared after Assign', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const teacher = await teacherPage(browser);
	const { url } = await createClass(teacher, 'Warning class');
	await assign(teacher, url, "Washington's case", TOMORROW(), {
		title: 'First reading',
		instructions: 'Read it twice.'
	});
	await expect(teacher.getByText('Assigned “First reading”.')).toBeVisible();
	// Cleared for the next one.
	await expect(teacher.getByLabel('Title (optional)')).toHaveValue('');
	await expect(teacher.getByLabel('Instructions (optional)')).toHaveValue('');
	await expect(teacher.getByLabel('Lesson', { exact: true })).toHaveValue('');

	await assign(teacher, url, "Washington's case", new Date(Date.now() - 3600 * 1000), {
		title: 'Again'
	});
	const warning = teacher.getByRole('alert').filter({ hasText: 'Check before you go on' });
	await expect(
		warning.getByText(/is already assigned in this class as “First reading”/)
	).toBeVisible();
	await expect(warning.getByText(/is in the past/)).toBeVisible();
	await expect(teacher.getByLabel('Title (optional)')).toHaveValue('Again');
	await checkBothWidths(teacher, 'assign-warnings');
	await teacher.getByRole('button', { name: 'Assign anyway' }).click();
	await expect(teacher.getByText('Assigned “Again”.')).toBeVisible();
	await expect(teacher.getByRole('link', { name: 'Again', exact: true })).toBeVisible();
});

test('an assignment opens in its class with dates, Markdown instructions and the way back; upcoming work waits', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const teacher = await teacherPage(browser);
	const { url, code } = await createClass(teacher, 'Context class');
	await assign(teacher, url, "Washington's case", TOMORROW(), {
		title: 'Close reading',
		instructions: 'Read **closely** and see [the article](https://example.org/a).'
	});
	await expect(teacher.getByText('Assigned “Close reading”.')).toBeVisible();
	const later = new Date(Date.now() + 3 * 24 * 3600 * 1000);
	await assign(
		teacher,
		url,
		'What the treaty is and where it came from',
		new Date(later.getTime() + 86400000),
		{
			title: 'Next week',
			opens: later
		}
	);
	await expect(teacher.getByText('Assigned “Next week”.')).toBeVisible();

	const pupil = await newStudent(browser, code, 'Carl Context');
	await pupil.page.goto(url);
	const upcoming = pupil.page.getByRole('heading', { name: 'Upcoming' });
	await expect(upcoming).toBeVisible();
	await expect(
		pupil.page.locator('li', { hasText: 'Next week' }).getByText('Upcoming')
	).toBeVisible();
	await pupil.page.getByRole('link', { name: 'Close reading' }).click();
	await expect(pupil.page.getByRole('heading', { name: 'Close reading' })).toBeVisible();
	await expect(pupil.page.locator('strong', { hasText: 'closely' })).toBeVisible();
	await expect(pupil.page.getByRole('link', { name: 'the article' })).toHaveAttribute(
		'href',
		'https://example.org/a'
	);
	await expect(pupil.page.getByText('Context class').first()).toBeVisible();
	await expect(pupil.page.getByText(/Due/).first()).toBeVisible();
	await checkBothWidths(pupil.page, 'assignment-page');
	await pupil.page.getByRole('link', { name: /All assignments of Context class/ }).click();
	await expect(pupil.page).toHaveURL(new RegExp(`${url}/assignments$`));
});

test('the join link is a link with a copy button; the code reads on a phone; an old code says it changed', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const context = await browser.newContext();
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	const teacher = await context.newPage();
	const instructor = demo('instructor');
	await logIn(teacher, instructor.email, instructor.password);
	const { code } = await createClass(teacher, 'Link class');
	const link = teacher.getByRole('link', { name: new RegExp(`/join/${code}$`) });
	await expect(link).toHaveAttribute('href', new RegExp(`/join/${code}$`));
	await teacher.getByRole('button', { name: 'Copy join link' }).click();
	await expect(teacher.getByText('Link copied.')).toBeVisible();
	expect(await teacher.evaluate(() => navigator.clipboard.readText())).toContain(`/join/${code}`);
	// Large monospace, two groups of four.
	const groups = await teacher.locator('p.code .group').allTextContents();
	expect(groups).toEqual([code.slice(0, 4), code.slice(4)]);
	await teacher.setViewportSize({ width: 375, height: 800 });
	const size = await teacher
		.locator('p.code')
		.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
	expect(size).toBeGreaterThanOrEqual(32);
	await checkBothWidths(teacher, 'class-home-staff');

	await teacher.getByRole('button', { name: 'New code' }).click();
	await expect(teacher.getByText(/New join code/)).toBeVisible();
	// A fresh account (another spec changes the demo students' passwords).
	const pupil = await (await browser.newContext()).newPage();
	await signUp(pupil, 'Olga Oldcode', uniqueEmail('oldcode'), 'a long enough passphrase');
	const res = await pupil.goto(`/join/${code}`);
	expect(res?.status()).toBe(410);
	await expect(
		pupil.getByText('This class’s code has changed; ask your instructor for the new one.')
	).toBeVisible();
	await expectAccessible(pupil);
});

test('an instructor gives a student a reset link; an admin invites an instructor', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const teacher = await teacherPage(browser);
	const { url, code } = await createClass(teacher, 'Reset class');
	const pupil = await newStudent(browser, code, 'Fay Forgetful');
	await teacher.goto(`${url}/roster`);
	await teacher.getByRole('button', { name: 'Password reset link for Fay Forgetful' }).click();
	const resetLink = await teacher.getByRole('link', { name: /\/reset\// }).getAttribute('href');
	expect(resetLink).toMatch(/\/reset\/\w+/);
	await checkBothWidths(teacher, 'roster-reset-link');

	const visitor = await (await browser.newContext()).newPage();
	await visitor.goto('/login');
	await expect(
		visitor.getByText(
			'Forgot your password? Ask your instructor or an administrator for a reset link.'
		)
	).toBeVisible();
	await visitor.goto(resetLink!);
	await visitor.getByLabel('New password').fill('a brand new passphrase');
	await visitor.getByRole('button', { name: /password/i }).click();
	await expect(visitor).toHaveURL(/\/login\?reset=1/);
	await visitor.getByLabel('Email').fill(pupil.email);
	await visitor.getByLabel('Password').fill('a brand new passphrase');
	await visitor.getByRole('button', { name: 'Log in' }).click();
	await expect(visitor.getByRole('button', { name: 'Log out' })).toBeVisible();

	// Invitations.
	const adminPage = await (await browser.newContext()).newPage();
	const admin = demo('admin');
	await logIn(adminPage, admin.email, admin.password);
	await adminPage.goto('/admin/users');
	await adminPage.getByText('Invite an instructor').click();
	const email = uniqueEmail('teacher');
	await adminPage.getByLabel('Instructor’s email').fill(email);
	await adminPage.getByRole('button', { name: 'Create invitation link' }).click();
	const inviteLink = await adminPage.getByRole('link', { name: /\/invite\// }).getAttribute('href');
	await checkBothWidths(adminPage, 'admin-invite');

	const newcomer = await (await browser.newContext()).newPage();
	await newcomer.goto(inviteLink!);
	await expect(newcomer.getByText(email)).toBeVisible();
	await checkBothWidths(newcomer, 'invite-page');
	await newcomer.getByLabel('Your name').fill('Nina Newteacher');
	await newcomer.getByLabel('Password').fill('teaching is a fine job');
	await newcomer.getByRole('button', { name: 'Create instructor account' }).click();
	await expect(newcomer.getByText('Your instructor account is ready.')).toBeVisible();
	await expect(newcomer.getByRole('heading', { name: 'New class' })).toBeVisible();
	// The link works once.
	const again = await (await browser.newContext()).newPage();
	expect((await again.goto(inviteLink!))?.status()).toBe(410);
});
