import fs from 'node:fs';
import { expect, type Browser, type Page } from '@playwright/test';
import { parseGift } from '../../src/lib/gift/index.ts';
import {
	PHONE,
	demo,
	expectAccessible,
	logIn,
	postForm,
	signUp,
	test,
	uniqueEmail
} from './helpers.ts';

const COURSE = 'The UN cybercrime treaty: who wants what';
const RUSSIA_QUIZ = /^Why did Russia propose the treaty\?/;
const BANK = parseGift(fs.readFileSync('content/un-cybercrime-treaty/questions.gift', 'utf8'));
/** The Russia quiz asks every question tagged with Russia (ensureDefaultQuizzes). */
const RUSSIA_QUESTIONS = BANK.questions.filter((q) => q.actor === 'russia').length;

/** Every explanation and per-answer feedback of the shipped bank: none may reach a page early. */
const SECRETS = (() => {
	const { questions } = BANK;
	const out: string[] = [];
	for (const q of questions) {
		if (q.explanation) out.push(q.explanation);
		if (q.type === 'mc') for (const c of q.choices) if (c.feedback) out.push(c.feedback);
		if (q.type === 'multi') for (const o of q.options) if (o.feedback) out.push(o.feedback);
	}
	// Their opening words are enough to find them, whatever the markup around a citation; words
	// that the article or a question itself also says (a quoted passage) prove nothing.
	const shown = [
		fs.readFileSync('content/un-cybercrime-treaty/article.txt', 'utf8'),
		...questions.map((q) =>
			JSON.stringify({ ...q, explanation: null, choices: null, options: null })
		),
		...questions.flatMap((q) =>
			q.type === 'mc'
				? q.choices.map((c) => c.text)
				: q.type === 'multi'
					? q.options.map((o) => o.text)
					: []
		)
	].join('\n');
	return out
		.map((t) => t.slice(0, 30))
		.filter((t) => t.length >= 20 && !t.includes('[') && !shown.includes(t));
})();

function inputDate(d: Date): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

async function teacherWithClass(browser: Browser, name: string) {
	const page = await (await browser.newContext()).newPage();
	const instructor = demo('instructor');
	await logIn(page, instructor.email, instructor.password);
	await page.goto('/classes/new');
	await page.getByLabel('Class name').fill(name);
	await page.getByLabel('Course').selectOption({ label: COURSE });
	await page.getByRole('button', { name: 'Create class' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
	const code = (await page.locator('p.code').textContent())!.replace(/Join code:|\s/g, '');
	return { page, classUrl: new URL(page.url()).pathname, code };
}

async function newStudent(browser: Browser, code: string, name: string, javaScriptEnabled = true) {
	const context = await browser.newContext({ javaScriptEnabled });
	const page = await context.newPage();
	await signUp(page, name, uniqueEmail('quiz'), 'a long enough passphrase');
	const joined = await postForm(page, `/join/${code}`, {});
	expect(joined.status()).toBe(303);
	return { page, context, name };
}

/** Assigns the Russia quiz through the form; returns the assignment's path. */
async function assignQuiz(
	page: Page,
	classUrl: string,
	opts: { timeLimit?: string; perPage?: boolean } = {}
) {
	await page.goto(`${classUrl}/assignments`);
	await page.waitForLoadState('networkidle');
	await page.getByLabel('a graded quiz').check();
	await expect(page.getByLabel('Lesson', { exact: true })).toBeHidden();
	const quiz = page.getByLabel('Quiz', { exact: true });
	const label = (await quiz.locator('option').allTextContents()).find((t) => RUSSIA_QUIZ.test(t));
	await quiz.selectOption({ label: label! });
	await page.getByLabel('Attempts allowed').fill('2');
	if (opts.timeLimit) await page.getByLabel('Time limit (minutes)').fill(opts.timeLimit);
	if (opts.perPage) await page.getByLabel('one per page').check();
	await page.getByLabel('Due', { exact: true }).fill(inputDate(new Date(Date.now() + 864e5)));
	await page.getByRole('button', { name: 'Assign', exact: true }).click();
	await expect(page.getByText(/Assigned “Why did Russia propose the treaty\?”/)).toBeVisible();
	await expectAccessible(page);
	const href = await page.getByRole('link', { name: RUSSIA_QUIZ }).first().getAttribute('href');
	expect(href).toMatch(/\/assignments\/\d+$/);
	return href!;
}

const BUILT = 'A quiz built in the editor';

/**
 * An admin (the shipped course has no owner) builds a quiz in the quiz editor: one question
 * chosen from the bank, one draw of two by the first actor. Whatever the bank holds.
 */
async function buildQuiz(browser: Browser) {
	const page = await (await browser.newContext()).newPage();
	const admin = demo('admin');
	await logIn(page, admin.email, admin.password);
	await page.goto('/author/courses/un-cybercrime-treaty');
	await page
		.getByRole('navigation', { name: 'Course sections' })
		.getByRole('link', { name: 'Quizzes' })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'Quizzes' })).toBeVisible();
	await expectAccessible(page);
	await page.getByLabel('Title').fill(BUILT);
	await page.getByRole('button', { name: 'Add quiz' }).click();
	await expect(page.getByRole('heading', { level: 1, name: BUILT })).toBeVisible();
	await expect(page.getByText('No questions yet: add a question')).toBeVisible();
	await page.getByLabel('Question', { exact: true }).selectOption({ index: 1 });
	await page.getByRole('button', { name: 'Add question' }).click();
	await expect(page.getByText('The question was added.')).toBeVisible();
	await page.getByLabel('Actor', { exact: true }).selectOption({ index: 1 });
	await page.getByLabel('How many questions').fill('2');
	await page.getByRole('button', { name: 'Add draw' }).click();
	await expect(page.getByText('The draw was added.')).toBeVisible();
	await expect(page.locator('.slots > li')).toHaveCount(2);
	await expect(page.getByText('Draw 2 questions at random')).toBeVisible();
	await expect(page.getByText(/^An attempt gets [23] questions\./)).toBeVisible();
	await expectAccessible(page);
	await page.context().close();
}

