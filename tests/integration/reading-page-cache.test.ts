import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/connect.ts';
import { useDatabase } from '../../src/lib/server/db/index.ts';
import { testDatabaseKind, testDb, testHandle } from '../helpers/db.ts';
import { countingHandle } from '../helpers/query-count.ts';
import { newCourse } from '../helpers/factories.ts';
import { clearPageCache } from '../../src/lib/server/courses/page-cache.ts';
import { saveLesson } from '../../src/lib/server/courses/authoring/lessons.ts';
import { saveActor } from '../../src/lib/server/courses/authoring/actors.ts';
import { saveConcern } from '../../src/lib/server/courses/authoring/concerns.ts';
import { replaceParagraphs } from '../../src/lib/server/courses/authoring/paragraphs.ts';
import { updateCourseDetails } from '../../src/lib/server/courses/authoring/courses.ts';
import { unpublishCourse } from '../../src/lib/server/courses/authoring/publish.ts';
import type { Executor } from '../../src/lib/server/db/index.ts';
import { load as overviewLoad } from '../../src/routes/courses/[course]/+page.server.ts';
import { load as lessonLoad } from '../../src/routes/courses/[course]/lessons/[lesson]/+page.server.ts';
import { load as articleLoad } from '../../src/routes/courses/[course]/article/+page.server.ts';
import { load as actorLoad } from '../../src/routes/courses/[course]/actors/[actor]/+page.server.ts';
import { load as mapLoad } from '../../src/routes/courses/[course]/map/+page.server.ts';

// The reading pages keep what they render per course content version (page-cache.ts). These
// check that the cache is used, and that an author's change shows on the very next request,
// however it was made, with nothing told to the cache.

type AnyLoad = (event: never) => unknown;
async function run(load: AnyLoad, params: Record<string, string>) {
	return JSON.stringify(
		await (load as (e: unknown) => Promise<Record<string, unknown>>)({
			params,
			locals: { user: null, session: null },
			url: new URL('http://localhost/'),
			parent: async () => ({})
		})
	);
}

const intro = {
	slug: 'intro',
	title: 'Introduction',
	summary: 'What the treaty is.',
	actors: ['firms'],
	keyPoints: ['It was proposed in 2017. [¶1]'],
	check: ['q-year'],
	body: 'The treaty was proposed in 2017 [¶1].'
};

let counter: { n: number };
let course: Awaited<ReturnType<typeof newCourse>>;
beforeEach(async () => {
	clearPageCache();
	course = await newCourse(await testDb(), { slug: 'treaty' });
	const counted = countingHandle(await testHandle());
	useDatabase(counted.handle);
	counter = counted.counter;
});
afterAll(async () => useDatabase(await testHandle()));

