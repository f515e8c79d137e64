import { expect } from '@playwright/test';
import { demo, expectAccessible, logIn, test } from './helpers.ts';

test('an instructor runs a class: create, join by link, assign, complete, see completion', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const teacher = await (await browser.newContext()).newPage();
	const instructor = demo('instructor');
	await logIn(teacher, instructor.email, instructor.password);

	await teacher.goto('/classes/new');
	await expectAccessible(teacher);
	await teacher.getByRole('button', { name: 'Create class' }).click();
	await expect(teacher.getByText('Give the class a name.')).toBeVisible();
	await teacher.getByLabel('Class name').fill('Civics 10B');
	await teacher
		.getByLabel('Course')
		.selectOption({ label: 'The UN cybercrime treaty: who wants what' });
	await teacher.getByLabel('Term (optional)').fill('Spring 2027');
	await teacher.getByRole('button', { name: 'Create class' }).click();
	await expect(teacher.getByRole('heading', { level: 1 })).toContainText('Civics 10B');
	await expectAccessible(teacher);
	const code = (await teacher.locator('p.code').textContent())!.replace(/Join code:|\s/g, '');
	expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
	const link = await teacher.getByRole('link', { name: /\/join\// }).getAttribute('href');
	expect(link).toContain(`/join/${code}`);

	// A signed-out student follows the link, logs in, and comes back to the join.
	const student = demo('student', 1);
	const pupil = await (await browser.newContext()).newPage();
	await pupil.goto(`/join/${code}`);
	await expect(pupil).toHaveURL(/\/login\?next=/);
	await pupil.getByLabel('Email').fill(student.email);
	await pupil.getByLabel('Password').fill(student.password);
	await pupil.getByRole('button', { name: 'Log in' }).click();
	await expect(pupil.getByRole('heading', { name: 'Join Civics 10B' })).toBeVisible();
	await expectAccessible(pupil);
	await pupil.getByRole('button', { name: 'Join this class' }).click();
	await expect(pupil.getByText('You joined Civics 10B.')).toBeVisible();
	await expect(pupil.getByText('Nothing assigned yet.')).toBeVisible();
	await expectAccessible(pupil);

	// A visitor without an account signs up from the same link and lands back on the join.
	const newcomer = await (await browser.newContext()).newPage();
	await newcomer.goto(`/join/${code}`);
	await newcomer.getByRole('link', { name: 'Create an account' }).click();
	await newcomer.getByLabel('Your name').fill('Nova Newcomer');
	await newcomer.getByLabel('Email').fill(`nova-${Date.now()}@example.org`);
	await newcomer.getByLabel('Password').fill('a long enough passphrase');
	await newcomer.getByRole('button', { name: 'Sign up' }).click();
	await expect(newcomer.getByRole('heading', { name: 'Join Civics 10B' })).toBeVisible();
	await newcomer.getByRole('button', { name: 'Join this class' }).click();
	await expect(newcomer.getByText('You joined Civics 10B.')).toBeVisible();

	// The instructor assigns a lesson due tomorrow.
	await teacher.getByRole('link', { name: 'Assignments' }).click();
	await expectAccessible(teacher);
	await teacher.getByLabel('Lesson', { exact: true }).selectOption({ label: "Washington's case" });
	const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
	const pad = (n: number) => String(n).padStart(2, '0');
	await teacher
		.getByLabel('Due', { exact: true })
		.fill(
			`${tomorrow.getFullYear()}-${pad(tomorrow.getMonth() + 1)}-${pad(tomorrow.getDate())}T17:00`
		);
	await teacher.getByRole('button', { name: 'Assign' }).click();
	await expect(teacher.getByText("Assigned “Washington's case”.")).toBeVisible();
	await expect(teacher.getByText('0 / 2 done')).toBeVisible();

	// The student sees it on the dashboard, opens it and completes it.
	await pupil.goto('/');
	const item = pupil.locator('li', { hasText: "Washington's case" });
	await expect(item.getByText('Not started')).toBeVisible();
	await expectAccessible(pupil);
	await item.getByRole('link', { name: "Washington's case" }).click();
	await expect(pupil.getByRole('link', { name: /All assignments of Civics 10B/ })).toBeVisible();
	await pupil.getByRole('link', { name: 'Open the lesson' }).click();
	await pupil.getByRole('button', { name: 'Mark lesson as done' }).click();
	await expect(pupil.getByText('You marked this lesson as done.')).toBeVisible();
	await pupil.goto('/');
	await expect(
		pupil.locator('li', { hasText: "Washington's case" }).getByText('Done', { exact: true })
	).toBeVisible();

	// The instructor sees the completion on the class home.
	await teacher.getByRole('link', { name: 'Home' }).last().click();
	const row = teacher.getByRole('row', { name: /Washington's case/ });
	await expect(row.getByText('1 / 2')).toBeVisible();
	await expect(row.getByText('Nova Newcomer')).toBeVisible();
	await expect(teacher.getByText(/completed “Washington's case”/)).toBeVisible();

	// Roster: make the student a moderator.
	await teacher.getByRole('link', { name: 'Roster' }).click();
	await expectAccessible(teacher);
	await teacher.getByRole('button', { name: 'Make moderator: Tara Student' }).click();
	await expect(
		teacher.getByRole('row', { name: /Tara Student/ }).getByText('Moderator')
	).toBeVisible();

	// On a phone the roster and the class home stack their rows instead of running off the screen.
	const rosterUrl = teacher.url();
	await teacher.setViewportSize({ width: 360, height: 740 });
	for (const path of [rosterUrl.replace(/\/roster$/, ''), rosterUrl]) {
		await teacher.goto(path);
		// Neither the page nor a table inside its scroll box is wider than the screen.
		const overflow = await teacher.evaluate(() =>
			Math.max(
				document.documentElement.scrollWidth - window.innerWidth,
				...[...document.querySelectorAll('.table-scroll')].map(
					(el) => el.scrollWidth - el.clientWidth
				)
			)
		);
		expect(overflow, path).toBeLessThanOrEqual(0);
	}
	await teacher.setViewportSize({ width: 1280, height: 720 });

	// Students of the class cannot open the roster; outsiders cannot open the class at all.
	const classUrl = teacher.url().replace(/\/roster$/, '');
	expect((await pupil.goto(`${classUrl}/roster`))?.status()).toBe(403);
	const outsider = await (await browser.newContext()).newPage();
	const other = demo('student', 0);
	await logIn(outsider, other.email, other.password);
	expect((await outsider.goto(classUrl))?.status()).toBe(404);
	const data = await outsider.request.get(`${classUrl}/__data.json`);
	expect(await data.text()).not.toContain('Civics 10B');
});

test('a wrong code is explained next to the field', async ({ page }) => {
	const student = demo('student');
	await logIn(page, student.email, student.password);
	await page.goto('/join');
	await expectAccessible(page);
	await page.getByLabel('Class code').fill('ZZZZ-ZZZZ');
	await page.getByRole('button', { name: 'Join' }).click();
	await expect(page.getByText('No class has that code.')).toBeVisible();
	await expect(page.getByLabel('Class code')).toHaveValue('ZZZZ-ZZZZ');
});
