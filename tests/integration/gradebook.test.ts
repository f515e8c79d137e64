import { describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import {
	cellMarks,
	cellText,
	classGradebook,
	GRADEBOOK_PAGE_SIZE
} from '../../src/lib/server/classes/gradebook.ts';
import { startAttempt, submitAttempt } from '../../src/lib/server/quizzes/attempts.ts';
import { classMastery } from '../../src/lib/server/quizzes/mastery.ts';
import { classMisattribution } from '../../src/lib/server/quizzes/misattribution.ts';
import { testDb, testHandle } from '../helpers/db.ts';
import { countingHandle } from '../helpers/query-count.ts';
import {
	newAssignment,
	newClass,
	newCourse,
	newMember,
	newQuiz,
	newQuizAssignment,
	newUser,
	quizPackage
} from '../helpers/factories.ts';
import type { Grading } from '../../src/lib/server/db/types.ts';

const HOUR = 3_600_000;

async function world() {
	const db = await testDb();
	const teacher = await newUser(db, { role: 'instructor' });
	const course = await newCourse(db, { ownerId: teacher.id, pkg: quizPackage() });
	const classId = (await newClass(db, course.id, { instructorId: teacher.id })).id;
	const quizId = await newQuiz(db, course.id, { questionIds: [course.question['q-tf']] });
	return { db, teacher, course, classId, quizId };
}

/** A finished attempt with the given score out of 1, at `at`. */
async function attemptWith(
	db: Awaited<ReturnType<typeof testDb>>,
	w: { classId: number; assignmentId: number },
	userId: number,
	right: boolean,
	at = new Date()
) {
	const r = await startAttempt(db, { ...w, userId, now: at });
	if (!r.ok) throw new Error(r.reason);
	await db
		.insertInto('attempt_answers')
		.values({
			attempt_id: r.attemptId,
			position: 1,
			response: JSON.stringify({ answer: [String(right)], slots: [] }),
			saved_at: at
		})
		.execute();
	await submitAttempt(db, { attemptId: r.attemptId, by: 'student', now: at });
}

describe('class × actor mastery', () => {
	test('points earned over points possible per student and actor, practice left out', async () => {
		const w = await world();
		const quizId = await newQuiz(w.db, w.course.id, {
			questionIds: ['q-tf', 'q-mc', 'q-short'].map((k) => w.course.question[k])
		});
		const assignmentId = await newQuizAssignment(w.db, w.classId, quizId);
		const ana = await newUser(w.db, { name: 'Ana' });
		const bo = await newUser(w.db, { name: 'Bo' });
		for (const u of [ana, bo]) await newMember(w.db, w.classId, u.id);
		const r = await startAttempt(w.db, { classId: w.classId, assignmentId, userId: ana.id });
		if (!r.ok) throw new Error(r.reason);
		const qs = await w.db
			.selectFrom('attempt_questions as aq')
			.innerJoin('question_versions as qv', 'qv.id', 'aq.question_version_id')
			.select(['aq.position', 'qv.type'])
			.where('aq.attempt_id', '=', r.attemptId)
			.execute();
		// Ana: the true/false right (the state's), the short answer right (the firms').
		for (const q of qs.filter((x) => x.type !== 'mc'))
			await w.db
				.insertInto('attempt_answers')
				.values({
					attempt_id: r.attemptId,
					position: q.position,
					response: JSON.stringify({ answer: [q.type === 'tf' ? 'true' : 'privacy'], slots: [] }),
					saved_at: new Date()
				})
				.execute();
		await submitAttempt(w.db, { attemptId: r.attemptId, by: 'student' });
		const grid = await classMastery(w.db, w.classId);
		expect(grid.actors.map((a) => a.name)).toEqual(['State', 'Firms']);
		const [state, firms] = grid.actors.map((a) => a.id);
		const anas = grid.students.find((s) => s.name === 'Ana')!;
		expect(anas.cells[state]).toEqual({ got: 1, of: 2 });
		expect(anas.cells[firms]).toEqual({ got: 1, of: 1 });
		expect(grid.students.find((s) => s.name === 'Bo')!.cells).toEqual({});
	});
});

describe('the gradebook', () => {
	test.each([
		['best', 1],
		['last', 0],
		['average', 0.5]
	] as [Grading, number][])('the %s attempt counts', async (grading, expected) => {
		const w = await world();
		const ana = await newUser(w.db, { name: 'Ana' });
		await newMember(w.db, w.classId, ana.id);
		const assignmentId = await newQuizAssignment(w.db, w.classId, w.quizId, {
			attemptsAllowed: null,
			grading
		});
		await attemptWith(w.db, { classId: w.classId, assignmentId }, ana.id, true);
		await attemptWith(w.db, { classId: w.classId, assignmentId }, ana.id, false);
		const book = await classGradebook(w.db, w.classId);
		const cell = book.rows[0].cells[assignmentId];
		expect([cell.score, cell.attempts, cell.status]).toEqual([expected, 2, 'done']);
	});

	test('late marks, practice attempts never count, lessons and quizzes side by side', async () => {
		const w = await world();
		const [ana, bo, cy] = [
			await newUser(w.db, { name: 'Ana' }),
			await newUser(w.db, { name: 'Bo' }),
			await newUser(w.db, { name: 'Cy' })
		];
		for (const u of [ana, bo, cy]) await newMember(w.db, w.classId, u.id);
		const due = new Date(Date.now() + HOUR);
		const assignmentId = await newQuizAssignment(w.db, w.classId, w.quizId, {
			dueAt: due,
			attemptsAllowed: null
		});
		const lessonAssignment = await newAssignment(w.db, w.classId, {
			dueAt: new Date(Date.now() - HOUR)
		});
		await attemptWith(w.db, { classId: w.classId, assignmentId }, ana.id, true);
		await attemptWith(
			w.db,
			{ classId: w.classId, assignmentId },
			bo.id,
			true,
			new Date(due.getTime() + HOUR)
		);
		// A practice attempt of Cy's, all right: not in the gradebook.
		await w.db
			.insertInto('attempts')
			.values({
				assignment_id: assignmentId,
				class_id: w.classId,
				user_id: cy.id,
				number: 1,
				practice: true,
				seed: 's',
				status: 'submitted',
				started_at: new Date(),
				submitted_at: new Date(),
				score: 1,
				max_score: 1
			})
			.execute();
		const book = await classGradebook(w.db, w.classId);
		expect(book.columns.map((c) => c.id)).toEqual([lessonAssignment, assignmentId]);
		const text = Object.fromEntries(
			book.rows.map((r) => [r.name, book.columns.map((c) => cellText(c, r.cells[c.id]))])
		);
		expect(text).toEqual({
			Ana: ['late', '100%'],
			Bo: ['late', '100% (late)'],
			Cy: ['late', 'not started']
		});
		// The marks the page gives each cell: lateness, whatever the kind (Cy's quiz is not due yet).
		const marks = Object.fromEntries(
			book.rows.map((r) => [r.name, book.columns.map((c) => cellMarks(c, r.cells[c.id]))])
		);
		expect(marks).toEqual({
			Ana: ['late', null],
			Bo: ['late', 'late'],
			Cy: ['late', null]
		});
	});

	test('a counting score under the pass mark is marked failed, late or not', async () => {
		const w = await world();
		const [ana, bo] = [await newUser(w.db, { name: 'Ana' }), await newUser(w.db, { name: 'Bo' })];
		for (const u of [ana, bo]) await newMember(w.db, w.classId, u.id);
		const due = new Date(Date.now() + HOUR);
		const assignmentId = await newQuizAssignment(w.db, w.classId, w.quizId, {
			dueAt: due,
			passPercent: 60
		});
		await attemptWith(w.db, { classId: w.classId, assignmentId }, ana.id, false);
		await attemptWith(
			w.db,
			{ classId: w.classId, assignmentId },
			bo.id,
			false,
			new Date(due.getTime() + HOUR)
		);
		const book = await classGradebook(w.db, w.classId);
		const [col] = book.columns;
		expect(book.rows.map((r) => [r.name, cellText(col, r.cells[col.id])])).toEqual([
			['Ana', '0%'],
			['Bo', '0% (late)']
		]);
		expect(book.rows.map((r) => cellMarks(col, r.cells[col.id]))).toEqual([
			'failed',
			'late failed'
		]);
	});

	test('300 students × 10 quizzes: three queries for the gradebook, two for mastery, three for misattribution', async () => {
		const w = await world();
		const students = await sql<{ id: number }>`
			insert into users (email, name, password_hash)
			select 'gb' || g || '-' || ${w.classId} || '@example.org', 'Student ' || g, 'x'
			from generate_series(1, 300) g returning id`.execute(w.db);
		await w.db
			.insertInto('memberships')
			.values(
				students.rows.map((s) => ({ class_id: w.classId, user_id: s.id, role: 'student' as const }))
			)
			.execute();
		const assignments: number[] = [];
		for (let i = 0; i < 10; i++)
			assignments.push(await newQuizAssignment(w.db, w.classId, w.quizId));
		await sql`insert into attempts (assignment_id, class_id, user_id, number, seed, status,
				started_at, submitted_at, score, max_score)
			select a, ${w.classId}, u, 1, 'seed', 'submitted', now(), now(), (u % 2), 1
			from unnest(${assignments}::int[]) a, unnest(${students.rows.map((s) => s.id)}::int[]) u`.execute(
			w.db
		);
		// Each attempt was given the course's four questions, each answered (half right); a third
		// of the students swap the matching question's two actors (the misattribution report).
		await sql`insert into question_versions (question_id, hash, type, prompt, data, cites, actor_id, points)
			select id, 'gb', type, prompt, data, cites, actor_id, points from questions
			where course_id = ${w.course.id}`.execute(w.db);
		await sql`insert into attempt_questions (attempt_id, position, question_version_id)
			select t.id, row_number() over (partition by t.id order by qv.id), qv.id
			from attempts t, question_versions qv join questions q on q.id = qv.question_id
			where t.class_id = ${w.classId} and q.course_id = ${w.course.id} and qv.hash = 'gb'`.execute(w.db);
		await sql`insert into attempt_answers (attempt_id, position, response, saved_at, score)
			select aq.attempt_id, aq.position,
				case when qv.type <> 'matching' then '{"answer":[],"slots":[]}'
					when t.user_id % 3 = 0 then '{"answer":[],"slots":["Firms","The state"]}'
					else '{"answer":[],"slots":["The state","Firms"]}' end::jsonb,
				now(), (aq.position % 2)
			from attempt_questions aq join attempts t on t.id = aq.attempt_id
			join question_versions qv on qv.id = aq.question_version_id
			where t.class_id = ${w.classId}`.execute(w.db);
		// Planner statistics, as autovacuum would have gathered them by the time a teacher looks
		// (without them, the planner takes 3,000 attempts for one and picks nested loops).
		await sql`analyze`.execute(w.db);
		const { handle, counter } = countingHandle(await testHandle());
		let t0 = performance.now();
		const book = await classGradebook(handle.db, w.classId);
		const ms = performance.now() - t0;
		expect(counter.n).toBe(3);
		// The page reads one page of students and only their cells: the same three queries, the
		// same rows and cells as the whole book has for those students, in name order.
		counter.n = 0;
		t0 = performance.now();
		const second = await classGradebook(handle.db, w.classId, { page: 2 });
		const pageMs = performance.now() - t0;
		expect(counter.n).toBe(3);
		expect([second.total, second.page, second.pages]).toEqual([300, 2, 6]);
		expect(second.rows).toEqual(book.rows.slice(GRADEBOOK_PAGE_SIZE, 2 * GRADEBOOK_PAGE_SIZE));
		expect(second.rows.every((r) => Object.keys(r.cells).length === 10)).toBe(true);
		const last = await classGradebook(handle.db, w.classId, { page: 99 });
		expect([last.page, last.rows.at(-1)?.userId]).toEqual([6, book.rows.at(-1)?.userId]);
		counter.n = 0;
		t0 = performance.now();
		const grid = await classMastery(handle.db, w.classId);
		const masteryMs = performance.now() - t0;
		expect(counter.n).toBe(2);
		counter.n = 0;
		t0 = performance.now();
		const confusions = await classMisattribution(handle.db, w.classId, {
			right: 'state',
			chosen: 'firms'
		});
		const misattributionMs = performance.now() - t0;
		expect(counter.n).toBe(3);
		expect(confusions.pairs.map((p) => [p.students, p.of])).toEqual([
			[100, 300],
			[100, 300]
		]);
		// Each of the hundred, once per quiz; the page lists the first 200.
		expect(confusions.answerCount).toBe(1000);
		expect(confusions.answers).toHaveLength(200);
		expect(grid.students).toHaveLength(300);
		expect(Object.keys(grid.students[0].cells)).toHaveLength(2);
		expect(book.rows).toHaveLength(300);
		expect(book.columns).toHaveLength(10);
		expect(Object.keys(book.rows[0].cells)).toHaveLength(10);
		console.log(
			`300 students × 10 quizzes: gradebook 3 queries, ${Math.round(ms)} ms (a page of ${GRADEBOOK_PAGE_SIZE}: ${Math.round(pageMs)} ms); mastery 2 queries, ${Math.round(masteryMs)} ms; misattribution 3 queries, ${Math.round(misattributionMs)} ms`
		);
	});
});
