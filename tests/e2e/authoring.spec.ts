import { expect, type Page } from '@playwright/test';
import { demo, expectAccessible, logIn, logOut, postForm, test } from './helpers.ts';

const ARTICLE = [
	'Dockworkers walked out on Monday,',
	'the union said, after talks on pay broke down.',
	'',
	'The port authority says the strike costs the city millions a day.'
].join('\n');

/** Questions written for Moodle, none of our tags; the essay on line 8 is not supported. */
const MOODLE_GIFT = [
	'$CATEGORY: $course$/top/Strike',
	'',
	'::Walk-out::When did the dockworkers walk out?{',
	'=On Monday#Right.',
	'~On Friday',
	'}',
	'',
	'::Essay::Why did the talks break down?{}',
	'',
	'The port authority says the strike costs the city {~nothing =millions} a day.',
	''
].join('\n');

async function openSection(page: Page, name: string) {
	await page
		.getByRole('navigation', { name: 'Course sections' })
		.getByRole('link', { name })
		.click();
	await expect(
		page.getByRole('heading', { level: 1, name: name === 'Course' ? undefined : name })
	).toBeVisible();
}

test('an instructor builds a course from an article, publishes it, and a student reads it', async ({
	page
}) => {
	// One journey through every authoring page, each scanned by axe: longer than the default.
	test.setTimeout(120_000);
	const instructor = demo('instructor');
	const title = `A port strike ${Date.now()}`;
	await logIn(page, instructor.email, instructor.password);
	await page.goto('/');
	await page.locator('header').getByRole('link', { name: 'Author' }).click();
	await expect(page.getByRole('heading', { name: 'Your courses' })).toBeVisible();
	await expectAccessible(page);

	await page.getByLabel('Course title').fill(title);
	await page.getByLabel('Article title').fill('Dockworkers strike over pay');
	await page.getByLabel('Article text').fill(ARTICLE);
	await page.getByRole('button', { name: 'Create course' }).click();
	await expect(page).toHaveURL(/\/author\/courses\/a-port-strike-\d+$/);
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	const numbered = page.getByRole('list', { name: /As numbered now/ });
	await expect(numbered.getByRole('listitem')).toHaveText([
		'¶1 Dockworkers walked out on Monday, the union said, after talks on pay broke down.',
		'¶2 The port authority says the strike costs the city millions a day.'
	]);
	await expectAccessible(page);
	const courseUrl = page.url();

	await page.getByLabel('Summary').fill('Who wants what in a port strike. [¶1]');
	await page.getByRole('button', { name: 'Save details' }).click();
	await expect(page.getByText('The course details were saved.')).toBeVisible();

	await openSection(page, 'Actors');
	await expectAccessible(page);
	await page.getByLabel('Name', { exact: true }).fill('The dockworkers’ union');
	await page.getByLabel('Short name (optional)').fill('Union');
	await page.getByLabel('Stance', { exact: true }).selectOption('opposes');
	await page.getByLabel('Summary').fill('It called the strike over pay. [¶1]');
	await page.getByLabel('Cites').fill('1, 3');
	await page.getByRole('button', { name: 'Add actor' }).click();
	await expect(page.getByText('¶3 does not exist: the article has 2 paragraphs.')).toBeVisible();
	await expect(page.getByLabel('Summary')).toHaveValue('It called the strike over pay. [¶1]');
	await page.getByLabel('Cites').fill('1');
	await page.getByRole('button', { name: 'Add actor' }).click();
	await expect(page.getByText('Added “The dockworkers’ union”.')).toBeVisible();
	await expect(
		page.getByRole('heading', { level: 2, name: 'The dockworkers’ union' })
	).toBeVisible();
	await expectAccessible(page);

	// Before any concern or lesson exists, publishing is refused with the whole list.
	await openSection(page, 'Course');
	await page.getByRole('button', { name: 'Publish' }).click();
	const refusal = page.getByRole('alert').filter({ hasText: 'Not published' });
	await expect(refusal).toBeVisible();
	// In plain words, each with a link to the page that fixes it.
	await expect(refusal.getByRole('listitem')).toHaveText([
		/^Actor “The dockworkers’ union”: Actor "union" holds no concern.*Fix it/,
		/^Lessons: The course has no lesson yet: add at least one\./
	]);
	await expect(
		refusal.getByRole('link', { name: 'Fix it (Actor “The dockworkers’ union”)' })
	).toHaveAttribute('href', /\/actors#actor-\d+$/);
	await expect(page.getByRole('heading', { name: 'Status: draft' })).toBeVisible();
	await expectAccessible(page);

	await openSection(page, 'Concerns');
	await expectAccessible(page);
	await page.getByLabel('Label').fill('Pay that keeps up with prices');
	await page.getByLabel('Description').fill('What the strike is about. [¶1]');
	await page.getByLabel('Actor').selectOption({ label: 'The dockworkers’ union' });
	await page.getByLabel('Kind').selectOption('aim');
	await page.getByLabel('What the article says').fill('Talks on pay broke down. [¶1]');
	await page.getByLabel('Cites').fill('1');
	await page.getByRole('button', { name: 'Add concern' }).click();
	await expect(page.getByText('Added “Pay that keeps up with prices”.')).toBeVisible();
	await page.getByRole('link', { name: 'Edit Pay that keeps up with prices' }).click();
	await expect(page.getByLabel('Actor').first()).toHaveValue(/\d+/);
	await expectAccessible(page);

	await openSection(page, 'Lessons');
	await expectAccessible(page);
	await page.getByLabel('Title').fill('What the strike costs');
	await page.getByLabel('Summary').fill('The port’s side of the story.');
	await page.getByRole('button', { name: 'Add lesson' }).click();
	await expect(page).toHaveURL(/\/lessons\/what-the-strike-costs$/);
	await expect(
		page.getByRole('heading', { level: 1, name: 'What the strike costs' })
	).toBeVisible();
	await page.getByLabel('The dockworkers’ union').check();
	const body = page.getByLabel('Lesson body (Markdown)');
	await body.fill('The port authority puts a price on the strike');
	await page.getByRole('button', { name: 'Insert ¶2' }).click();
	await expect(body).toHaveValue('The port authority puts a price on the strike [¶2]');
	await body.press('End');
	await body.pressSequentially('.');
	const preview = page.getByRole('region', { name: 'Preview' });
	await expect(preview.getByRole('link', { name: 'Paragraph 2' })).toBeVisible();
	await expect(preview).toContainText('The port authority puts a price on the strike');
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Save lesson' }).click();
	await expect(page.getByText('The lesson was saved.')).toBeVisible();
	await expect(body).toHaveValue('The port authority puts a price on the strike [¶2].');

	await page.goto(courseUrl);
	await page.getByRole('button', { name: 'Publish' }).click();
	await expect(page.getByText('The course is published: students can see it now.')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Status: published' })).toBeVisible();
	await expectAccessible(page);

	// A question file written for Moodle, with one question of a type we do not support.
	await page.getByRole('link', { name: 'Import questions from a GIFT file' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Import questions (GIFT)' })
	).toBeVisible();
	const gift = { name: 'strike.gift', mimeType: 'text/plain', buffer: Buffer.from(MOODLE_GIFT) };
	await page.getByLabel('GIFT file').setInputFiles(gift);
	await page.getByRole('button', { name: 'Import' }).click();
	const refused = page.getByRole('alert').filter({ hasText: 'Nothing was imported' });
	await expect(refused.getByRole('listitem')).toHaveText([
		/^Line 8: an answer block without answers \(\{\}\) is an essay question/
	]);
	await expectAccessible(page);
	await page.getByLabel('GIFT file').setInputFiles(gift);
	await page.getByLabel('Skip the questions with problems').check();
	await page.getByRole('button', { name: 'Import' }).click();
	const report = page.getByRole('status').filter({ hasText: 'Imported 2 questions' });
	await expect(report).toContainText('skipped 1 with problems');
	await expect(report.getByRole('listitem')).toHaveText([/^Line 8: /]);
	await expect(report.getByRole('link', { name: 'Go to the question bank' })).toHaveAttribute(
		'href',
		`${new URL(courseUrl).pathname}/questions?imported=2`
	);
	await expectAccessible(page);
	// A file without problems goes straight on to the bank.
	await page.getByLabel('Or paste GIFT text').fill('::Cost::Does the strike cost money?{T}');
	await page.getByLabel('Skip the questions with problems').uncheck();
	await page.getByRole('button', { name: 'Import' }).click();
	await expect(page).toHaveURL(/\/questions\?imported=1$/);
	await logOut(page);

	const student = demo('student');
	await logIn(page, student.email, student.password);
	await page.goto('/');
	await page.getByRole('link', { name: title }).click();
	await page.getByRole('link', { name: 'What the strike costs' }).first().click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'What the strike costs' })
	).toBeVisible();
	await expect(page.getByText('The port authority puts a price on the strike')).toBeVisible();
	await expect(page.getByRole('link', { name: 'Paragraph 2' }).first()).toBeVisible();
});

