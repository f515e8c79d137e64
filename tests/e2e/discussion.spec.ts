import { expect, type Browser, type Page } from '@playwright/test';
import { demo, expectAccessible, logIn, postForm, signUp, test, uniqueEmail } from './helpers.ts';

/**
 * A class of the shipped course taught by the demo instructor, joined by three new students (the
 * demo students' passwords are changed by other specs).
 */
async function classWithStudents(browser: Browser, name: string) {
	const open = async (who: ReturnType<typeof demo>) => {
		const page = await (await browser.newContext()).newPage();
		await logIn(page, who.email, who.password);
		return page;
	};
	const teacher = await open(demo('instructor'));
	const res = await postForm(teacher, '/classes/new', {
		name,
		course: '1',
		term: '',
		timeZone: 'UTC'
	});
	expect(res.status()).toBe(303);
	const classUrl = res.headers().location.split('?')[0];
	await teacher.goto(classUrl);
	const code = (await teacher.locator('p.code').textContent())!.replace(/Join code:|\s/g, '');
	const students: Page[] = [];
	for (const who of ['Ada Author', 'Ben Reader', 'Cy Third']) {
		const page = await (await browser.newContext()).newPage();
		await signUp(
			page,
			who,
			uniqueEmail(who.split(' ')[0].toLowerCase()),
			'a long enough passphrase'
		);
		expect((await postForm(page, '/join', { code })).status()).toBe(303);
		students.push(page);
	}
	return { teacher, students, classUrl };
}

async function startThread(page: Page, classUrl: string, title: string, body: string) {
	await page.goto(`${classUrl}/discussions`);
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('First post').fill(body);
	await page.getByRole('button', { name: 'Start the thread' }).click();
	await expect(page.getByRole('heading', { name: title })).toBeVisible({ timeout: 15_000 });
	return page.url().split('?')[0];
}

test('a student flags a post, a moderator hides it, its author sees why, the log shows it', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const { teacher, students, classUrl } = await classWithStudents(browser, 'Flags 1');
	const [author, flagger] = students;
	const thread = await startThread(
		author,
		classUrl,
		'Who gains from the treaty?',
		'Russia proposed it [¶4], and everyone who disagrees is a fool.'
	);
	await expectAccessible(author);
	// The citation links to the article's paragraph as in lessons.
	await expect(author.locator('.post .body a.cite')).toHaveAttribute(
		'href',
		'/courses/un-cybercrime-treaty/article#p4'
	);

	await flagger.goto(thread);
	await flagger.waitForLoadState('networkidle');
	await flagger.getByRole('link', { name: 'Flag' }).click();
	await flagger.getByLabel('Disrespectful or abusive').check();
	await flagger.getByRole('button', { name: 'Flag the post' }).click();
	await expect(flagger.getByText('Thank you: the moderators will look at it.')).toBeVisible();

	await teacher.goto(`${classUrl}/moderation`);
	const item = teacher.locator('.queue li', { hasText: 'everyone who disagrees' });
	await expect(item.getByText(/Flagged by .*: Disrespectful or abusive/)).toBeVisible();
	await expectAccessible(teacher);
	await item.getByLabel(/Reason/).fill('Argue with the ideas, not the people.');
	await item.getByRole('button', { name: 'Hide' }).click();
	await expect(teacher.getByText('The post is hidden; its author is told why.')).toBeVisible();
	await expect(teacher.getByText('Nothing is waiting')).toBeVisible();

	// Classmates see a placeholder, never the text; the author sees it with the reason.
	await flagger.goto(thread);
	await expect(flagger.getByText('Hidden by a moderator')).toBeVisible();
	await expect(flagger.getByText('everyone who disagrees')).toHaveCount(0);
	await author.goto('/notifications');
	await expect(
		author.getByText(/hid your post .*Argue with the ideas, not the people\./)
	).toBeVisible();
	await expectAccessible(author);
	// The header counts what is unread (with the session check) and forgets it once read.
	const bell = author.getByRole('link', { name: /^Notifications/ });
	await expect(bell).toHaveAccessibleName(/^Notifications\s*[1-9]\d* unread$/);
	await author.getByRole('button', { name: 'Mark all as read' }).click();
	await expect(bell).toHaveAccessibleName('Notifications');
	await author.reload();
	await expect(bell).toHaveAccessibleName('Notifications');
	await author.goto(thread);
	await expect(
		author.getByText('Hidden by a moderator: Argue with the ideas, not the people.')
	).toBeVisible();

	await teacher.goto(`${classUrl}/moderation/log`);
	const row = teacher.locator('tr', { hasText: 'Argue with the ideas, not the people.' });
	await expect(row).toContainText('Ines Instructor');
	await expectAccessible(teacher);

	// Without JavaScript a post's moderator tools open by their link, on that post, and work.
	const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
	await logIn(plain, demo('instructor').email, demo('instructor').password);
	await plain.goto(thread);
	await expect(plain.getByLabel(/Reason/)).toHaveCount(0);
	await plain.getByRole('link', { name: 'Moderate this post' }).click();
	await expect(plain).toHaveURL(/[?&]moderate=\d+#post-\d+$/);
	await expect(plain.getByLabel(/Reason/)).toHaveCount(1);
	await plain.getByRole('button', { name: 'Restore' }).click();
	await expect(plain.getByText('The post is restored.')).toBeVisible();
	await flagger.goto(thread);
	await expect(flagger.getByText('everyone who disagrees')).toBeVisible();
	await plain.context().close();
});

