import { describe, expect, test } from 'vitest';
import {
	checkCourse,
	deleteActor,
	deleteLesson,
	replaceParagraphs,
	saveActor,
	saveLesson,
	saveTerm,
	updateCourseDetails
} from '../../src/lib/server/courses/authoring/index.ts';
import { inTransaction, useDatabase } from '../../src/lib/server/db/index.ts';
import { actions as lessonActions } from '../../src/routes/author/courses/[course]/lessons/[lesson]/+page.server.ts';
import { testDb, testHandle } from '../helpers/db.ts';
import { asSessionUser, fakeEvent } from '../helpers/kit.ts';
import { lessonIds, newAssignment, newClass, newCourse, newUser } from '../helpers/factories.ts';

describe('course edits keep class data and published courses valid', () => {
	test('deleting a lesson a class has assigned is refused, naming the classes', async () => {
		const db = await testDb();
		const teacher = await newUser(db, { role: 'instructor' });
		const course = await newCourse(db, { ownerId: teacher.id });
		const [intro, critics] = await lessonIds(db, course.id);
		const a = await newClass(db, course.id, { name: 'Year 10 civics', instructorId: teacher.id });
		const b = await newClass(db, course.id, { name: 'Adult evening class' });
		await newAssignment(db, a.id, { lessonId: intro });
		await newAssignment(db, b.id, { lessonId: intro });
		await newAssignment(db, b.id, { lessonId: intro });

		const refused = await deleteLesson(db, course.id, intro);
		expect(refused).toEqual({
			ok: false,
			errors: {
				form: expect.stringMatching(
					/assigned in the classes “Adult evening class” and “Year 10 civics”, so it cannot be deleted/
				)
			}
		});
		expect(await lessonIds(db, course.id)).toEqual([intro, critics]);
		const kept = await db.selectFrom('assignments').select('id').execute();
		expect(kept).toHaveLength(3);

		// A lesson no class uses goes (the course stays valid: it keeps one lesson).
		expect(await deleteLesson(db, course.id, critics)).toEqual({ ok: true });
		expect(await lessonIds(db, course.id)).toEqual([intro]);
	});

	test('the lesson page’s delete answers 409 with the message, in the one failure shape', async () => {
		const db = await testDb();
		useDatabase(await testHandle());
		const teacher = await newUser(db, { role: 'instructor' });
		const course = await newCourse(db, { ownerId: teacher.id, status: 'draft' });
		const [intro] = await lessonIds(db, course.id);
		const cls = await newClass(db, course.id, { name: 'Period 3', instructorId: teacher.id });
		await newAssignment(db, cls.id, { lessonId: intro });
		const event = fakeEvent({
			user: asSessionUser(teacher),
			params: { course: course.slug, lesson: 'intro' }
		});
		const answer = await lessonActions.delete(event as never);
		expect(answer).toMatchObject({
			status: 409,
			data: {
				action: 'delete',
				message: expect.stringContaining('“Period 3”'),
				errors: {},
				values: {},
				problems: []
			}
		});
		expect(await lessonIds(db, course.id)).toEqual([intro, expect.any(Number)]);
	});

	test('one class is named in the singular', async () => {
		const db = await testDb();
		const course = await newCourse(db, { status: 'draft' });
		const [intro] = await lessonIds(db, course.id);
		const cls = await newClass(db, course.id, { name: 'Period 3' });
		await newAssignment(db, cls.id, { lessonId: intro });
		const refused = await deleteLesson(db, course.id, intro);
		expect(refused.ok).toBe(false);
		if (!refused.ok)
			expect(refused.errors.form).toBe(
				'This lesson is assigned in the class “Period 3”, so it cannot be deleted: remove that assignment first.'
			);
	});

	test('an edit that would make a published course invalid is refused with the problems, and nothing changes', async () => {
		const db = await testDb();
		const course = await newCourse(db);
		expect(await checkCourse(db, course.id)).toEqual([]);
		const before = await db
			.selectFrom('courses')
			.select(['summary', 'updated_at'])
			.where('id', '=', course.id)
			.executeTakeFirstOrThrow();

		// An empty summary is a package error (course.yaml), not a field error of the form.
		const details = await updateCourseDetails(db, course.id, {
			title: 'A small treaty',
			summary: '',
			articleTitle: 'A treaty and its critics',
			publisher: null,
			date: null,
			reference: null,
			note: null
		});
		expect(details.ok).toBe(false);
		if (details.ok) return;
		expect(details.errors.form).toMatch(/published.*Nothing was saved/);
		expect(details.problems).toEqual([
			expect.objectContaining({
				where: 'Course details',
				href: `/author/courses/${course.slug}#details`,
				file: 'course.yaml'
			})
		]);
		expect(
			await db
				.selectFrom('courses')
				.select(['summary', 'updated_at'])
				.where('id', '=', course.id)
				.executeTakeFirstOrThrow()
		).toEqual(before);

		// A lesson body without a citation.
		const [intro] = await lessonIds(db, course.id);
		const lesson = await saveLesson(db, course.id, intro, {
			slug: 'intro',
			title: 'Introduction',
			summary: 'What the treaty is.',
			actors: ['firms'],
			keyPoints: [],
			check: ['q-year'],
			body: 'No citation any more.'
		});
		expect(lesson.ok).toBe(false);
		if (!lesson.ok)
			expect(lesson.problems?.map((p) => [p.where, p.href])).toEqual([
				['Lesson “Introduction”', `/author/courses/${course.slug}/lessons/intro`]
			]);
		const body = await db
			.selectFrom('lessons')
			.select('body')
			.where('id', '=', intro)
			.executeTakeFirstOrThrow();
		expect(body.body).toBe('The treaty was proposed in 2017 [¶1].');

		// Deleting the only actor leaves a concern with no holder and lessons naming nobody.
		const [firms] = await db
			.selectFrom('actors')
			.select('id')
			.where('course_id', '=', course.id)
			.execute();
		const gone = await deleteActor(db, course.id, firms.id);
		expect(gone.ok).toBe(false);
		expect(
			await db.selectFrom('actors').select('id').where('course_id', '=', course.id).execute()
		).toHaveLength(1);

		// Cutting the article to one paragraph breaks every citation of ¶2 and ¶3.
		const cut = await replaceParagraphs(db, course.id, 'Only one paragraph now.');
		expect(cut.ok).toBe(false);
		const paragraphs = await db
			.selectFrom('article_paragraphs')
			.select('number')
			.where('course_id', '=', course.id)
			.execute();
		expect(paragraphs).toHaveLength(3);

		expect(await checkCourse(db, course.id)).toEqual([]);
	});

	test('a valid edit of a published course lands; a draft may be left invalid until publishing', async () => {
		const db = await testDb();
		const published = await newCourse(db);
		const added = await saveTerm(db, published.id, null, {
			term: 'Critic',
			definition: 'Someone who opposes it [¶2].',
			beyondNote: null,
			beyondSource: null
		});
		expect(added).toMatchObject({ ok: true });

		const draft = await newCourse(db, { status: 'draft' });
		const [firms] = await db
			.selectFrom('actors')
			.select('id')
			.where('course_id', '=', draft.id)
			.execute();
		expect(await deleteActor(db, draft.id, firms.id)).toEqual({ ok: true });
		expect((await checkCourse(db, draft.id)).length).toBeGreaterThan(0);
	});

	test('the check also holds inside a caller’s transaction, which goes on', async () => {
		const db = await testDb();
		const course = await newCourse(db);
		const result = await inTransaction(db, async (trx) => {
			const refused = await saveActor(trx, course.id, null, {
				slug: 'lonely',
				name: 'An actor with no concern',
				short: 'Lonely',
				stance: 'other',
				stanceLabel: 'Other',
				summary: 'Says nothing [¶1].',
				cites: [1]
			});
			// The transaction is still usable after the refusal.
			const count = await trx
				.selectFrom('actors')
				.select('id')
				.where('course_id', '=', course.id)
				.execute();
			return { refused, count: count.length };
		});
		expect(result.refused.ok).toBe(false);
		if (!result.refused.ok)
			expect(result.refused.problems?.[0]).toMatchObject({
				where: 'Actor “An actor with no concern”'
			});
		expect(result.count).toBe(1);
	});
});