/** Answers one shown question whatever its type: the first option, a typed answer, each select. */
async function answer(question: ReturnType<Page['locator']>, text = 'Russia') {
	const radios = question.getByRole('radio');
	if (await radios.count()) return radios.first().check();
	const boxes = question.getByRole('checkbox');
	if (await boxes.count()) return boxes.first().check();
	const field = question.locator('input[type=text]');
	if (await field.count())
		return field.fill((await field.getAttribute('inputmode')) === 'decimal' ? '2017' : text);
	for (const select of await question.locator('select').all())
		await select.selectOption({ index: 1 });
}

/**
 * axe runs in the page's JavaScript, which a no-JavaScript context does not run: the same page is
 * scanned in a scripted context with the same cookies (it renders the same on the server).
 */
async function expectAccessibleWithoutScript(browser: Browser, page: Page) {
	const scripted = await browser.newContext();
	await scripted.addCookies(await page.context().cookies());
	const twin = await scripted.newPage();
	await twin.goto(page.url());
	await expectAccessible(twin);
	await scripted.close();
}

/** Whether a shown question holds an answer (as the server rendered it back). */
async function answeredIn(question: ReturnType<Page['locator']>) {
	return question.evaluate((el) =>
		[...el.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')].some((i) =>
			i instanceof HTMLInputElement && (i.type === 'radio' || i.type === 'checkbox')
				? i.checked
				: i.value !== ''
		)
	);
}

/** Everything the page and its data endpoint send: no explanation or feedback, no correctness. */
async function expectNoKey(page: Page) {
	const url = new URL(page.url());
	for (const path of [url.pathname + url.search, `${url.pathname}/__data.json${url.search}`]) {
		const body = await (await page.request.get(path)).text();
		for (const s of SECRETS) expect(body, `${path} sends “${s}…”`).not.toContain(s);
		for (const key of ['"correct"', 'correct:', 'rightAnswer', 'explanation', 'weight', 'feedback'])
			expect(body, `${path} sends ${key}`).not.toContain(key);
	}
}