// axe runs as a script in the page, so these pages are scanned by the journey above instead.
test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('the forms still work and Preview renders the lesson body', async ({ page }) => {
		test.setTimeout(60_000);
		const instructor = demo('instructor');
		await logIn(page, instructor.email, instructor.password);
		await page.goto('/author');
		await page.getByLabel('Course title').fill(`No script ${Date.now()}`);
		await page.getByLabel('Article title').fill('Plain');
		await page.getByLabel('Article text').fill('First.\n\nSecond.\n\nThird.');
		await page.getByRole('button', { name: 'Create course' }).click();
		await expect(page).toHaveURL(/\/author\/courses\/no-script-\d+$/);

		await openSection(page, 'Lessons');
		await page.getByLabel('Title').fill('Plain lesson');
		await page.getByLabel('Summary').fill('One sentence.');
		await page.getByRole('button', { name: 'Add lesson' }).click();
		await expect(page).toHaveURL(/\/lessons\/plain-lesson$/);
		// No insert buttons without a script, but the numbered paragraphs are listed to type from.
		await expect(page.getByRole('button', { name: 'Insert ¶1' })).toHaveCount(0);
		await expect(page.getByRole('list', { name: 'Paragraphs to cite' })).toContainText('Third.');

		await page
			.getByLabel('Lesson body (Markdown)')
			.fill('See the third paragraph [¶3] and **this**.');
		await page.getByRole('button', { name: 'Preview' }).click();
		const preview = page.getByRole('region', { name: 'Preview' });
		await expect(preview.getByRole('link', { name: 'Paragraph 3' })).toBeVisible();
		await expect(page.getByLabel('Lesson body (Markdown)')).toHaveValue(
			'See the third paragraph [¶3] and **this**.'
		);

		await page
			.getByLabel('Lesson body (Markdown)')
			.fill('Cites a paragraph that is not there [¶9].');
		await page.getByRole('button', { name: 'Save lesson' }).click();
		await expect(page.getByText('¶9 does not exist: the article has 3 paragraphs.')).toBeVisible();
		await expect(page.getByLabel('Lesson body (Markdown)')).toHaveValue(
			'Cites a paragraph that is not there [¶9].'
		);
	});
});

