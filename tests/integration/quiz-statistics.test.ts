import { describe, expect, test } from 'vitest';
import {
	clearStatisticsCache,
	keptStatistics,
	quizStatistics,
	statisticsHead
} from '../../src/lib/server/quizzes/statistics.ts';
import { applyRegrade } from '../../src/lib/server/quizzes/regrade.ts';
import { findBankQuestion, saveQuestion } from '../../src/lib/server/courses/authoring/index.ts';
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

describe('item statistics of a quiz assignment', () => {
	test('first finished attempts only, facility and how often each answer was chosen, in one query', async () => {
		const db = await testDb();
		const course = await newCourse(db, { pkg: quizPackage() });
		const classId = (await newClass(db, course.id)).id;
		const quizId = await newQuiz(db, course.id, {
			questionIds: [course.question['q-tf'], course.question['q-short']]
		});
		const assignmentId = await newQuizAssignment(db, classId, quizId, {
			attemptsAllowed: null,
			shuffleQuestions: false
		});
		// Six students: true/false answered True, True, True, False, blank, blank; the short
		// answer right for the first two only.
		const tf = ['true', 'true', 'true', 'false', null, null];
		for (let i = 0; i < 6; i++) {
			const u = await newUser(db);
			await newMember(db, classId, u.id);
			const r = await startAttempt(db, { classId, assignmentId, userId: u.id });
			if (!r.ok) throw new Error(r.reason);
			const answers = [
				tf[i] === null ? null : { answer: [tf[i]!], slots: [] },
				{ answer: [i < 2 ? 'Privacy' : 'money'], slots: [] }
			];
			for (const [p, raw] of answers.entries())
				if (raw)
					await db
						.insertInto('attempt_answers')
						.values({
							attempt_id: r.attemptId,
							position: p + 1,
							response: JSON.stringify(raw),
							saved_at: new Date()
						})
						.execute();
			await submitAttempt(db, { attemptId: r.attemptId, by: 'student' });
			if (i === 0) {
				// A second attempt of the first student's does not count.
				const again = await startAttempt(db, { classId, assignmentId, userId: u.id });
				if (again.ok) await submitAttempt(db, { attemptId: again.attemptId, by: 'student' });
			}
		}
		const { handle, counter } = countingHandle(await testHandle());
		const report = await quizStatistics(handle.db, classId, assignmentId);
		expect(counter.n).toBe(1);
		expect(report.attempts).toBe(6);
		const byQ = new Map(report.items.map((it) => [it.questionId, it]));
		const t = byQ.get(course.question['q-tf'])!;
		expect(t.facility).toBe(50);
		expect(t.guess).toBe(50);
		expect(t.options).toEqual([
			{ label: 'True', count: 3, right: true },
			{ label: 'False', count: 1, right: false }
		]);
		expect(t.blank).toBe(2);
		expect(byQ.get(course.question['q-short'])!.facility).toBe(33.3);
	});

	test('kept until a student submits, a question is regraded or an attempt goes: then computed again', async () => {
		const db = await testDb();
		clearStatisticsCache();
		const course = await newCourse(db, { pkg: quizPackage(), status: 'draft' });
		const teacher = await newUser(db, { name: 'Teacher T' });
		const classId = (await newClass(db, course.id)).id;
		const quizId = await newQuiz(db, course.id, { questionIds: [course.question['q-tf']] });
		const assignmentId = await newQuizAssignment(db, classId, quizId, { attemptsAllowed: null });
		// The true/false question's key is True.
		const answerTf = async (value: string) => {
			const u = await newUser(db);
			await newMember(db, classId, u.id);
			const r = await startAttempt(db, { classId, assignmentId, userId: u.id });
			if (!r.ok) throw new Error(r.reason);
			await db
				.insertInto('attempt_answers')
				.values({
					attempt_id: r.attemptId,
					position: 1,
					response: JSON.stringify({ answer: [value], slots: [] }),
					saved_at: new Date()
				})
				.execute();
			await submitAttempt(db, { attemptId: r.attemptId, by: 'student' });
			return r.attemptId;
		};
		await answerTf('true');
		await answerTf('false');
		const facility = (r: { attempts: number; items: { facility: number | null }[] }) => [
			r.attempts,
			r.items[0]?.facility
		];

		const { handle, counter } = countingHandle(await testHandle());
		// As the page reads it: the head (the assignment and the versions), then, when they have
		// changed, the report and (when the course changed) its prose for the prompts.
		const kept = async () =>
			keptStatistics(handle.db, classId, (await statisticsHead(handle.db, classId, assignmentId))!);
		expect(facility(await kept())).toEqual([2, 50]);
		expect(counter.n).toBe(3);
		// Nothing changed: only the head is read.
		counter.n = 0;
		expect(facility(await kept())).toEqual([2, 50]);
		expect(counter.n).toBe(1);
		// An attempt opened but not submitted does not count, and is seen once submitted.
		const third = await answerTf('true');
		counter.n = 0;
		expect(facility(await kept())).toEqual([3, 66.7]);
		// The head and the report: the course is unchanged, so its prose is still kept.
		expect(counter.n).toBe(2);

		// The key was wrong: False is right. Saving the fix changes nothing yet; the regrade does.
		const q = (await findBankQuestion(db, course.id, course.question['q-tf']))!;
		if (q.answer.type !== 'tf') throw new Error('not tf');
		expect(
			await saveQuestion(db, course.id, q.id, { ...q, answer: { ...q.answer, answer: false } })
		).toMatchObject({ ok: true });
		expect(facility(await kept())).toEqual([3, 66.7]);
		expect(
			await applyRegrade(db, course.id, q.id, { id: teacher.id, name: teacher.name })
		).toMatchObject({ ok: true, attempts: 3 });
		expect(facility(await kept())).toEqual([3, 33.3]);

		// An attempt that is taken away (its student left with it) is taken out of the report.
		await db.deleteFrom('attempts').where('id', '=', third).execute();
		expect(facility(await kept())).toEqual([2, 50]);
		// And what is kept is what computing it afresh gives, its prompt rendered.
		const shown = await kept();
		const fresh = await quizStatistics(db, classId, assignmentId);
		expect(shown.attempts).toBe(fresh.attempts);
		expect(shown.items.map(({ prompt: _p, actor: _a, ...rest }) => rest)).toEqual(
			fresh.items.map(({ prompt: _p, ...rest }) => rest)
		);
		expect(shown.items[0].prompt).toContain(fresh.items[0].prompt.slice(0, 10));

		// An edit of the course (every authoring change updates its row) shows too: here an
		// actor's short name.
		const actorId = fresh.items[0].actorId!;
		await db.transaction().execute(async (trx) => {
			await trx
				.updateTable('actors')
				.set({ short_name: 'The State' })
				.where('id', '=', actorId)
				.execute();
			await trx
				.updateTable('courses')
				.set({ updated_at: new Date() })
				.where('id', '=', course.id)
				.execute();
		});
		expect((await kept()).items[0].actor).toBe('The State');
	});

	test('the head is there only for a quiz assignment of that class', async () => {
		const db = await testDb();
		const course = await newCourse(db, { pkg: quizPackage() });
		const classId = (await newClass(db, course.id)).id;
		const otherClass = (await newClass(db, course.id)).id;
		const quizId = await newQuiz(db, course.id, { questionIds: [course.question['q-tf']] });
		const quiz = await newQuizAssignment(db, classId, quizId);
		const lesson = await newAssignment(db, classId);
		expect(await statisticsHead(db, classId, quiz)).toMatchObject({
			id: quiz,
			courseId: course.id
		});
		expect(await statisticsHead(db, otherClass, quiz)).toBeUndefined();
		expect(await statisticsHead(db, classId, lesson)).toBeUndefined();
	});
});
