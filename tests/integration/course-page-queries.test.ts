import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { useDatabase } from '../../src/lib/server/db/index.ts';
import { testDb, testHandle } from '../helpers/db.ts';
import { countingHandle } from '../helpers/query-count.ts';
import { newCourse, newUser } from '../helpers/factories.ts';
import { load as overviewLoad } from '../../src/routes/courses/[course]/+page.server.ts';
import { load as lessonLoad } from '../../src/routes/courses/[course]/lessons/[lesson]/+page.server.ts';
import { load as articleLoad } from '../../src/routes/courses/[course]/article/+page.server.ts';
import { load as actorLoad } from '../../src/routes/courses/[course]/actors/[actor]/+page.server.ts';
import { load as mapLoad } from '../../src/routes/courses/[course]/map/+page.server.ts';
import { load as glossaryLoad } from '../../src/routes/courses/[course]/glossary/+page.server.ts';
import { load as timelineLoad } from '../../src/routes/courses/[course]/timeline/+page.server.ts';

// The loads are called as SvelteKit calls them, on a database that counts queries.
type AnyLoad = (event: never) => unknown;
async function run(load: AnyLoad, params: Record<string, string>, user: unknown) {
	return await (load as (e: unknown) => Promise<Record<string, unknown>>)({
		params,
		locals: { user, session: null },
		url: new URL('http://localhost/'),
		parent: async () => ({})
	});
}

let counter: { n: number };
beforeEach(async () => {
	const db = await testDb();
	await newCourse(db, { slug: 'treaty' });
	const counted = countingHandle(await testHandle());
	useDatabase(counted.handle);
	counter = counted.counter;
});
afterAll(async () => useDatabase(await testHandle()));

describe('course pages are rendered from at most three queries', () => {
	test.each([
		['overview', overviewLoad, { course: 'treaty' }],
		['lesson', lessonLoad, { course: 'treaty', lesson: 'intro' }],
		['article', articleLoad, { course: 'treaty' }],
		['actor', actorLoad, { course: 'treaty', actor: 'firms' }],
		['map', mapLoad, { course: 'treaty' }],
		['glossary', glossaryLoad, { course: 'treaty' }],
		['timeline', timelineLoad, { course: 'treaty' }]
	] as const)('%s page', async (_name, load, params) => {
		const student = await newUser(await testDb());
		counter.n = 0;
		const anonymous = await run(load as AnyLoad, params, null);
		expect(anonymous).toBeTruthy();
		expect(counter.n).toBeLessThanOrEqual(3);
		counter.n = 0;
		await run(load as AnyLoad, params, { id: student.id, role: 'student', name: 'S', email: 'x' });
		expect(counter.n).toBeLessThanOrEqual(3);
	});

	test('what a lesson page sends has no answer key', async () => {
		const data = await run(lessonLoad as AnyLoad, { course: 'treaty', lesson: 'intro' }, null);
		const json = JSON.stringify(data);
		expect(json).not.toMatch(/"correct"|"weight"|"feedback"|"answers"|"pairs"/);
		expect(json).toContain('When was the treaty proposed?');
	});

	test('the overview is an overview: glossary and timeline are linked, not shown, and only when not empty', async () => {
		const overview = (await run(overviewLoad as AnyLoad, { course: 'treaty' }, null)) as {
			course: { sections: unknown };
		};
		expect(overview.course.sections).toEqual({ glossary: true, timeline: true });
		expect(JSON.stringify(overview)).not.toContain('An agreement between states');
		const glossary = (await run(glossaryLoad as AnyLoad, { course: 'treaty' }, null)) as {
			terms: { term: string; definition: string }[];
		};
		expect(glossary.terms.map((t) => t.term)).toEqual(['Treaty']);
		expect(glossary.terms[0].definition).toContain('An agreement between states');

		const db = await testDb();
		await db.deleteFrom('glossary_terms').execute();
		const after = (await run(mapLoad as AnyLoad, { course: 'treaty' }, null)) as {
			course: { sections: unknown };
		};
		expect(after.course.sections).toEqual({ glossary: false, timeline: true });
	});
});