test('only instructors and admins author, and only their own courses', async ({ page }) => {
	const student = demo('student');
	await logIn(page, student.email, student.password);
	expect((await page.goto('/author'))?.status()).toBe(403);
	expect((await page.goto('/author/courses/un-cybercrime-treaty'))?.status()).toBe(403);
	expect((await page.goto('/author/courses/un-cybercrime-treaty/questions/import'))?.status()).toBe(
		403
	);
	expect(
		(await page.request.get('/author/courses/un-cybercrime-treaty/questions.gift')).status()
	).toBe(403);
	expect(
		(
			await postForm(page, '/author/courses/un-cybercrime-treaty/questions/import', {
				text: 'Q{T}'
			})
		).status()
	).toBe(403);
	await logOut(page);

	// The shipped course belongs to nobody: an instructor may read it but not edit it.
	const instructor = demo('instructor');
	await logIn(page, instructor.email, instructor.password);
	expect((await page.goto('/author/courses/un-cybercrime-treaty'))?.status()).toBe(404);
	expect((await page.request.get('/author/courses/un-cybercrime-treaty/export.zip')).status()).toBe(
		404
	);
	const bank = '/author/courses/un-cybercrime-treaty/questions';
	expect((await page.goto(`${bank}/import`))?.status()).toBe(404);
	expect((await page.request.get(`${bank}.gift`)).status()).toBe(404);
	expect((await postForm(page, `${bank}/import`, { text: 'Q{T}' })).status()).toBe(404);
	await logOut(page);

	const admin = demo('admin');
	await logIn(page, admin.email, admin.password);
	await page.goto('/author/courses/un-cybercrime-treaty/lessons');
	await expect(page.getByRole('heading', { level: 1, name: 'Lessons' })).toBeVisible();
	const download = await page.request.get('/author/courses/un-cybercrime-treaty/export.json');
	expect(download.headers()['content-disposition']).toBe(
		'attachment; filename="un-cybercrime-treaty.json"'
	);
	const json = await download.json();
	expect(Object.keys(json.files)).toContain('lessons/01-what-the-treaty-is.md');
	const gift = await page.request.get('/author/courses/un-cybercrime-treaty/questions.gift');
	expect(gift.headers()['content-type']).toBe('text/plain; charset=utf-8');
	expect(gift.headers()['content-disposition']).toBe(
		'attachment; filename="un-cybercrime-treaty-questions.gift"'
	);
	expect(await gift.text()).toContain('// [id:q-what-treaty]');
});

