import { expect } from '@playwright/test';
import { demo, expectAccessible, logIn, test } from './helpers.ts';

test('an instructor writes questions for a course made from a pasted article, with and without JavaScript', async ({
	page,
	browser
}) => {
	test.setTimeout(90_000);
	const instructor = demo('instructor');
	await logIn(page, instructor.email, instructor.password);
	await page.goto('/author');
	await page.getByLabel('Course title').fill(`Port strike questions ${Date.now()}`);
	await page.getByLabel('Article title').fill('Dockworkers strike over pay');
	await page
		.getByLabel('Article text')
		.fill(
			'Dockworkers walked out on Monday over pay.\n\nThe port authority says it costs millions.'
		);
	await page.getByRole('button', { name: 'Create course' }).click();
	await expect(page).toHaveURL(/\/author\/courses\/port-strike-questions-\d+$/);
	const courseUrl = page.url();

	await page
		.getByRole('navigation', { name: 'Course sections' })
		.getByRole('link', { name: 'Questions' })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'Questions' })).toBeVisible();
	await expect(page.getByText('No questions yet.')).toBeVisible();
	await expectAccessible(page);

	await page.getByRole('link', { name: 'Write a question' }).click();
	await page.getByLabel('Question', { exact: true }).fill('Who walked out on Monday?');
	await page.getByLabel('Option 1', { exact: true }).fill('The dockworkers');
	await page.getByLabel('Option 2', { exact: true }).fill('The port authority');
	// The preview follows the typing, options in the order written, no key.
	const preview = page.getByRole('region', { name: 'Preview: as a student sees it' });
	await expect(preview.getByRole('radio', { name: 'The port authority' })).toBeVisible();
	// A blank row always follows the filled ones.
	await page.getByLabel('Option 4', { exact: true }).fill('The union');
	await expect(page.getByLabel('Option 6', { exact: true })).toBeVisible();
	await page.getByLabel('Option 4', { exact: true }).fill('');

	await page.getByLabel('Paragraphs that answer it').fill('1');
	await page.getByLabel('Explanation (shown in the review)').fill('The dockworkers walked out');
	// "Insert ¶1" writes the citation at the cursor.
	await page.getByRole('button', { name: 'Insert ¶1' }).click();
	await expect(page.getByLabel('Explanation (shown in the review)')).toHaveValue(
		'The dockworkers walked out [¶1]'
	);
	// No option is marked right yet: refused, with the message by the options, nothing lost.
	await page.getByRole('button', { name: 'Add question' }).click();
	await expect(page.getByText('Mark the right option.', { exact: true })).toBeVisible();
	await expect(page.getByLabel('Option 2', { exact: true })).toHaveValue('The port authority');
	await expectAccessible(page);
	await page.getByRole('radio', { name: 'Right answer: option 1' }).check();
	await page.getByRole('button', { name: 'Add question' }).click();
	await expect(page.getByText('The question was added.')).toBeVisible();
	await expect(
		page.getByRole('heading', { level: 1, name: 'q-who-walked-out-on-monday' })
	).toBeVisible();
	await expectAccessible(page);

	// Duplicate, then delete the copy.
	await page.getByRole('button', { name: 'Duplicate this question' }).click();
	await expect(page.getByText('This is the copy: change it and save.')).toBeVisible();
	await expect(page.getByLabel('Id (optional)')).toHaveValue('q-who-walked-out-on-monday-copy');
	await page.getByRole('button', { name: 'Delete this question' }).click();
	await expect(page.getByText('The question was deleted.')).toBeVisible();
	await expect(page.getByText('1 question.')).toBeVisible();
	await expectAccessible(page);

	// Without JavaScript: the type is chosen, Preview brings its fields and the preview.
	const context = await browser.newContext({ javaScriptEnabled: false });
	const plain = await context.newPage();
	await logIn(plain, instructor.email, instructor.password);
	await plain.goto(`${courseUrl}/questions/new`);
	await plain.getByLabel('Type').selectOption('ordering');
	await plain.getByLabel('Question', { exact: true }).fill('Put these in order.');
	await plain.getByRole('button', { name: 'Preview' }).click();
	await plain.getByLabel('1st item').fill('Talks on pay broke down');
	await plain.getByLabel('2nd item').fill('The dockworkers walked out');
	await plain.getByLabel('Paragraphs that answer it').fill('1');
	await plain
		.getByLabel('Explanation (shown in the review)')
		.fill('Talks broke down, then they walked out [¶1].');
	await plain.getByRole('button', { name: 'Preview' }).click();
	const shown = plain.getByRole('region', { name: 'Preview: as a student sees it' });
	await expect(
		shown.getByText('Right answer: Talks on pay broke down → The dockworkers walked out')
	).toBeVisible();
	await expect(plain.getByLabel('1st item')).toHaveValue('Talks on pay broke down');
	await plain.getByRole('button', { name: 'Add question' }).click();
	await expect(plain.getByText('The question was added.')).toBeVisible();
	await plain.goto(`${courseUrl}/questions?type=ordering`);
	await expect(plain.getByText('1 of 2 questions match.')).toBeVisible();
	await context.close();
});
