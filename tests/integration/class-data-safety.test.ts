import { describe, expect, test } from 'vitest';
import {
	CourseInUseError,
	exportCourse,
	importCourse
} from '../../src/lib/server/courses/import-export.ts';
import { importCoursePackage } from '../../src/lib/server/courses/authoring/index.ts';
import { classesUsingLesson } from '../../src/lib/server/classes/usage.ts';
import { recordCheckAnswer } from '../../src/lib/server/classes/progress.ts';
import { setLessonDone } from '../../src/lib/server/courses/queries.ts';
import { inTransaction } from '../../src/lib/server/db/index.ts';
import { testDb } from '../helpers/db.ts';
import { asSessionUser } from '../helpers/kit.ts';
import {
	newAssignment,
	newClass,
	newCourse,
	newMember,
	newUser,
	smallPackage
} from '../helpers/factories.ts';

async function world() {
	const db = await testDb();
	const teacher = await newUser(db, { role: 'instructor', name: 'Teacher' });
	const course = await newCourse(db, { ownerId: teacher.id, pkg: smallPackage() });
	const classId = (await newClass(db, course.id, { instructorId: teacher.id, name: 'Civics A' }))
		.id;
	const ana = await newUser(db, { name: 'Ana' });
	await newMember(db, classId, ana.id);
	return { db, teacher, course, classId, ana };
}

// ON DELETE RESTRICT is refused as restrict_violation (23001) by PostgreSQL 18 and as
// foreign_key_violation (23503) by 15.
const fkViolation = { code: expect.stringMatching(/^23(001|503)$/) };

describe('class-side foreign keys restrict', () => {
	test('a lesson with an assignment, or with a student’s progress, cannot be deleted', async () => {
		const { db, teacher, course, classId, ana } = await world();
		await newAssignment(db, classId, { lessonId: course.lesson.one, createdBy: teacher.id });
		await expect(
			db.deleteFrom('lessons').where('id', '=', course.lesson.one).execute()
		).rejects.toMatchObject(fkViolation);
		await setLessonDone(db, ana.id, course.lesson.two, true);
		await expect(
			db.deleteFrom('lessons').where('id', '=', course.lesson.two).execute()
		).rejects.toMatchObject(fkViolation);
		await recordCheckAnswer(db, ana.id, course.question.q3, 1);
		await expect(
			db.deleteFrom('questions').where('id', '=', course.question.q3).execute()
		).rejects.toMatchObject(fkViolation);
		expect(await db.selectFrom('assignments').select('id').execute()).toHaveLength(1);
	});

	test('classesUsingLesson names the classes that assign it or whose students read it', async () => {
		const { db, teacher, course, classId, ana } = await world();
		expect(await classesUsingLesson(db, course.lesson.one)).toEqual([]);
		const other = (await newClass(db, course.id, { instructorId: teacher.id, name: 'Civics B' }))
			.id;
		await newAssignment(db, other, { lessonId: course.lesson.one, createdBy: teacher.id });
		await setLessonDone(db, ana.id, course.lesson.one, true);
		expect(classId).toBeGreaterThan(0);
		expect(await classesUsingLesson(db, course.lesson.one)).toEqual(['Civics A', 'Civics B']);
		// A reader outside any class is not a class's use.
		const reader = await newUser(db);
		await setLessonDone(db, reader.id, course.lesson.two, true);
		expect(await classesUsingLesson(db, course.lesson.two)).toEqual([]);
	});
});