test('glossary terms and timeline events are added, edited and deleted', async ({ page }) => {
	test.setTimeout(90_000);
	const instructor = demo('instructor');
	await logIn(page, instructor.email, instructor.password);
	await page.goto('/author');
	await page.getByLabel('Course title').fill(`Glossary check ${Date.now()}`);
	await page.getByLabel('Article title').fill('Two paragraphs');
	await page.getByLabel('Article text').fill('First paragraph.\n\nSecond paragraph.');
	await page.getByRole('button', { name: 'Create course' }).click();

	await openSection(page, 'Glossary');
	const add = page.locator('#add');
	await add.getByLabel('Term').fill('Strike');
	await add.getByLabel('Definition').fill('A stop to work. [¶1]');
	await add.getByRole('button', { name: 'Add term' }).click();
	await expect(page.getByText('Added “Strike”.')).toBeVisible();
	const item = page.locator('li', { hasText: 'Strike' });
	await item.getByText('Edit or delete “Strike”').click();
	await item.getByLabel('Definition').fill('A stop to work, as ¶2 says. [¶2]');
	await item.getByRole('button', { name: 'Save term' }).click();
	await expect(page.getByText('Saved “Strike”.')).toBeVisible();
	await expect(page.locator('li', { hasText: 'Strike' })).toContainText('as ¶2 says');
	await expectAccessible(page);
	await page.locator('li', { hasText: 'Strike' }).getByText('Edit or delete “Strike”').click();
	await page.getByRole('button', { name: 'Delete “Strike”' }).click();
	await expect(page.getByText('No terms yet.')).toBeVisible();

	await openSection(page, 'Timeline');
	await page.locator('#add').getByLabel('When').fill('Monday');
	await page.locator('#add').getByRole('button', { name: 'Add event' }).click();
	await expect(page.getByText('Enter a number to order events by')).toBeVisible();
	await expect(page.locator('#add').getByLabel('When')).toHaveValue('Monday');
	await page.locator('#add').getByLabel('Order by').fill('1');
	await page.locator('#add').getByLabel('What happened').fill('The walk-out. [¶1]');
	await page.locator('#add').getByLabel('Cites').fill('1');
	await page.locator('#add').getByRole('button', { name: 'Add event' }).click();
	await expect(page.getByText('The event was added.')).toBeVisible();
	await expectAccessible(page);
	await page.getByText('Edit or delete “Monday”').click();
	await page.getByRole('button', { name: 'Delete “Monday”' }).click();
	await expect(page.getByText('No events yet.')).toBeVisible();
});

test('an edit that would break a published course is refused with the problems, keeping what was typed', async ({
	page
}) => {
	const admin = demo('admin');
	await logIn(page, admin.email, admin.password);
	await page.goto('/author/courses/un-cybercrime-treaty/lessons/what-the-treaty-is');
	const body = page.getByLabel('Lesson body (Markdown)');
	await body.fill('A body that cites nothing.');
	await page.getByRole('button', { name: 'Save lesson' }).click();
	const refusal = page.getByRole('alert').filter({ hasText: 'This course is published' });
	await expect(refusal).toBeVisible();
	await expect(refusal.getByRole('listitem')).toHaveText([
		/^Lesson “What the treaty is and where it came from”: The lesson body cites no paragraph/
	]);
	await expect(body).toHaveValue('A body that cites nothing.');
	await expectAccessible(page);
	await page.goto('/courses/un-cybercrime-treaty/lessons/what-the-treaty-is');
	await expect(
		page.getByRole('heading', { level: 2, name: 'What the article is about' })
	).toBeVisible();
});

test('a file that is not a course package gets a plain message at import', async ({ page }) => {
	const instructor = demo('instructor');
	await logIn(page, instructor.email, instructor.password);
	await page.goto('/author/import');
	await page.getByLabel('Course package').setInputFiles({
		name: 'The article.docx',
		mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
		// A Word document is a zip inside: the name, not the first bytes, says what it is.
		buffer: Buffer.from('PK\x03\x04 not really a word document')
	});
	await page.getByRole('button', { name: 'Import' }).click();
	await expect(
		page.getByText(
			'“The article.docx” is a Word document, not a course package. Upload the course as a .zip file'
		)
	).toBeVisible();
	await expectAccessible(page);
});