test('an admin builds a quiz the class can assign; a student takes a timed actor quiz with JavaScript: saved as they go, kept offline, reviewed; the instructor extends time and reads the gradebook, statistics, mastery and misattribution', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const { page: teacher, classUrl, code } = await teacherWithClass(browser, 'Quiz class A');
	// A quiz built in the quiz editor is offered to the class's assignment form.
	await buildQuiz(browser);
	await teacher.goto(`${classUrl}/assignments`);
	await expect(
		teacher.getByLabel('Quiz', { exact: true }).locator('option', { hasText: BUILT })
	).toHaveCount(1);
	const assignment = await assignQuiz(teacher, classUrl, { timeLimit: '30' });
	const { page: pupil, context } = await newStudent(browser, code, 'Quinn Quiz');

	await pupil.goto(assignment);
	await expect(pupil.getByText('30 minutes', { exact: true })).toBeVisible();
	await expectAccessible(pupil);
	await pupil.getByRole('button', { name: 'Start the quiz' }).click();
	await expect(pupil).toHaveURL(/\/attempts\/\d+$/);
	await expect(pupil.getByRole('timer')).toContainText(/(29|30):\d\d left/);
	await expectNoKey(pupil);
	await expectAccessible(pupil);

	// The first question: answered, saved, still there after a reload.
	// Questions are shuffled for each attempt: each is answered by what it shows.
	await answer(pupil.locator('.question').nth(0));
	await expect(pupil.getByText(/All answers saved/)).toBeVisible();
	const before = await pupil.locator('.question').nth(0).innerHTML();
	await pupil.reload();
	await expect(pupil.getByText('Your answers are saved as you go.')).toBeVisible();
	expect(await answeredIn(pupil.locator('.question').nth(0))).toBe(true);
	expect(before.length).toBeGreaterThan(0);

	// The connection drops: the answer is kept in the browser and sent when it returns.
	await context.setOffline(true);
	await answer(pupil.locator('.question').nth(1));
	await expect(pupil.getByText(/Offline: your answers are kept on this device/)).toBeVisible();
	await context.setOffline(false);
	await expect(pupil.getByText(/All answers saved/)).toBeVisible({ timeout: 10_000 });
	await pupil.reload();
	await expect(pupil.getByText('Your answers are saved as you go.')).toBeVisible();
	expect(await answeredIn(pupil.locator('.question').nth(1))).toBe(true);
	expect(await answeredIn(pupil.locator('.question').nth(2))).toBe(false);
	// Logged out mid-quiz (the session cookie gone): the answer is kept and the page says so, with
	// a way to log in that leaves the page open; once logged in again, the next try sends it.
	const cookies = await context.cookies();
	await context.clearCookies();
	await answer(pupil.locator('.question').nth(2));
	await expect(pupil.getByText(/You are logged out: your answers are kept/)).toBeVisible();
	await expect(pupil.getByRole('link', { name: 'Log in (new tab)' })).toHaveAttribute(
		'href',
		`/login?next=${encodeURIComponent(new URL(pupil.url()).pathname)}`
	);
	await expectAccessible(pupil);
	await context.addCookies(cookies);
	await expect(pupil.getByText(/All answers saved/)).toBeVisible({ timeout: 10_000 });
	// All but the last question answered.
	for (let i = 3; i < RUSSIA_QUESTIONS - 1; i++) await answer(pupil.locator('.question').nth(i));
	// One save a request, one after another: on a loaded CI machine (the embedded database beside
	// two other suites) a dozen took over 5 s.
	await expect(pupil.getByText(/All answers saved/)).toBeVisible({ timeout: 15_000 });

	// Mid-quiz, the instructor gives everyone five more minutes.
	await teacher.goto(assignment);
	await expect(teacher.getByText('1 timed attempt is open now.')).toBeVisible();
	await teacher.getByLabel('Extra minutes').fill('5');
	await teacher.getByRole('button', { name: 'Give more time' }).click();
	await expect(teacher.getByText('1 open attempt got 5 more minutes.')).toBeVisible();
	await expectAccessible(teacher);
	await pupil.reload();
	await expect(pupil.getByRole('timer')).toContainText(/3[45]:\d\d left/);

	// Submit asks first, naming what is unanswered.
	await pupil.getByRole('button', { name: 'Submit…' }).click();
	await expect(
		pupil.getByText(`Submit now? 1 question is unanswered: question ${RUSSIA_QUESTIONS}.`, {
			exact: false
		})
	).toBeVisible();
	await expectAccessible(pupil);
	await pupil.getByRole('button', { name: 'Submit my answers' }).click();
	await expect(pupil.getByText(/^Score: /)).toBeVisible();
	await expect(pupil.getByRole('heading', { name: 'By actor' })).toBeVisible();
	await expect(pupil.getByText('Not answered: 0 of 1 point')).toBeVisible();
	await expect(pupil.locator('blockquote').first()).toContainText('¶');
	await expectAccessible(pupil);
	const reviewUrl = pupil.url();

	// Practise what I missed: a new, untimed practice attempt with the unanswered question.
	await pupil.getByRole('button', { name: 'Practise what I missed' }).click();
	await expect(pupil.getByRole('heading', { name: /practice 1/ })).toBeVisible();
	await expect(pupil.getByRole('timer')).toHaveCount(0);
	await expect(pupil.locator('.question')).not.toHaveCount(0);
	await pupil.goto(reviewUrl);

	// The finished attempt cannot be answered again, however the save arrives.
	const late = await pupil.request.post(`${new URL(reviewUrl).pathname}/answers`, {
		data: { position: 3, revision: 999, raw: { answer: ['0'], slots: [] } }
	});
	expect((await late.json()).status).toBe('closed');
	const again = await postForm(pupil, `${new URL(reviewUrl).pathname}?/submit`, {
		confirmed: 'yes'
	});
	expect(again.status()).toBe(303);
	await pupil.goto(assignment);
	await expect(
		pupil.getByRole('cell', { name: new RegExp(`\\d+ / ${RUSSIA_QUESTIONS}`) })
	).toHaveCount(1);

	// The gradebook shows the counting score; the CSV opens in a spreadsheet. Reached by a link
	// from a page the app runs, the browser renders it from the same data...
	await teacher.goto(classUrl);
	await teacher
		.getByRole('navigation', { name: /class/i })
		.getByRole('link', { name: 'Gradebook' })
		.click();
	await expect(teacher.getByRole('row', { name: /Quinn Quiz/ })).toContainText(/\d+%/);
	// ...and loaded directly it is plain HTML: no page data sent twice, no JavaScript to run.
	const direct = await teacher.request.get(`${classUrl}/gradebook`);
	const gradebookHtml = await direct.text();
	expect(gradebookHtml).toContain('Quinn Quiz');
	expect(gradebookHtml).not.toMatch(/<script|modulepreload/);
	await teacher.goto(`${classUrl}/gradebook`);
	await expect(teacher.getByRole('row', { name: /Quinn Quiz/ })).toContainText(/\d+%/);
	await expectAccessible(teacher);
	const csv = await teacher.request.get(`${classUrl}/gradebook.csv`);
	expect(csv.headers()['content-type']).toContain('text/csv');
	const text = await csv.text();
	expect(text.charCodeAt(0)).toBe(0xfeff);
	expect(text).toMatch(/"Quinn Quiz","[^"]+@example.org","\d+%"/);
	// A student cannot read the gradebook.
	expect((await pupil.request.get(`${classUrl}/gradebook.csv`)).status()).toBe(403);

	// Item statistics: each question with its facility and what was chosen.
	await teacher.goto(assignment);
	await teacher.getByRole('link', { name: 'Item statistics' }).click();
	await expect(teacher.getByRole('heading', { name: 'Item statistics' })).toBeVisible();
	await expect(teacher.getByText('1 attempt.')).toBeVisible();
	await expect(teacher.locator('.items > li')).toHaveCount(RUSSIA_QUESTIONS);
	await expectAccessible(teacher);
	// Loaded directly, it too is plain HTML.
	const statisticsHtml = await (await teacher.request.get(`${assignment}/statistics`)).text();
	expect(statisticsHtml).toContain('<h2>Item statistics</h2>');
	expect(statisticsHtml).not.toMatch(/<script|modulepreload/);
	expect((await pupil.request.get(`${assignment}/statistics`)).status()).toBe(403);

	// Class × actor mastery: Russia's column has Quinn's share, in words as well as colour.
	await teacher.getByRole('link', { name: 'Mastery' }).click();
	await expect(teacher.getByRole('columnheader', { name: 'Russia' })).toBeVisible();
	await expect(teacher.getByRole('row', { name: /Quinn Quiz/ })).toContainText(
		/\d+% (knows it|partly|needs review)/
	);
	await expectAccessible(teacher);

	// Misattribution: Quinn's answer to an actor-choice question, or (if it was the one left
	// unanswered, the questions being shuffled) the empty state saying what will appear.
	await teacher.getByRole('link', { name: 'Misattribution' }).click();
	await expect(teacher.getByRole('heading', { name: 'Who is taken for whom' })).toBeVisible();
	await expect(
		teacher.getByText(/1 student has answered questions where actors|Nothing to show yet/)
	).toBeVisible();
	await expectAccessible(teacher);
	expect((await pupil.request.get(`${classUrl}/misattribution`)).status()).toBe(403);
});

