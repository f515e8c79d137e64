import { describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import {
	classCompletion,
	listStudentAssignments
} from '../../src/lib/server/classes/assignments.ts';
import { recordCheckAnswer } from '../../src/lib/server/classes/progress.ts';
import { setLessonDone } from '../../src/lib/server/courses/queries.ts';
import { testDb, testHandle } from '../helpers/db.ts';
import { countingHandle } from '../helpers/query-count.ts';
import {
	newAssignment,
	newClass,
	newCourse,
	newMember,
	newUser,
	smallPackage
} from '../helpers/factories.ts';

const HOUR = 3600000;

async function world() {
	const db = await testDb();
	const teacher = await newUser(db, { role: 'instructor', name: 'Teacher' });
	const course = await newCourse(db, { ownerId: teacher.id, pkg: smallPackage() });
	const classId = (await newClass(db, course.id, { instructorId: teacher.id })).id;
	const ana = await newUser(db, { name: 'Ana' });
	await newMember(db, classId, ana.id);
	return { db, teacher, course, classId, ana };
}

async function statusOfOnly(db: Awaited<ReturnType<typeof testDb>>, userId: number) {
	const [a] = await listStudentAssignments(db, userId);
	return { status: a.status, late: a.late, done: a.doneAt !== null, score: a.score };
}

describe('one progress model: a lesson done when the student marks it', () => {
	test('not started, in progress (a check answered), done; the completion table agrees', async () => {
		const { db, teacher, course, classId, ana } = await world();
		await newAssignment(db, classId, { lessonId: course.lesson.one, createdBy: teacher.id });
		expect(await statusOfOnly(db, ana.id)).toEqual({
			status: 'not-started',
			late: false,
			done: false,
			score: null
		});
		await recordCheckAnswer(db, ana.id, course.question.q1, 1);
		expect((await statusOfOnly(db, ana.id)).status).toBe('in-progress');
		await setLessonDone(db, ana.id, course.lesson.one, true);
		expect(await statusOfOnly(db, ana.id)).toEqual({
			status: 'done',
			late: false,
			done: true,
			score: 1
		});
		const [row] = await classCompletion(db, classId);
		expect([row.done, row.total, row.late, row.missing]).toEqual([1, 1, 0, []]);
	});

	test('late when past due and not done, done late when marked after the due date', async () => {
		const { db, teacher, course, classId, ana } = await world();
		await newAssignment(db, classId, {
			lessonId: course.lesson.two,
			createdBy: teacher.id,
			dueAt: new Date(Date.now() - 2 * HOUR)
		});
		expect(await statusOfOnly(db, ana.id)).toMatchObject({
			status: 'late',
			late: true,
			done: false
		});
		await setLessonDone(db, ana.id, course.lesson.two, true);
		expect(await statusOfOnly(db, ana.id)).toMatchObject({
			status: 'late',
			late: true,
			done: true
		});
		const [row] = await classCompletion(db, classId);
		expect([row.done, row.late]).toEqual([1, 1]);
	});

	test('before its open date it is upcoming, not work to do', async () => {
		const { db, teacher, course, classId, ana } = await world();
		await newAssignment(db, classId, {
			lessonId: course.lesson.two,
			createdBy: teacher.id,
			opensAt: new Date(Date.now() + HOUR),
			dueAt: new Date(Date.now() + 5 * HOUR)
		});
		expect((await statusOfOnly(db, ana.id)).status).toBe('upcoming');
	});
});

describe('one progress model: a lesson done when its checks are answered', () => {
	test('marking it is not enough; one check is in progress; all checks make it done, with a score', async () => {
		const { db, teacher, course, classId, ana } = await world();
		await newAssignment(db, classId, {
			lessonId: course.lesson.one,
			createdBy: teacher.id,
			completion: 'checks'
		});
		await setLessonDone(db, ana.id, course.lesson.one, true);
		expect((await statusOfOnly(db, ana.id)).status).toBe('in-progress');
		await recordCheckAnswer(db, ana.id, course.question.q1, 1);
		expect((await statusOfOnly(db, ana.id)).done).toBe(false);
		await recordCheckAnswer(db, ana.id, course.question.q2, 0);
		expect(await statusOfOnly(db, ana.id)).toEqual({
			status: 'done',
			late: false,
			done: true,
			score: 0.5
		});
		// A better second try raises the score; the completion time stays the first answer's.
		const before = (await listStudentAssignments(db, ana.id))[0].doneAt;
		await recordCheckAnswer(db, ana.id, course.question.q2, 1);
		const [after] = await listStudentAssignments(db, ana.id);
		expect(after.score).toBe(1);
		expect(after.doneAt).toEqual(before);
		const [row] = await classCompletion(db, classId);
		expect(row.done).toBe(1);
	});

	test('checks answered after the due date are late', async () => {
		const { db, teacher, course, classId, ana } = await world();
		const id = await newAssignment(db, classId, {
			lessonId: course.lesson.one,
			createdBy: teacher.id,
			completion: 'checks'
		});
		await recordCheckAnswer(db, ana.id, course.question.q1, 1);
		await recordCheckAnswer(db, ana.id, course.question.q2, 1);
		await db
			.updateTable('assignments')
			.set({ due_at: new Date(Date.now() - HOUR), opens_at: null })
			.where('id', '=', id)
			.execute();
		await db
			.updateTable('check_answers')
			.set({ first_answered_at: new Date() })
			.where('user_id', '=', ana.id)
			.execute();
		expect(await statusOfOnly(db, ana.id)).toMatchObject({
			status: 'late',
			late: true,
			done: true
		});
	});
});

describe('dashboards', () => {
	test('an instructor never sees what they teach as their own to-do; as a student elsewhere they do', async () => {
		const { db, teacher, course, classId } = await world();
		await newAssignment(db, classId, { lessonId: course.lesson.one, createdBy: teacher.id });
		expect(await listStudentAssignments(db, teacher.id)).toEqual([]);
		const other = await newUser(db, { role: 'instructor' });
		const otherClass = (await newClass(db, course.id, { instructorId: other.id })).id;
		await newMember(db, otherClass, teacher.id, 'student');
		await newAssignment(db, otherClass, {
			lessonId: course.lesson.two,
			createdBy: other.id,
			title: 'Taken as a student'
		});
		expect((await listStudentAssignments(db, teacher.id)).map((a) => a.title)).toEqual([
			'Taken as a student'
		]);
		// The class's completion counts students only.
		const [row] = await classCompletion(db, classId);
		expect(row.total).toBe(1);
	});

	test('one query per list, whatever the number of assignments and students', async () => {
		const { db, teacher, course, classId, ana } = await world();
		const count = async () => {
			const { handle, counter } = countingHandle(await testHandle());
			await listStudentAssignments(handle.db, ana.id);
			await listStudentAssignments(handle.db, ana.id, { classId });
			await classCompletion(handle.db, classId);
			return counter.n;
		};
		await newAssignment(db, classId, { lessonId: course.lesson.one, createdBy: teacher.id });
		const few = await count();
		for (let i = 0; i < 10; i++)
			await newAssignment(db, classId, {
				lessonId: i % 2 ? course.lesson.one : course.lesson.two,
				createdBy: teacher.id,
				completion: i % 2 ? 'checks' : 'marked'
			});
		await sql`
			insert into users (email, name, password_hash)
			select 'bulk' || g || '@example.org', 'Bulk ' || g, 'x' from generate_series(1, 40) g`.execute(db);
		await sql`insert into memberships (class_id, user_id, role)
			select ${classId}, id, 'student' from users where email like 'bulk%'`.execute(db);
		const many = await count();
		expect([few, many]).toEqual([3, 3]);
		const rows = await classCompletion(db, classId);
		expect(rows.every((r) => r.total === 41)).toBe(true);
	});
});