describe('the reading pages render once per content version', () => {
	test('a second request is served from one query and gives the same page', async () => {
		const params = { course: 'treaty', lesson: 'intro' };
		counter.n = 0;
		const first = await run(lessonLoad as AnyLoad, params);
		const cold = counter.n;
		counter.n = 0;
		const second = await run(lessonLoad as AnyLoad, params);
		expect(second).toEqual(first);
		expect(cold).toBe(2);
		expect(counter.n).toBe(1);
		// Every claim still cites its paragraph, with the paragraph's text as its preview.
		expect(second).toContain('href=\\"/courses/treaty/article#p1\\"');
		expect(second).toContain('A treaty was proposed in 2017.');
	});

	test('an edit shows on the next request of every reading page', async () => {
		const db = await testDb();
		const pages = {
			lesson: () => run(lessonLoad as AnyLoad, { course: 'treaty', lesson: 'intro' }),
			actor: () => run(actorLoad as AnyLoad, { course: 'treaty', actor: 'firms' }),
			map: () => run(mapLoad as AnyLoad, { course: 'treaty' }),
			overview: () => run(overviewLoad as AnyLoad, { course: 'treaty' }),
			article: () => run(articleLoad as AnyLoad, { course: 'treaty' })
		};
		for (const page of Object.values(pages)) await page();

		const lesson = await saveLesson(db, course.id, course.lesson.intro, {
			...intro,
			body: 'Rewritten: proposed in 2017 [¶1].'
		});
		expect(lesson.ok).toBe(true);
		expect(await pages.lesson()).toContain('Rewritten: proposed in 2017');

		const actor = await saveActor(db, course.id, await actorId(db), {
			slug: 'firms',
			name: 'Technology firms',
			short: 'Firms',
			stance: 'opposes',
			stanceLabel: 'Oppose the treaty',
			summary: 'They still oppose it [¶2].',
			cites: [2]
		});
		expect(actor.ok).toBe(true);
		expect(await pages.actor()).toContain('They still oppose it');

		const concern = await saveConcern(db, course.id, await concernId(db), {
			slug: 'privacy',
			label: 'Privacy of users',
			description: 'What the treaty could do to privacy [¶2].',
			holders: [
				{ actorId: await actorId(db), kind: 'aim', summary: 'They want privacy [¶2].', cites: [2] }
			]
		});
		expect(concern.ok).toBe(true);
		const map = await pages.map();
		expect(map).toContain('Privacy of users');
		expect(map).toContain('"kind":"aim"');

		const details = await updateCourseDetails(db, course.id, {
			title: 'A retitled treaty',
			summary: 'A new summary [¶1].',
			articleTitle: 'A treaty and its critics',
			publisher: null,
			date: null,
			reference: null,
			note: null
		});
		expect(details.ok).toBe(true);
		const overview = await pages.overview();
		expect(overview).toContain('A retitled treaty');
		expect(overview).toContain('A new summary');

		// New paragraph text changes the article and every citation preview that quotes it.
		const text = 'A treaty was first proposed in 2017.\n\nFirms oppose it.\n\nRights groups too.\n';
		const paragraphs = await replaceParagraphs(db, course.id, text);
		expect(paragraphs.ok).toBe(true);
		expect(await pages.article()).toContain('A treaty was first proposed in 2017.');
		expect(await pages.lesson()).toContain('A treaty was first proposed in 2017.');
	});

	test('unpublishing hides the pages at once', async () => {
		await run(lessonLoad as AnyLoad, { course: 'treaty', lesson: 'intro' });
		await unpublishCourse(await testDb(), course.id);
		await expect(
			run(lessonLoad as AnyLoad, { course: 'treaty', lesson: 'intro' })
		).rejects.toMatchObject({ status: 404 });
	});

	// Another app instance has its own pool and never tells this one's cache anything: only the
	// version the database holds can make the change show. The embedded database belongs to one
	// process, so there is no other instance to test there: the test exists on the server only.
	const onServer = testDatabaseKind === 'postgres' ? test : undefined;
	onServer?.('an edit made by another instance shows on the next request here', async () => {
		const params = { course: 'treaty', lesson: 'intro' };
		expect(await run(lessonLoad as AnyLoad, params)).toContain('The treaty was proposed');
		let other: DatabaseHandle | undefined;
		try {
			other = await openDatabase({ kind: 'postgres', url: process.env.TEST_DATABASE_URL! });
			const saved = await saveLesson(other.db, course.id, course.lesson.intro, {
				...intro,
				body: 'Edited on the other instance [¶1].'
			});
			expect(saved.ok).toBe(true);
		} finally {
			await other?.close();
		}
		expect(await run(lessonLoad as AnyLoad, params)).toContain('Edited on the other instance');
	});
});

async function actorId(db: Executor) {
	const row = await db
		.selectFrom('actors')
		.select('id')
		.where('slug', '=', 'firms')
		.executeTakeFirstOrThrow();
	return row.id;
}

async function concernId(db: Executor) {
	const row = await db
		.selectFrom('concerns')
		.select('id')
		.where('slug', '=', 'privacy')
		.executeTakeFirstOrThrow();
	return row.id;
}
