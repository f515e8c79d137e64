import { describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { cellText, classGradebook } from '../../src/lib/server/classes/gradebook.ts';
import { startAttempt, submitAttempt } from '../../src/lib/server/quizzes/attempts.ts';
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
	});

	test('300 students × 10 quizzes: two queries', async () => {
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
		const { handle, counter } = countingHandle(await testHandle());
		const t0 = performance.now();
		const book = await classGradebook(handle.db, w.classId);
		const ms = performance.now() - t0;
		expect(counter.n).toBe(2);
		expect(book.rows).toHaveLength(300);
		expect(book.columns).toHaveLength(10);
		expect(Object.keys(book.rows[0].cells)).toHaveLength(10);
		console.log(`gradebook, 300 students × 10 quizzes: ${counter.n} queries, ${Math.round(ms)} ms`);
	});
});