test('without JavaScript: one question per page, saved on Next, kept on Previous, submitted after the confirmation step', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const { page: teacher, classUrl, code } = await teacherWithClass(browser, 'Quiz class B');
	const assignment = await assignQuiz(teacher, classUrl, { perPage: true });
	const { page: pupil } = await newStudent(browser, code, 'Nia NoScript', false);

	await pupil.goto(assignment);
	await pupil.getByRole('button', { name: 'Start the quiz' }).click();
	await expect(pupil.getByText(`Question 1 of ${RUSSIA_QUESTIONS}`)).toBeVisible();
	await expectNoKey(pupil);
	await answer(pupil.locator('.question'));
	await pupil.getByRole('button', { name: 'Next' }).click();
	await expect(pupil.getByText(`Question 2 of ${RUSSIA_QUESTIONS}`)).toBeVisible();
	await expectAccessibleWithoutScript(browser, pupil);
	await pupil.getByRole('button', { name: 'Previous' }).click();
	await expect(pupil.getByText(`Question 1 of ${RUSSIA_QUESTIONS}`)).toBeVisible();
	expect(await answeredIn(pupil.locator('.question'))).toBe(true);
	await pupil.setViewportSize(PHONE);
	await pupil.getByRole('button', { name: 'Submit…' }).click();
	await expect(
		pupil.getByText(`Submit now? ${RUSSIA_QUESTIONS - 1} questions are unanswered`, {
			exact: false
		})
	).toBeVisible();
	await pupil.getByRole('button', { name: 'Submit my answers' }).click();
	await expect(pupil.getByText(/^Score: /)).toBeVisible();
	await expect(pupil.getByText('Not answered: 0 of 1 point')).toHaveCount(RUSSIA_QUESTIONS - 1);
	await expectAccessibleWithoutScript(browser, pupil);
});

