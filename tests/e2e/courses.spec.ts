import { expect } from '@playwright/test';
import { demo, expectAccessible, logIn, test } from './helpers.ts';

const course = '/courses/un-cybercrime-treaty';

test('the shipped course is on the home page and every course page passes axe', async ({
	page
}) => {
	await page.goto('/');
	await page.getByRole('link', { name: 'The UN cybercrime treaty: who wants what' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'The UN cybercrime treaty: who wants what'
	);
	await expect(page.getByText('Missing in the source')).toBeVisible();
	await expectAccessible(page);
	for (const path of [
		'/article',
		'/map',
		'/glossary',
		'/timeline',
		'/actors/rights-groups',
		'/lessons/what-the-treaty-is'
	]) {
		await page.goto(course + path);
		await expectAccessible(page);
	}
	// The reading pages have nothing to run in the browser: plain HTML, no JavaScript, no page
	// data sent a second time. The lesson, with its checks, keeps its script.
	for (const path of ['', '/article', '/map', '/glossary', '/timeline', '/actors/rights-groups']) {
		const html = await (await page.request.get(course + path)).text();
		expect(html, path).toContain('<h1');
		expect(html, path).not.toMatch(/<script|modulepreload/);
	}
	const lesson = await (await page.request.get(`${course}/lessons/what-the-treaty-is`)).text();
	expect(lesson).toMatch(/<script/);
});

test('a student reads a lesson, follows a citation to its paragraph and marks the lesson done', async ({
	page
}) => {
	const student = demo('student');
	await logIn(page, student.email, student.password);
	await page.goto(course);
	await expect(page.getByText('0 of 6 lessons done.')).toBeVisible();
	await page.getByRole('link', { name: /Start: What the treaty is/ }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/What the treaty is/);
	await expect(page.getByText(/min read/)).toBeVisible();

	// The citation shows its paragraph on focus, and leads to it highlighted in the reader.
	const cite = page.locator('.prose.body a.cite[data-para="1"]').first();
	await cite.focus();
	await expect(page.locator('.prose.body .cite-preview').first()).toBeVisible();
	await cite.click();
	await expect(page).toHaveURL(/\/article#p1$/);
	const p1 = page.locator('#p1');
	await expect(p1).toContainText('The Biden administration continues to support');
	// The highlight fades in (a 0.3 s transition): wait for it rather than read its first frame.
	await expect
		.poll(() => p1.evaluate((el) => getComputedStyle(el).backgroundColor))
		.not.toBe('rgba(0, 0, 0, 0)');
	await page.goBack();

	await page.getByRole('button', { name: 'Mark lesson as done' }).click();
	await expect(page.getByText('You marked this lesson as done.')).toBeVisible();
	await page.getByRole('link', { name: /Next →/ }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText("Washington's case");
	await page.goto(course);
	await expect(page.getByText('1 of 6 lessons done.')).toBeVisible();
	await expect(page.getByRole('link', { name: /Continue: Washington's case/ })).toBeVisible();
});

test('check your understanding answers at once, with the passage that answers it', async ({
	page
}) => {
	await page.goto(`${course}/lessons/washingtons-case`);
	const q1 = page.locator('form.check').first();
	await q1.getByRole('button', { name: 'Check' }).click();
	await expect(q1.getByText('Choose or type an answer first.')).toBeVisible();
	await q1.getByLabel('Expand police surveillance powers globally').check();
	await q1.getByRole('button', { name: 'Check' }).click();
	await expect(q1.getByText('Not quite.')).toBeVisible();
	await expect(q1.getByText(/fear of the tech and cybersecurity firms/)).toBeVisible();
	await expect(q1.locator('blockquote')).toContainText(
		'The U.S. administration has acknowledged these concerns'
	);
	// Like a tutor: the explanation and a retry first, the answer only when asked for.
	await expect(q1.getByText('A right answer:')).toHaveCount(0);
	await expect(q1.getByLabel('Expand police surveillance powers globally')).toBeChecked();
	await q1.getByRole('button', { name: 'Show the answer' }).click();
	await expect(q1.getByText('A right answer:')).toBeVisible();
	await expect(q1.getByText('Right.', { exact: true })).toHaveCount(0);
	await q1.getByLabel(/Enhance international law enforcement collaboration/).check();
	await q1.getByRole('button', { name: 'Check' }).click();
	await expect(q1.getByText('Right.', { exact: true })).toBeVisible();
	await expectAccessible(page);

	// The page never carries the answer key.
	const html = await (
		await page.request.get(`${course}/lessons/washingtons-case/__data.json`)
	).text();
	expect(html).not.toContain('"correct"');
	expect(html).not.toContain('Right. The administration');
});

test('lessons and checks work without JavaScript', async ({ browser }) => {
	const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
	await page.goto(`${course}/lessons/what-the-treaty-is`);
	const q = page.locator('form.check').first();
	await q.locator('input[type=radio]').first().check();
	await q.getByRole('button', { name: 'Check' }).click();
	await expect(page.locator('.result')).toHaveCount(1);
	await expect(page.locator('.result .verdict')).toHaveText(/^(Right\.|Not quite\.)/);
	// The page comes back with the choice kept.
	await expect(
		page.locator('form.check').first().locator('input[type=radio]').first()
	).toBeChecked();
});

test('an ordering check takes an item for each place, by keyboard or without JavaScript', async ({
	browser
}) => {
	const inOrder = [
		'Tech and cybersecurity firms warn that the treaty could criminalise security research',
		'The U.S. administration acknowledges the concerns and pledges to push for human rights safeguards',
		'Over 100 groups urge member nations to reject the treaty unless it is significantly changed',
		'Some critics argue that existing treaties such as the Budapest Convention already provide a framework'
	];
	const places = ['First', 'Second', 'Third', 'Fourth'];
	for (const javaScriptEnabled of [true, false]) {
		const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
		await page.goto(`${course}/lessons/what-the-treaty-is`);
		const q = page.locator('form.check', { hasText: 'Put these points in the order' });
		// Two swapped: half of the places are right, and the review gives the order.
		const swapped = [inOrder[1], inOrder[0], inOrder[2], inOrder[3]];
		for (const [i, place] of places.entries())
			await q.getByLabel(place, { exact: true }).selectOption({ label: swapped[i] });
		await q.getByRole('button', { name: 'Check' }).click();
		const result = page.locator('form.check', { hasText: 'Put these points in the order' });
		await expect(result.getByText('Partly right.')).toBeVisible();
		await expect(result.locator('ol.right-order li')).toHaveCount(0);
		await result.getByRole('button', { name: 'Show the answer' }).click();
		await expect(result.locator('ol.right-order li')).toHaveText(inOrder);
		// The places chosen are still chosen (without JavaScript, on a new page).
		await expect(result.getByLabel('First', { exact: true })).toHaveValue(/\d/);
		if (javaScriptEnabled) await expectAccessible(page);
		for (const [i, place] of places.entries())
			await result.getByLabel(place, { exact: true }).selectOption({ label: inOrder[i] });
		await result.getByRole('button', { name: 'Check' }).click();
		await expect(result.getByText('Right.', { exact: true })).toBeVisible();
	}
});

test('the map shows shared concerns and has a table alternative', async ({ page }) => {
	await page.goto(`${course}/map`);
	await expect(page.getByRole('img', { name: /Actor by concern map/ })).toBeVisible();
	const row = page.getByRole('row', { name: /Criminalising security research/ });
	await expect(row.getByText('shared')).toBeVisible();
	await expect(row.getByRole('link', { name: 'Tech and security firms' })).toBeVisible();
	await expect(row.getByRole('link', { name: 'Rights groups' })).toBeVisible();
	await row.getByRole('link', { name: 'Rights groups' }).click();
	await expect(page).toHaveURL(/actors\/rights-groups#concern-security-research$/);
	await expect(page.locator('#concern-security-research')).toContainText('Shared with');
});

test('the overview links to the glossary and the timeline, which have their own pages', async ({
	page
}) => {
	await page.goto(course);
	await expect(page.getByRole('heading', { name: 'Glossary' })).toHaveCount(0);
	const nav = page.getByRole('navigation', { name: 'Course' });
	await nav.getByRole('link', { name: 'Glossary' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Glossary');
	await expect(page.getByRole('term').filter({ hasText: 'Budapest Convention' })).toBeVisible();
	await nav.getByRole('link', { name: 'Timeline' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Timeline');
	await expect(page.getByText('2017', { exact: true })).toBeVisible();
});

test('on a phone the map scrolls sideways by keyboard and keeps its concern labels in view', async ({
	page
}) => {
	await page.setViewportSize({ width: 375, height: 812 });
	await page.goto(`${course}/map`);
	const region = page.getByRole('region', { name: /The map: concerns by actor/ });
	const label = page.locator('.labels li').first();
	const before = await label.boundingBox();
	expect(before!.x).toBeGreaterThanOrEqual(0);
	expect(before!.x + before!.width).toBeLessThanOrEqual(375);
	// The region takes focus from the keyboard and scrolls with the arrow keys.
	await region.focus();
	await expect(region).toBeFocused();
	for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
	await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
	const after = await label.boundingBox();
	expect(after!.x).toBeCloseTo(before!.x, 0);
	await expectAccessible(page);
});

test('an unknown course or lesson is a 404', async ({ page }) => {
	expect((await page.goto('/courses/nope'))?.status()).toBe(404);
	expect((await page.goto(`${course}/lessons/nope`))?.status()).toBe(404);
	expect((await page.goto(`${course}/actors/nope`))?.status()).toBe(404);
});
