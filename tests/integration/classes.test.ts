import { describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import {
	addInstructor,
	createClass,
	findClassForViewer,
	joinClassByCode,
	listMyClasses,
	listRoster,
	previewJoin,
	removeMember,
	rotateJoinCode,
	setArchived,
	setJoiningOpen,
	setModerator
} from '../../src/lib/server/classes/classes.ts';
import {
	classCompletion,
	createAssignment,
	lessonsForClass,
	listStudentAssignments,
	recentActivity
} from '../../src/lib/server/classes/assignments.ts';
import { statusOf } from '../../src/lib/server/classes/progress.ts';
import { JOIN_ALPHABET, generateJoinCode } from '../../src/lib/server/classes/codes.ts';
import { setLessonDone } from '../../src/lib/server/courses/queries.ts';
import { inTransaction } from '../../src/lib/server/db/index.ts';
import { testDb, testHandle } from '../helpers/db.ts';
import { countingHandle } from '../helpers/query-count.ts';
import { newCourse, newUser } from '../helpers/factories.ts';

async function world() {
	const db = await testDb();
	const course = await newCourse(db);
	const teacher = await newUser(db, { role: 'instructor', name: 'Teacher' });
	const classId = await inTransaction(db, (trx) =>
		createClass(trx, {
			courseId: course.id,
			name: 'Civics 10B',
			term: 'Spring',
			instructorId: teacher.id
		})
	);
	const code = (await findClassForViewer(db, classId, teacher))!.cls.joinCode;
	return { db, course, teacher, classId, code };
}

const ip = '198.51.100.9';

describe('join codes', () => {
	test('are 8 characters from an alphabet without look-alikes', () => {
		for (let i = 0; i < 200; i++) {
			const code = generateJoinCode();
			expect(code).toHaveLength(8);
			expect([...code].every((c) => JOIN_ALPHABET.includes(c))).toBe(true);
		}
		expect(JOIN_ALPHABET).not.toMatch(/[01OIL]/);
	});
});

describe('classes', () => {
	test('the creator teaches the class; a student joins by code, twice harmlessly', async () => {
		const { db, teacher, classId, code } = await world();
		expect((await findClassForViewer(db, classId, teacher))!.access).toBe('instructor');
		const student = await newUser(db);
		expect(await joinClassByCode(db, { code: code.toLowerCase(), userId: student.id, ip })).toEqual(
			{
				ok: true,
				classId,
				already: false
			}
		);
		expect(await joinClassByCode(db, { code, userId: student.id, ip })).toEqual({
			ok: true,
			classId,
			already: true
		});
		expect((await listRoster(db, classId)).map((m) => [m.name, m.role])).toEqual([
			['Teacher', 'instructor'],
			[student.name, 'student']
		]);
		expect((await listMyClasses(db, student.id)).map((k) => k.name)).toEqual(['Civics 10B']);
	});

	test('wrong, rotated and closed codes say so; archived classes take nobody', async () => {
		const { db, classId, code } = await world();
		const student = await newUser(db);
		expect(await joinClassByCode(db, { code: 'ZZZZZZZZ', userId: student.id, ip })).toEqual({
			ok: false,
			reason: 'unknown'
		});

		const fresh = await rotateJoinCode(db, classId);
		expect(fresh).not.toBe(code);
		// The old code says it has changed, rather than that no class has it.
		expect(await joinClassByCode(db, { code, userId: student.id, ip })).toMatchObject({
			reason: 'changed'
		});
		expect(await previewJoin(db, { code, userId: student.id, ip })).toMatchObject({
			reason: 'changed'
		});

		await setJoiningOpen(db, classId, false);
		expect(await joinClassByCode(db, { code: fresh, userId: student.id, ip })).toEqual({
			ok: false,
			reason: 'closed'
		});
		await setJoiningOpen(db, classId, true);
		await setArchived(db, classId, true);
		expect(await joinClassByCode(db, { code: fresh, userId: student.id, ip })).toEqual({
			ok: false,
			reason: 'archived'
		});
		await setArchived(db, classId, false);
		expect((await joinClassByCode(db, { code: fresh, userId: student.id, ip })).ok).toBe(true);
	});

	test('posting wrong codes is throttled after ten misses per user', async () => {
		const { db, code } = await world();
		const guesser = await newUser(db);
		for (let i = 0; i < 10; i++) {
			expect(
				(await joinClassByCode(db, { code: `AAAAAAA${JOIN_ALPHABET[i]}`, userId: guesser.id, ip }))
					.ok
			).toBe(false);
		}
		const blocked = await joinClassByCode(db, { code, userId: guesser.id, ip });
		expect(blocked).toMatchObject({ ok: false, reason: 'throttled' });
		// Another student behind the same school address is not affected.
		const other = await newUser(db);
		expect((await joinClassByCode(db, { code, userId: other.id, ip })).ok).toBe(true);
	});

	test('opening join links never counts as a failed join', async () => {
		const { db, code } = await world();
		const student = await newUser(db);
		// Someone makes the student open 150 links with wrong codes.
		for (let i = 0; i < 150; i++) {
			await previewJoin(db, {
				code: `BBBBBB${JOIN_ALPHABET[i % 20]}${JOIN_ALPHABET[i % 7]}`,
				userId: student.id,
				ip
			});
		}
		// Lookups of unknown codes have their own budget (links cannot probe for codes)...
		expect(await previewJoin(db, { code: 'CCCCCCCC', userId: student.id, ip })).toMatchObject({
			ok: false,
			reason: 'throttled'
		});
		// ...but joining is untouched: the student still joins with the right code.
		expect((await joinClassByCode(db, { code, userId: student.id, ip })).ok).toBe(true);
	});

	test('a whole school behind one address is not locked out by its students typos', async () => {
		const { db, code } = await world();
		for (let i = 0; i < 40; i++) {
			const s = await newUser(db);
			await joinClassByCode(db, { code: 'DDDDDDDD', userId: s.id, ip });
			await joinClassByCode(db, { code: 'DDDDDDDE', userId: s.id, ip });
		}
		const late = await newUser(db);
		expect((await joinClassByCode(db, { code, userId: late.id, ip })).ok).toBe(true);
	});

	test('moderators, removal and co-teachers', async () => {
		const { db, classId, code, teacher } = await world();
		const s = await newUser(db);
		await joinClassByCode(db, { code, userId: s.id, ip });
		expect(await setModerator(db, classId, s.id, true, teacher)).toBe(true);
		expect((await findClassForViewer(db, classId, s))!.access).toBe('moderator');

		const student = await newUser(db, { email: 'pupil@example.org' });
		expect(await addInstructor(db, classId, 'pupil@example.org')).toMatchObject({ ok: false });
		expect(await addInstructor(db, classId, 'nobody@example.org')).toEqual({
			ok: false,
			message: 'No active account has that email address.'
		});
		const co = await newUser(db, {
			role: 'instructor',
			email: 'co@example.org',
			name: 'Co Teacher'
		});
		expect(await addInstructor(db, classId, 'CO@example.org')).toEqual({
			ok: true,
			name: 'Co Teacher'
		});
		expect((await findClassForViewer(db, classId, co))!.access).toBe('instructor');
		expect(await setModerator(db, classId, co.id, true, teacher)).toBe(false);
		expect(await removeMember(db, classId, co.id, teacher)).toBe(false);

		// Demoted to a student account, a co-teacher loses the class.
		expect((await findClassForViewer(db, classId, { ...co, role: 'student' }))!.access).toBeNull();

		expect(await removeMember(db, classId, s.id, teacher)).toBe(true);
		expect((await findClassForViewer(db, classId, s))!.access).toBeNull();
		expect((await findClassForViewer(db, classId, student))!.access).toBeNull();
	});
});

describe('assignments', () => {
	test('status: upcoming, not started, in progress, done, done late, late', () => {
		const dueAt = new Date('2027-01-10T12:00:00Z');
		const opensAt = new Date('2027-01-08T12:00:00Z');
		const early = new Date('2027-01-07T12:00:00Z');
		const before = new Date('2027-01-09T12:00:00Z');
		const after = new Date('2027-01-11T12:00:00Z');
		const row = { dueAt, opensAt: null, completedAt: null, startedAt: null };
		expect(statusOf({ ...row, opensAt }, early)).toBe('upcoming');
		expect(statusOf(row, before)).toBe('not-started');
		expect(statusOf({ ...row, startedAt: before }, before)).toBe('in-progress');
		expect(statusOf({ ...row, completedAt: before }, after)).toBe('done');
		expect(statusOf({ ...row, completedAt: after }, after)).toBe('late');
		expect(statusOf(row, after)).toBe('late');
	});

	test('a lesson from another course cannot be assigned', async () => {
		const { db, classId, teacher } = await world();
		const input = {
			kind: 'lesson' as const,
			lessonId: 999999,
			title: 'x',
			instructions: '',
			opensAt: null,
			dueAt: new Date()
		};
		expect(await createAssignment(db, classId, input, teacher.id)).toBeUndefined();
	});

	test('students see their assignments by due date with status; the class sees completion and activity', async () => {
		const { db, classId, code, teacher } = await world();
		const [l1, l2] = await lessonsForClass(db, classId);
		const ana = await newUser(db, { name: 'Ana' });
		const ben = await newUser(db, { name: 'Ben' });
		for (const u of [ana, ben]) await joinClassByCode(db, { code, userId: u.id, ip });
		const tomorrow = new Date(Date.now() + 86400000);
		const yesterday = new Date(Date.now() - 86400000);
		await createAssignment(
			db,
			classId,
			{
				kind: 'lesson',
				lessonId: l2.id,
				title: 'Second',
				instructions: '',
				opensAt: null,
				dueAt: tomorrow
			},
			teacher.id
		);
		await createAssignment(
			db,
			classId,
			{
				kind: 'lesson',
				lessonId: l1.id,
				title: 'First',
				instructions: 'Read closely',
				opensAt: null,
				dueAt: yesterday
			},
			teacher.id
		);
		await setLessonDone(db, ana.id, l2.id, true);

		const mine = await listStudentAssignments(db, ana.id, { classId });
		expect(mine.map((a) => [a.title, a.status])).toEqual([
			['First', 'late'],
			['Second', 'done']
		]);
		const completion = await classCompletion(db, classId);
		expect(completion.map((a) => [a.title, a.done, a.total, a.missing.map((m) => m.name)])).toEqual(
			[
				['First', 0, 2, ['Ana', 'Ben']],
				['Second', 1, 2, ['Ben']]
			]
		);
		const activity = await recentActivity(db, classId);
		expect(activity[0]).toMatchObject({ kind: 'completed', who: 'Ana', what: 'Second' });
		expect(activity.filter((a) => a.kind === 'joined')).toHaveLength(2);
	});
});

describe('the instructor’s class home at scale', () => {
	test('300 students and 30 assignments: a fixed number of queries, measured', async () => {
		const { db, classId, teacher } = await world();
		const lessons = await lessonsForClass(db, classId);
		// Bulk rows straight in SQL: hashing 300 passwords would only slow the test.
		await sql`
			insert into users (email, name, password_hash)
			select 'bulk' || g || '@example.org', 'Student ' || lpad(g::text, 3, '0'), 'x' from generate_series(1, 300) g`.execute(
			db
		);
		await sql`
			insert into memberships (class_id, user_id, role)
			select ${classId}, id, 'student' from users where email like 'bulk%'`.execute(db);
		for (let i = 0; i < 30; i++) {
			await createAssignment(
				db,
				classId,
				{
					kind: 'lesson',
					lessonId: lessons[i % lessons.length].id,
					title: `A${i}`,
					instructions: '',
					opensAt: null,
					dueAt: new Date(Date.now() + i * 3600000)
				},
				teacher.id
			);
		}
		await sql`
			insert into lesson_progress (user_id, lesson_id)
			select u.id, l.id from users u cross join lessons l
			where u.email like 'bulk%' and (u.id + l.position) % 3 = 0`.execute(db);

		const { handle, counter } = countingHandle(await testHandle());
		const started = performance.now();
		const [found, completion, activity] = await Promise.all([
			findClassForViewer(handle.db, classId, teacher),
			classCompletion(handle.db, classId),
			recentActivity(handle.db, classId)
		]);
		const ms = performance.now() - started;
		expect(found!.access).toBe('instructor');
		expect(completion).toHaveLength(30);
		expect(completion[0].total).toBe(300);
		expect(completion.every((a) => a.done + a.missing.length === 300)).toBe(true);
		expect(activity.length).toBeGreaterThan(0);
		expect(counter.n).toBe(3);
		console.log(
			`class home, 300 students × 30 assignments: ${counter.n} queries, ${ms.toFixed(0)} ms`
		);
	}, 120000);
});