describe('replacing a package keeps what still exists', () => {
	test('rows matched by slug and question id are updated in place; assignments and progress stay', async () => {
		const { db, teacher, course, classId, ana } = await world();
		const assignmentId = await newAssignment(db, classId, {
			lessonId: course.lesson.one,
			createdBy: teacher.id,
			completion: 'checks'
		});
		await setLessonDone(db, ana.id, course.lesson.one, true);
		await recordCheckAnswer(db, ana.id, course.question.q1, 1);
		const actorBefore = await db
			.selectFrom('actors')
			.select('id')
			.where('course_id', '=', course.id)
			.executeTakeFirstOrThrow();

		const pkg = (await exportCourse(db, course.id))!;
		pkg.lessons[0].title = 'Lesson one, revised';
		pkg.lessons.reverse(); // order changes too
		pkg.questions[0].prompt = 'One, revised?';
		pkg.actors[0].name = 'A renamed state';
		const result = await importCoursePackage(db, asSessionUser(teacher), pkg, { replace: true });
		expect(result).toEqual({ ok: true, id: course.id, slug: course.slug });

		const lessons = await db
			.selectFrom('lessons')
			.select(['id', 'slug', 'title', 'position'])
			.where('course_id', '=', course.id)
			.orderBy('position')
			.execute();
		expect(lessons).toEqual([
			{ id: course.lesson.two, slug: 'two', title: 'Lesson two', position: 1 },
			{ id: course.lesson.one, slug: 'one', title: 'Lesson one, revised', position: 2 }
		]);
		const q1 = await db
			.selectFrom('questions')
			.select(['id', 'prompt'])
			.where('external_id', '=', 'q1')
			.executeTakeFirstOrThrow();
		expect(q1).toEqual({ id: course.question.q1, prompt: 'One, revised?' });
		const actor = await db
			.selectFrom('actors')
			.select(['id', 'name'])
			.where('course_id', '=', course.id)
			.executeTakeFirstOrThrow();
		expect(actor).toEqual({ id: actorBefore.id, name: 'A renamed state' });
		expect(await db.selectFrom('assignments').select(['id', 'lesson_id']).execute()).toEqual([
			{ id: assignmentId, lesson_id: course.lesson.one }
		]);
		expect(await db.selectFrom('lesson_progress').select('lesson_id').execute()).toEqual([
			{ lesson_id: course.lesson.one }
		]);
		expect(await db.selectFrom('check_answers').select('question_id').execute()).toEqual([
			{ question_id: course.question.q1 }
		]);
		// Still published: students keep their lessons.
		const row = await db
			.selectFrom('courses')
			.select('status')
			.where('id', '=', course.id)
			.executeTakeFirstOrThrow();
		expect(row.status).toBe('published');
	});

	test('dropping a lesson or question a class uses is refused, naming classes and items; nothing changes', async () => {
		const { db, teacher, course, classId, ana } = await world();
		await newAssignment(db, classId, { lessonId: course.lesson.two, createdBy: teacher.id });
		await recordCheckAnswer(db, ana.id, course.question.q3, 1);
		const pkg = (await exportCourse(db, course.id))!;
		const cut = {
			...pkg,
			course: { ...pkg.course, title: 'Cut down' },
			lessons: pkg.lessons.filter((l) => l.slug !== 'two'),
			questions: pkg.questions.filter((q) => q.id !== 'q3')
		};
		await expect(
			inTransaction(db, (trx) =>
				importCourse(trx, cut, { ownerId: teacher.id, status: 'published', replace: true })
			)
		).rejects.toBeInstanceOf(CourseInUseError);

		const result = await importCoursePackage(db, asSessionUser(teacher), cut, { replace: true });
		expect(result).toMatchObject({ ok: false, canReplace: true });
		const message = (result as { message: string }).message;
		expect(message).toContain('lesson “Lesson two” (Civics A)');
		expect(message).toContain('question “q3” (Civics A)');
		const after = await db
			.selectFrom('courses')
			.select('title')
			.where('id', '=', course.id)
			.executeTakeFirstOrThrow();
		expect(after.title).toBe(pkg.course.title);
		expect(
			await db.selectFrom('lessons').select('id').where('course_id', '=', course.id).execute()
		).toHaveLength(2);
	});

	test('dropping content nobody in a class uses works, and forgets self-study marks on it', async () => {
		const { db, teacher, course } = await world();
		const reader = await newUser(db);
		await setLessonDone(db, reader.id, course.lesson.two, true);
		const pkg = (await exportCourse(db, course.id))!;
		const cut = { ...pkg, lessons: pkg.lessons.filter((l) => l.slug !== 'two') };
		expect(await importCoursePackage(db, asSessionUser(teacher), cut, { replace: true })).toEqual({
			ok: true,
			id: course.id,
			slug: course.slug
		});
		expect(
			await db.selectFrom('lessons').select('slug').where('course_id', '=', course.id).execute()
		).toEqual([{ slug: 'one' }]);
		expect(await db.selectFrom('lesson_progress').select('user_id').execute()).toEqual([]);
	});
});