test('a moderator restricts one member from the members table: one form at a time, with or without JavaScript', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const { teacher, students, classUrl } = await classWithStudents(browser, 'Restrict 1');
	await teacher.goto(`${classUrl}/moderation`);
	await teacher.waitForLoadState('networkidle');
	const members = teacher.getByRole('region', { name: 'Members' });
	// No member's form is on the page until it is asked for.
	await expect(members.getByLabel(/^Silence .* for$/)).toHaveCount(0);
	await members.getByRole('link', { name: 'Restrict Ben Reader' }).click();
	await expect(members.getByLabel(/^Silence .* for$/)).toHaveCount(1);
	await members.getByLabel('Silence Ben Reader for').selectOption({ label: '1 day' });
	await members.getByLabel('Reason').fill('Off topic, three times');
	await members.getByRole('button', { name: 'Silence' }).click();
	await expect(teacher.getByText('The member is silenced')).toBeVisible();
	const ben = members.getByRole('row', { name: /Ben Reader/ });
	await expect(ben).toContainText('Silenced until');
	await expect(ben.getByRole('button', { name: 'Lift the silence' })).toBeVisible();
	await expectAccessible(teacher);

	// Ben can read but not post.
	const thread = await startThread(teacher, classUrl, 'Quiet please', 'What does Russia want?');
	const [, reader] = students;
	await reader.goto(thread);
	await expect(reader.getByText(/A moderator has silenced you/)).toBeVisible();

	// Without JavaScript the link is an address that opens that member's form, and only it.
	const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
	await logIn(plain, demo('instructor').email, demo('instructor').password);
	await plain.goto(`${classUrl}/moderation`);
	await plain.getByRole('link', { name: 'Restrict Cy Third' }).click();
	await expect(plain).toHaveURL(/\?member=\d+#member-\d+$/);
	await expect(plain.getByLabel(/^Silence .* for$/)).toHaveCount(1);
	await plain.getByRole('button', { name: 'Hold all their posts' }).click();
	await expect(plain.getByText('Every post of this member is now held for review.')).toBeVisible();
	await expect(plain.getByRole('row', { name: /Cy Third/ })).toContainText('Posts held for review');
	await plain.context().close();
});

test('pre-moderation holds a post until it is approved', async ({ browser }) => {
	test.setTimeout(90_000);
	const { teacher, students, classUrl } = await classWithStudents(browser, 'Held 1');
	await teacher.goto(`${classUrl}/moderation`);
	await teacher.waitForLoadState('networkidle');
	await teacher.getByLabel('Every student’s post').check();
	await teacher.getByRole('button', { name: 'Save' }).click();
	await expect(teacher.getByText('Pre-moderation is saved.')).toBeVisible();
	const thread = await startThread(teacher, classUrl, 'Open question', 'What does Russia want?');

	const [writer, reader] = students;
	await writer.goto(thread);
	await writer.waitForLoadState('networkidle');
	await writer.getByLabel('Your post').fill('Control over the internet [¶4].');
	await writer.getByRole('button', { name: 'Post', exact: true }).click();
	await expect(writer.getByText('Held for a moderator’s review')).toBeVisible();
	await reader.goto(thread);
	await expect(reader.getByText('Control over the internet')).toHaveCount(0);

	await teacher.goto(`${classUrl}/moderation`);
	const item = teacher.locator('.queue li', { hasText: 'Control over the internet' });
	await expect(item.getByText('Held for review')).toBeVisible();
	await item.getByRole('button', { name: 'Approve' }).click();
	await expect(teacher.getByText('The post is approved')).toBeVisible();
	await reader.goto(thread);
	await expect(reader.getByText('Control over the internet')).toBeVisible();
});