test('the attempt is the student’s: a classmate gets 404, the instructor sees it only once it is submitted', async ({
	browser
}) => {
	const { page: teacher, classUrl, code } = await teacherWithClass(browser, 'Quiz class C');
	const assignment = await assignQuiz(teacher, classUrl);
	const { page: ana } = await newStudent(browser, code, 'Ana Attempt');
	const { page: bo } = await newStudent(browser, code, 'Bo Browser');
	await ana.goto(assignment);
	await ana.getByRole('button', { name: 'Start the quiz' }).click();
	await expect(ana).toHaveURL(/\/attempts\/\d+$/);
	const attempt = new URL(ana.url()).pathname;
	expect((await bo.request.get(attempt)).status()).toBe(404);
	const saved = await bo.request.post(`${attempt}/answers`, {
		data: { position: 1, revision: 1, raw: { answer: ['0'], slots: [] } }
	});
	expect(saved.status()).toBe(404);
	// Without a session the autosave saves nothing and says why (the page keeps the answer).
	const anonymous = await browser.newContext();
	const refused = await anonymous.request.post(`${attempt}/answers`, {
		data: { position: 1, revision: 1, raw: { answer: ['0'], slots: [] } }
	});
	expect(refused.status()).toBe(401);
	expect(await refused.json()).toEqual({ status: 'signed-out' });
	await anonymous.close();
	// The autosave endpoint refuses, with a 4xx and without saving, what it cannot store or read.
	const send = (data: unknown, headers: Record<string, string> = {}) =>
		ana.request.post(`${attempt}/answers`, {
			data: typeof data === 'string' ? data : JSON.stringify(data),
			headers: { 'content-type': 'application/json', ...headers }
		});
	const raw = (answer: string[]) => ({ position: 1, revision: 5, raw: { answer, slots: [] } });
	expect((await send(raw(['a\u0000b']))).status()).toBe(400);
	expect((await send(raw(['\ud800']))).status()).toBe(400);
	expect((await send(raw(['x'.repeat(501)]))).status()).toBe(400);
	expect((await send({ ...raw(['0']), position: 0 })).status()).toBe(400);
	expect((await send({ ...raw(['0']), revision: 1.5 })).status()).toBe(400);
	expect((await send('{not json')).status()).toBe(400);
	// A form type is refused by SvelteKit's cross-site check (403) before the endpoint's own (415).
	expect([403, 415]).toContain((await send(raw(['0']), { 'content-type': 'text/plain' })).status());
	expect((await send(raw(['0']), { 'content-type': 'application/xml' })).status()).toBe(415);
	expect((await send(raw(['0']), { origin: 'https://elsewhere.example' })).status()).toBe(403);
	expect((await send({ ...raw(['é'.repeat(400)]), pad: 'x'.repeat(70_000) })).status()).toBe(413);
	expect((await send(raw(['0']))).status()).toBe(200);
	// A replay of the same revision is stale, and says so.
	expect((await (await send(raw(['1']))).json()).status).toBe('stale');

	await teacher.goto(attempt);
	await expect(
		teacher.getByText(new RegExp(`1 of ${RUSSIA_QUESTIONS}\\s+questions answered so far`))
	).toBeVisible();

	// Accommodations: a wrong value is explained next to its field and what was typed stays.
	await teacher.goto(`${classUrl}/roster`);
	// Chosen once the form is live: hydration sets the select from the form's state.
	await teacher.waitForLoadState('networkidle');
	await teacher.getByLabel('Student', { exact: true }).selectOption({ label: 'Bo Browser' });
	await teacher.getByLabel('Time multiplier').fill('9');
	await teacher.getByLabel('Extra attempts').fill('1');
	await teacher.getByRole('button', { name: 'Save accommodations' }).click();
	await expect(teacher.getByText('Write a number from 1 to 5.')).toBeVisible();
	await expect(teacher.getByLabel('Extra attempts')).toHaveValue('1');
	await expectAccessible(teacher);
	await teacher.getByLabel('Time multiplier').fill('1.5');
	await teacher.getByRole('button', { name: 'Save accommodations' }).click();
	await expect(teacher.getByText('Accommodations saved.')).toBeVisible();
	await expect(teacher.getByText(/Bo Browser: time × 1\.5, 1 extra attempt/)).toBeVisible();
	await bo.goto(assignment);
	await expect(bo.getByText('3 attempts left')).toBeVisible();
	await expectNoKey(teacher);
});

