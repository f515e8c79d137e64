import { describe, expect, test } from 'vitest';
import { createClass } from '../../src/lib/server/classes/classes.ts';
import {
	classesUsingCourse,
	createCourseFromArticle,
	deleteActor,
	deleteEvent,
	deleteLesson,
	deleteTerm,
	findEditableCourse,
	listGlossary,
	listTimeline,
	saveEvent,
	saveTerm,
	importCoursePackage,
	listConcerns,
	listLessons,
	moveLesson,
	parseCites,
	publishCourse,
	replaceParagraphs,
	saveActor,
	saveConcern,
	saveLesson,
	updateCourseDetails,
	type ActorInput
} from '../../src/lib/server/courses/authoring/index.ts';
import { exportCourse } from '../../src/lib/server/courses/import-export.ts';
import { listCourses } from '../../src/lib/server/courses/queries.ts';
import type { Db } from '../../src/lib/server/db/index.ts';
import type { Role } from '../../src/lib/server/db/types.ts';
import { testDb } from '../helpers/db.ts';
import { newUser } from '../helpers/factories.ts';

const ARTICLE = 'First paragraph,\nwrapped on two lines.\n\nSecond paragraph.\n\n\nThird one.\n';

async function user(db: Db, role: Role) {
	return newUser(db, { role });
}

/** A draft with the three paragraphs of ARTICLE, owned by `ownerId`. */
async function newCourse(db: Db, ownerId: number, slug = 'treaty') {
	const made = await createCourseFromArticle(db, ownerId, {
		title: 'The treaty',
		slug,
		articleTitle: 'A treaty and its critics',
		publisher: null,
		date: null,
		text: ARTICLE
	});
	if (!made.ok) throw new Error(JSON.stringify(made.errors));
	return made.id;
}

function actor(slug: string, over: Partial<ActorInput> = {}): ActorInput {
	return {
		slug,
		name: `The ${slug}`,
		short: slug,
		stance: 'supports',
		stanceLabel: 'Supports it',
		summary: 'Says so. [¶1]',
		cites: [1],
		...over
	};
}

async function saved<T extends { ok: boolean }>(p: Promise<T>): Promise<Extract<T, { ok: true }>> {
	const r = await p;
	if (!r.ok) throw new Error(`not saved: ${JSON.stringify(r)}`);
	return r as Extract<T, { ok: true }>;
}