test('an anonymous post-first prompt: replies appear after one’s own post, names only to the instructor', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const { teacher, students, classUrl } = await classWithStudents(browser, 'Prompt 1');
	await teacher.goto(`${classUrl}/assignments`);
	await teacher.waitForLoadState('networkidle');
	await teacher.getByLabel('a discussion prompt').check();
	await teacher.getByLabel('Title').fill('Should the U.S. keep backing the treaty?');
	await teacher.getByLabel('The prompt').fill('Argue it, citing the article [¶2].');
	await teacher.getByLabel(/students post\s+before they see/).check();
	await teacher.getByLabel(/names hidden from\s+classmates/).check();
	const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
	const pad = (n: number) => String(n).padStart(2, '0');
	await teacher
		.getByLabel('Due', { exact: true })
		.fill(
			`${tomorrow.getFullYear()}-${pad(tomorrow.getMonth() + 1)}-${pad(tomorrow.getDate())}T17:00`
		);
	await teacher.getByRole('button', { name: 'Assign' }).click();
	await expect(
		teacher.getByText(/Assigned “Should the U.S. keep backing the treaty\?”/)
	).toBeVisible();

	const [first, second] = students;
	await first.goto(`${classUrl}/discussions`);
	await first.getByRole('link', { name: 'Should the U.S. keep backing the treaty?' }).click();
	await first.waitForLoadState('networkidle');
	await first.getByLabel('Your post').fill('Yes: it helps law enforcement [¶2].');
	await first.getByRole('button', { name: 'Post', exact: true }).click();
	await expect(first.locator('.post', { hasText: 'it helps law enforcement' })).toBeVisible();
	const thread = first.url().split('?')[0];

	await second.goto(thread);
	await expect(second.getByText('Post your answer first')).toBeVisible();
	await expect(second.getByText('it helps law enforcement')).toHaveCount(0);
	await expectAccessible(second);
	await second.waitForLoadState('networkidle');
	await second.getByLabel('Your post').fill('No: rights groups fear surveillance [¶3].');
	await second.getByRole('button', { name: 'Post', exact: true }).click();
	const theirs = second.locator('.post', { hasText: 'it helps law enforcement' });
	await expect(theirs).toBeVisible();
	await expect(theirs.locator('.author')).toHaveText('Classmate 1');
	await expect(second.locator('.post', { hasText: 'surveillance' }).locator('.author')).toHaveText(
		'You'
	);

	await teacher.goto(thread);
	const named = teacher
		.locator('.post', { hasText: 'it helps law enforcement' })
		.locator('.author');
	await expect(named).not.toHaveText(/Classmate|You/);
	await expectAccessible(teacher);
});

test('two students in one thread: a post, an edit and a moderator’s hide reach the other live, without a reload', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const { teacher, students, classUrl } = await classWithStudents(browser, 'Live 1');
	const [writer, reader] = students;
	const thread = await startThread(writer, classUrl, 'Live thread', 'Who fears surveillance?');
	await reader.goto(thread);
	await expect(reader.getByText('Live', { exact: true })).toBeVisible();
	await writer.goto(thread);
	await expect(writer.getByText('Live', { exact: true })).toBeVisible();

	// The reader's page is not reloaded: a marker set on it would not survive one.
	await reader.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
	await writer.getByLabel('Your post').fill('The rights groups do [¶3].');
	await writer.getByRole('button', { name: 'Post', exact: true }).click();
	await expect(writer.getByLabel('Your post')).toHaveValue('');
	const post = reader.locator('.post', { hasText: 'The rights groups do' });
	await expect(post).toBeVisible({ timeout: 3000 });
	// A student reading sees new posts as new.
	await expect(post.getByText('New')).toBeVisible();

	// The reader's half-written reply survives the live updates.
	await reader.getByLabel('Your post').fill('Half a thought');
	await writer
		.locator('.post', { hasText: 'The rights groups do' })
		.getByRole('link', { name: 'Edit' })
		.click();
	await writer.getByLabel('Edit your post').fill('The rights groups do, and the firms [¶3].');
	await writer.getByRole('button', { name: 'Save' }).click();
	await expect(reader.locator('.post', { hasText: 'and the firms' })).toBeVisible({
		timeout: 3000
	});
	await expect(reader.locator('.post', { hasText: 'and the firms' })).toContainText('edited');

	await teacher.goto(thread);
	await teacher.waitForLoadState('networkidle');
	const target = teacher.locator('.post', { hasText: 'and the firms' });
	// The moderator's tools are on no post until they are opened, then on that one only.
	await expect(teacher.getByLabel(/Reason/)).toHaveCount(0);
	await target.getByRole('link', { name: 'Moderate this post' }).click();
	await expect(teacher.getByLabel(/Reason/)).toHaveCount(1);
	await target.getByLabel(/Reason/).fill('Testing the live hide');
	await target.getByRole('button', { name: 'Hide' }).click();
	await expect(reader.getByText('Hidden by a moderator')).toBeVisible({ timeout: 3000 });
	await expect(reader.getByText('and the firms')).toHaveCount(0);
	await expect(reader.getByLabel('Your post')).toHaveValue('Half a thought');
	expect(await reader.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
});