// Last in this file: it changes a shipped question's points, which the journeys above count on.
test('after students answered, fixing a question offers a regrade that shows whose scores change, then applies it', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const { page: teacher, classUrl, code } = await teacherWithClass(browser, 'Quiz class R');
	const assignment = await assignQuiz(teacher, classUrl);
	// Without JavaScript, so the answers are sent with the submit: nothing depends on autosave timing.
	const { page: pupil } = await newStudent(browser, code, 'Rae Regrade', false);
	await pupil.goto(assignment);
	await pupil.getByRole('button', { name: 'Start the quiz' }).click();
	await expect(pupil).toHaveURL(/\/attempts\/\d+$/);
	for (let i = 0; i < RUSSIA_QUESTIONS; i++) await answer(pupil.locator('.question').nth(i));
	await pupil.getByRole('button', { name: 'Submit…' }).click();
	await pupil.getByRole('button', { name: 'Submit my answers' }).click();
	await expect(pupil.getByText(/^Score: /)).toContainText(` / ${RUSSIA_QUESTIONS} `);

	// The course's editor (an administrator, for the shipped course) makes one question worth 2.
	const admin = await (await browser.newContext()).newPage();
	const { email, password } = demo('admin');
	await logIn(admin, email, password);
	await admin.goto('/author/courses/un-cybercrime-treaty/questions');
	await admin.getByRole('link', { name: "Russia's motive", exact: true }).first().click();
	await admin.getByLabel('Points').fill('2');
	await admin.getByRole('button', { name: 'Save question' }).click();
	await expect(
		admin.getByText(/Attempts already made keep the version they were given/)
	).toBeVisible();
	// Rae's attempt, and those of the journeys above that were given this question.
	await expect(admin.getByRole('region', { name: 'Attempts on an earlier version' })).toContainText(
		/\d+\s+attempts?\s+(was|were)\s+given\s+an\s+earlier\s+version/
	);
	await admin.getByRole('link', { name: 'See whose scores change, then regrade' }).click();
	const row = admin.getByRole('row', { name: /Rae Regrade/ });
	await expect(row).toContainText('Quiz class R');
	await expect(row).toContainText(
		new RegExp(`/ ${RUSSIA_QUESTIONS} → [\\d.]+ / ${RUSSIA_QUESTIONS + 1}`)
	);
	await expectAccessible(admin);
	await admin.getByRole('button', { name: /^Regrade \d+ attempts?$/ }).click();
	await expect(admin.getByText(/^Regraded: \d+ attempt scores? changed\.$/)).toBeVisible();
	await expect(admin.getByText(/regraded \d+ attempts?; \d+ scores? changed/)).toBeVisible();
	await expect(admin.getByText('Every attempt has the current version')).toBeVisible();

	// The student's review and the gradebook follow.
	await pupil.reload();
	await expect(pupil.getByText(/^Score: /)).toContainText(` / ${RUSSIA_QUESTIONS + 1} `);
});