describe('authoring', () => {
	test('a course made from pasted text splits it into paragraphs at blank lines', async () => {
		const db = await testDb();
		const me = await user(db, 'instructor');
		const made = await saved(
			createCourseFromArticle(db, me.id, {
				title: "Washington's Case: a Treaty",
				slug: null,
				articleTitle: 'The article',
				publisher: 'The Paper',
				date: '2024-08-01',
				text: ARTICLE.replaceAll('\n', '\r\n')
			})
		);
		expect(made.slug).toBe('washingtons-case-a-treaty');
		const course = await db
			.selectFrom('courses')
			.selectAll()
			.where('id', '=', made.id)
			.executeTakeFirstOrThrow();
		expect(course).toMatchObject({ status: 'draft', owner_id: me.id, article_date: '2024-08-01' });
		const paragraphs = await db
			.selectFrom('article_paragraphs')
			.select(['number', 'body'])
			.where('course_id', '=', made.id)
			.orderBy('number')
			.execute();
		expect(paragraphs).toEqual([
			{ number: 1, body: 'First paragraph, wrapped on two lines.' },
			{ number: 2, body: 'Second paragraph.' },
			{ number: 3, body: 'Third one.' }
		]);

		const again = await createCourseFromArticle(db, me.id, {
			title: "Washington's case: a treaty",
			slug: null,
			articleTitle: 'x',
			publisher: null,
			date: null,
			text: 'One.'
		});
		expect(again).toEqual({
			ok: false,
			errors: { slug: expect.stringContaining('“washingtons-case-a-treaty” (made from the title)') }
		});
		const empty = await createCourseFromArticle(db, me.id, {
			title: 'Other',
			slug: 'other',
			articleTitle: 'x',
			publisher: null,
			date: null,
			text: 'One.\n\nReference: somewhere'
		});
		expect(empty).toMatchObject({
			ok: false,
			errors: { text: expect.stringContaining('Reference:') }
		});
	});

	test('cites are parsed from "1, 4" and checked against the article', async () => {
		expect(parseCites('1, 4')).toEqual({ ok: true, cites: [1, 4] });
		expect(parseCites(' 4 ¶1,1 ')).toEqual({ ok: true, cites: [1, 4] });
		expect(parseCites('[2, 3]')).toEqual({ ok: true, cites: [2, 3] });
		expect(parseCites('')).toEqual({ ok: true, cites: [] });
		expect(parseCites('1; 4')).toMatchObject({
			ok: false,
			message: expect.stringContaining('“1;”')
		});
		expect(parseCites('0')).toMatchObject({ ok: false });

		const db = await testDb();
		const me = await user(db, 'instructor');
		const courseId = await newCourse(db, me.id);
		const r = await saveActor(
			db,
			courseId,
			null,
			actor('firms', { cites: [1, 7], summary: 'x [¶9]' })
		);
		expect(r).toEqual({
			ok: false,
			errors: {
				cites: '¶7 does not exist: the article has 3 paragraphs.',
				summary: '¶9 does not exist: the article has 3 paragraphs.'
			}
		});
	});

	test('publishing refuses an incomplete course with every problem and accepts a complete one', async () => {
		const db = await testDb();
		const me = await user(db, 'instructor');
		const courseId = await newCourse(db, me.id);
		const { id: firms } = await saved(saveActor(db, courseId, null, actor('firms')));
		await saved(
			saveLesson(db, courseId, null, {
				slug: 'intro',
				title: 'Intro',
				summary: 'What it is.',
				actors: ['firms'],
				keyPoints: [],
				check: [],
				body: 'No citation here.'
			})
		);

		const refused = await publishCourse(db, courseId);
		expect(refused.ok).toBe(false);
		const problems = refused.ok ? [] : refused.problems;
		const errors = problems.map((e) => `${e.file}:${e.line}: ${e.message}`);
		expect(errors).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^course\.yaml:\d+: .*summary.*must not be empty/i),
				expect.stringMatching(/^actors\.yaml:1: actor "firms" holds no concern/i),
				expect.stringMatching(/^lessons\/01-intro\.md:\d+: the lesson body cites no paragraph/i)
			])
		);
		expect(errors).toHaveLength(3);
		// In the author's words, each with the editor page that fixes it.
		expect(problems.map((p) => [p.where, p.href])).toEqual(
			expect.arrayContaining([
				['Course details', `/author/courses/treaty#details`],
				[expect.stringMatching(/^Actor “/), `/author/courses/treaty/actors#actor-${firms}`],
				['Lesson “Intro”', `/author/courses/treaty/lessons/intro`]
			])
		);
		expect(problems.every((p) => /^[A-Z]/.test(p.message) && /[.”"]$/.test(p.message))).toBe(true);
		const draft = await db
			.selectFrom('courses')
			.select(['status', 'published_at'])
			.where('id', '=', courseId)
			.executeTakeFirstOrThrow();
		expect(draft).toEqual({ status: 'draft', published_at: null });

		await saved(
			updateCourseDetails(db, courseId, {
				title: 'The treaty',
				summary: 'Who wants what. [¶1]',
				articleTitle: 'A treaty and its critics',
				publisher: null,
				date: null,
				reference: null,
				note: null
			})
		);
		await saved(
			saveConcern(db, courseId, null, {
				slug: 'research',
				label: 'Research',
				description: 'Security research. [¶2]',
				holders: [{ actorId: firms, kind: 'fear', summary: 'Fear it. [¶2]', cites: [2] }]
			})
		);
		const [lesson] = await listLessons(db, courseId);
		await saved(
			saveLesson(db, courseId, lesson.id, {
				slug: 'intro',
				title: 'Intro',
				summary: 'What it is.',
				actors: ['firms'],
				keyPoints: ['A point. [¶3]'],
				check: [],
				body: 'Now it cites. [¶2]'
			})
		);
		expect(await publishCourse(db, courseId)).toEqual({ ok: true });
		const published = await db
			.selectFrom('courses')
			.select(['status', 'published_at'])
			.where('id', '=', courseId)
			.executeTakeFirstOrThrow();
		expect(published.status).toBe('published');
		expect(published.published_at).toBeInstanceOf(Date);
		const student = await user(db, 'student');
		expect((await listCourses(db, student)).map((c) => c.slug)).toEqual(['treaty']);
	});

	test('only the owner or an admin may edit a course', async () => {
		const db = await testDb();
		const owner = await user(db, 'instructor');
		const other = await user(db, 'instructor');
		const admin = await user(db, 'admin');
		const student = await user(db, 'student');
		await newCourse(db, owner.id);
		expect(await findEditableCourse(db, owner, 'treaty')).toMatchObject({
			slug: 'treaty',
			paragraphCount: 3
		});
		expect(await findEditableCourse(db, admin, 'treaty')).toBeDefined();
		expect(await findEditableCourse(db, other, 'treaty')).toBeUndefined();
		expect(await findEditableCourse(db, student, 'treaty')).toBeUndefined();
		expect(await findEditableCourse(db, null, 'treaty')).toBeUndefined();
	});

	test('deleting an actor removes its holder links and keeps positions dense', async () => {
		const db = await testDb();
		const me = await user(db, 'instructor');
		const courseId = await newCourse(db, me.id);
		const a = await saved(saveActor(db, courseId, null, actor('a')));
		const b = await saved(saveActor(db, courseId, null, actor('b')));
		const c = await saved(saveActor(db, courseId, null, actor('c')));
		const holder = (actorId: number) => ({
			actorId,
			kind: 'aim' as const,
			summary: 'Aim.',
			cites: [1]
		});
		await saved(
			saveConcern(db, courseId, null, {
				slug: 'k',
				label: 'K',
				description: 'K.',
				holders: [holder(a.id), holder(b.id), holder(c.id)]
			})
		);
		await saved(
			saveLesson(db, courseId, null, {
				slug: 'l',
				title: 'L',
				summary: 'L.',
				actors: ['a', 'b'],
				keyPoints: [],
				check: [],
				body: 'x [¶1]'
			})
		);

		expect((await deleteActor(db, courseId, b.id)).ok).toBe(true);
		const links = await db
			.selectFrom('actor_concerns')
			.select(['actor_id', 'position'])
			.orderBy('position')
			.execute();
		expect(links).toEqual([
			{ actor_id: a.id, position: 1 },
			{ actor_id: c.id, position: 2 }
		]);
		const actors = await db
			.selectFrom('actors')
			.select(['slug', 'position'])
			.orderBy('position')
			.execute();
		expect(actors).toEqual([
			{ slug: 'a', position: 1 },
			{ slug: 'c', position: 2 }
		]);
		const lesson = await db.selectFrom('lessons').select('actor_slugs').executeTakeFirstOrThrow();
		expect(lesson.actor_slugs).toEqual(['a']);
		expect((await listConcerns(db, courseId))[0].holders.map((h) => h.actorSlug)).toEqual([
			'a',
			'c'
		]);

		// A renamed actor is followed in the lessons that name it.
		await saved(saveActor(db, courseId, a.id, actor('a-renamed')));
		const renamed = await db.selectFrom('lessons').select('actor_slugs').executeTakeFirstOrThrow();
		expect(renamed.actor_slugs).toEqual(['a-renamed']);
	});

	test('lessons move up and down and stay numbered 1..n after a delete', async () => {
		const db = await testDb();
		const me = await user(db, 'instructor');
		const courseId = await newCourse(db, me.id);
		const ids: number[] = [];
		for (const slug of ['one', 'two', 'three']) {
			const r = await saved(
				saveLesson(db, courseId, null, {
					slug,
					title: slug,
					summary: 's',
					actors: [],
					keyPoints: [],
					check: [],
					body: ''
				})
			);
			ids.push(r.id);
		}
		expect((await moveLesson(db, courseId, ids[2], 'up')).ok).toBe(true);
		expect((await moveLesson(db, courseId, ids[0], 'up')).ok).toBe(false);
		expect((await listLessons(db, courseId)).map((l) => l.slug)).toEqual(['one', 'three', 'two']);
		expect((await deleteLesson(db, courseId, ids[0])).ok).toBe(true);
		const left = await listLessons(db, courseId);
		expect(left.map((l) => [l.slug, l.position])).toEqual([
			['three', 1],
			['two', 2]
		]);
	});

	test('deleting a glossary term or timeline event keeps positions dense, within its course only', async () => {
		const db = await testDb();
		const me = await user(db, 'instructor');
		const courseId = await newCourse(db, me.id);
		const otherId = await newCourse(db, me.id, 'other');
		const terms: number[] = [];
		for (const term of ['Alpha', 'Beta', 'Gamma']) {
			const r = await saved(
				saveTerm(db, courseId, null, {
					term,
					definition: `${term} [¶1]`,
					beyondNote: null,
					beyondSource: null
				})
			);
			terms.push(r.id);
		}
		expect((await deleteTerm(db, otherId, terms[0])).ok).toBe(false);
		expect((await deleteTerm(db, courseId, terms[0])).ok).toBe(true);
		expect((await listGlossary(db, courseId)).map((t) => [t.term, t.position])).toEqual([
			['Beta', 1],
			['Gamma', 2]
		]);

		const events: number[] = [];
		for (const [when, sort] of [
			['first', 1],
			['second', 2]
		] as const) {
			const r = await saved(
				saveEvent(db, courseId, null, { when, sort, event: `${when} [¶2]`, cites: [2] })
			);
			events.push(r.id);
		}
		expect((await deleteEvent(db, courseId, events[0])).ok).toBe(true);
		expect((await deleteEvent(db, courseId, events[0])).ok).toBe(false);
		expect((await listTimeline(db, courseId)).map((e) => [e.when, e.position])).toEqual([
			['second', 1]
		]);
	});

	test('a course that a class is taught from is replaced in place, keeping the class', async () => {
		const db = await testDb();
		const me = await user(db, 'instructor');
		const courseId = await newCourse(db, me.id);
		const classId = await createClass(db, {
			courseId,
			name: 'Uses it',
			term: null,
			instructorId: me.id
		});
		expect(await classesUsingCourse(db, courseId)).toBe(1);
		const pkg = (await exportCourse(db, courseId))!;
		expect(
			await importCoursePackage(
				db,
				me,
				{ ...pkg, course: { ...pkg.course, title: 'Revised' } },
				{ replace: true }
			)
		).toEqual({ ok: true, id: courseId, slug: pkg.course.slug });
		const cls = await db
			.selectFrom('classes')
			.select('course_id')
			.where('id', '=', classId)
			.executeTakeFirstOrThrow();
		expect(cls.course_id).toBe(courseId);
	});

	test('a failure part-way through a multi-row write leaves nothing changed', async () => {
		const db = await testDb();
		const me = await user(db, 'instructor');
		const courseId = await newCourse(db, me.id);
		// PostgreSQL refuses NUL in text, so the second paragraph's insert fails after the first
		// statements of the write have run.
		await expect(
			replaceParagraphs(db, courseId, 'New one.\n\nBroken \u0000 two.')
		).rejects.toThrow();
		const paragraphs = await db
			.selectFrom('article_paragraphs')
			.select('body')
			.where('course_id', '=', courseId)
			.orderBy('number')
			.execute();
		expect(paragraphs.map((p) => p.body)).toEqual([
			'First paragraph, wrapped on two lines.',
			'Second paragraph.',
			'Third one.'
		]);

		await expect(
			createCourseFromArticle(db, me.id, {
				title: 'Half',
				slug: 'half',
				articleTitle: 'x',
				publisher: null,
				date: null,
				text: 'Fine.\n\nNot \u0000 fine.'
			})
		).rejects.toThrow();
		expect(
			await db.selectFrom('courses').select('slug').where('slug', '=', 'half').execute()
		).toEqual([]);

		const a = await saved(saveActor(db, courseId, null, actor('a')));
		await saved(
			saveConcern(db, courseId, null, {
				slug: 'k',
				label: 'Before',
				description: 'K.',
				holders: [{ actorId: a.id, kind: 'aim', summary: 'Aim.', cites: [1] }]
			})
		);
		const [concern] = await listConcerns(db, courseId);
		await expect(
			saveConcern(db, courseId, concern.id, {
				slug: 'k',
				label: 'After',
				description: 'K.',
				holders: [{ actorId: a.id, kind: 'fear', summary: 'Bad \u0000', cites: [1] }]
			})
		).rejects.toThrow();
		const [after] = await listConcerns(db, courseId);
		expect(after).toMatchObject({
			label: 'Before',
			holders: [{ actorId: a.id, kind: 'aim', summary: 'Aim.' }]
		});
	});

	test('a package imports as my draft, and replaces only a course of mine', async () => {
		const db = await testDb();
		const me = await user(db, 'instructor');
		const other = await user(db, 'instructor');
		const courseId = await newCourse(db, other.id);
		const pkg = (await exportCourse(db, courseId))!;

		expect(await importCoursePackage(db, me, pkg, { replace: true })).toEqual({
			ok: false,
			exists: true,
			slug: 'treaty',
			canReplace: false
		});
		const copy = await saved(
			importCoursePackage(
				db,
				me,
				{ ...pkg, course: { ...pkg.course, slug: 'mine' } },
				{ replace: false }
			)
		);
		const row = await db
			.selectFrom('courses')
			.select(['owner_id', 'status'])
			.where('id', '=', copy.id)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ owner_id: me.id, status: 'draft' });

		const mine = { ...pkg, course: { ...pkg.course, slug: 'mine', title: 'Replaced' } };
		expect(await importCoursePackage(db, me, mine, { replace: false })).toMatchObject({
			ok: false,
			canReplace: true
		});
		await saved(importCoursePackage(db, me, mine, { replace: true }));
		const titles = await db
			.selectFrom('courses')
			.select('title')
			.where('slug', '=', 'mine')
			.execute();
		expect(titles).toEqual([{ title: 'Replaced' }]);
	});
});
