import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
	ASSIGNMENT_PAGE_ROUTE,
	ATTEMPT_PAGE_ROUTE,
	AUTOSAVE_ROUTE,
	attemptPageParam,
	checksSessionItself,
	startParam
} from '../../src/lib/server/web/guards.ts';
import {
	createSession,
	generateSessionToken,
	validateSessionToken
} from '../../src/lib/server/auth/session.ts';
import { useDatabase } from '../../src/lib/server/db/index.ts';
import { load as attemptLoad } from '../../src/routes/classes/[class]/attempts/[attempt]/+page.server.ts';
import { asSessionUser, fakeEvent, outcome } from '../helpers/kit.ts';
import { startPractice } from '../../src/lib/server/quizzes/practice.ts';
import { sql } from 'kysely';
import {
	attemptQuestions,
	closeExpiredAttempts,
	extendOpenAttempts,
	findAttempt,
	findAttemptWithQuestions,
	optionSeed,
	saveAnswer,
	startAttempt,
	startGate,
	submitAttempt,
	type AttemptQuestion
} from '../../src/lib/server/quizzes/attempts.ts';
import { listStudentAssignments } from '../../src/lib/server/classes/assignments.ts';
import { publicQuestion } from '../../src/lib/quiz/score.ts';
import type { RawAnswer } from '../../src/lib/quiz/score.ts';
import { testDb, testHandle } from '../helpers/db.ts';
import { countingHandle } from '../helpers/query-count.ts';
import {
	newClass,
	newCourse,
	newMember,
	newQuiz,
	newQuizAssignment,
	newUser,
	quizPackage
} from '../helpers/factories.ts';
import type { QuizSettingsInput } from '../../src/lib/server/quizzes/settings.ts';
import { poolSize } from '../../src/lib/server/db/connect.ts';
import { touchCourse } from '../../src/lib/server/courses/authoring/shared.ts';
import { removeQuizSlot } from '../../src/lib/server/courses/authoring/quizzes.ts';

const MIN = 60_000;
type Db = Awaited<ReturnType<typeof testDb>>;

async function world(settings: Partial<QuizSettingsInput & { opensAt: Date | null }> = {}) {
	const db = await testDb();
	const teacher = await newUser(db, { role: 'instructor' });
	const course = await newCourse(db, { ownerId: teacher.id, pkg: quizPackage() });
	const classId = (await newClass(db, course.id, { instructorId: teacher.id })).id;
	const ana = await newUser(db, { name: 'Ana' });
	await newMember(db, classId, ana.id);
	const quizId = await newQuiz(db, course.id, {
		questionIds: ['q-tf', 'q-mc', 'q-short', 'q-match'].map((k) => course.question[k])
	});
	const assignmentId = await newQuizAssignment(db, classId, quizId, {
		attemptsAllowed: null,
		...settings
	});
	return { db, teacher, course, classId, ana, quizId, assignmentId };
}

/** The raw answer a page would send for a right (or wrong) answer to `q` in this attempt. */
function answerFor(
	q: AttemptQuestion,
	attempt: { seed: string; shuffleOptions: boolean },
	right: boolean
): RawAnswer {
	const shown = publicQuestion(q.answer, optionSeed(attempt, q.position), attempt.seed);
	const a = q.answer;
	if (a.type === 'tf') return { answer: [String(right ? a.answer : !a.answer)], slots: [] };
	if (a.type === 'mc' && shown.type === 'mc') {
		const want = a.choices.find((c) => c.correct === right)!.text;
		return { answer: [String(shown.options.find((o) => o.text === want)!.index)], slots: [] };
	}
	if (a.type === 'short') return { answer: [right ? ' Privacy. ' : 'money'], slots: [] };
	if (a.type === 'matching')
		return {
			answer: [],
			slots: a.pairs.map((p, i) => (right ? p.right : a.pairs[(i + 1) % a.pairs.length].right))
		};
	throw new Error(`no answer for ${a.type}`);
}

async function start(
	db: Db,
	w: { classId: number; assignmentId: number },
	userId: number,
	now?: Date
) {
	const r = await startAttempt(db, { ...w, userId, now });
	if (!r.ok) throw new Error(r.reason);
	return r.attemptId;
}

async function answerAll(
	db: Db,
	w: { classId: number },
	attemptId: number,
	userId: number,
	right: boolean[],
	now?: Date
) {
	const info = (await findAttempt(db, w.classId, attemptId))!;
	const qs = await attemptQuestions(db, attemptId);
	const att = { seed: info.seed, shuffleOptions: info.settings.shuffleOptions };
	for (const q of qs) {
		const wantRight = right[q.questionId % right.length] ?? true;
		expect(
			await saveAnswer(db, {
				attemptId,
				userId,
				position: q.position,
				raw: answerFor(q, att, wantRight),
				revision: 1,
				now
			})
		).toBe('saved');
	}
	return qs;
}

describe('an attempt: start, save as you go, submit, scored on the server', () => {
	test('all right scores full marks; the progress model shows the quiz done with its score', async () => {
		const w = await world();
		const id = await start(w.db, w, w.ana.id);
		const again = await startAttempt(w.db, { ...w, userId: w.ana.id });
		expect(again).toEqual({ ok: true, attemptId: id, resumed: true });
		const qs = await answerAll(w.db, w, id, w.ana.id, [true]);
		expect(qs.map((q) => q.type).sort()).toEqual(['matching', 'mc', 'short', 'tf']);
		const r = await submitAttempt(w.db, { attemptId: id, userId: w.ana.id, by: 'student' });
		expect(r).toEqual({ ok: true, already: false, score: 4, maxScore: 4 });
		const [a] = await listStudentAssignments(w.db, w.ana.id);
		expect([a.status, a.score]).toEqual(['done', 1]);
	});

	test('a wrong answer scores 0 for it, an unanswered question 0; matching gives partial credit', async () => {
		const w = await world();
		const id = await start(w.db, w, w.ana.id);
		const info = (await findAttempt(w.db, w.classId, id))!;
		const qs = await attemptQuestions(w.db, id);
		const att = { seed: info.seed, shuffleOptions: true };
		const by = (t: string) => qs.find((q) => q.type === t)!;
		await saveAnswer(w.db, {
			attemptId: id,
			userId: w.ana.id,
			position: by('tf').position,
			raw: answerFor(by('tf'), att, false),
			revision: 1
		});
		await saveAnswer(w.db, {
			attemptId: id,
			userId: w.ana.id,
			position: by('mc').position,
			raw: answerFor(by('mc'), att, true),
			revision: 1
		});
		const half = { answer: [], slots: ['The state', null] };
		await saveAnswer(w.db, {
			attemptId: id,
			userId: w.ana.id,
			position: by('matching').position,
			raw: half,
			revision: 1
		});
		const r = await submitAttempt(w.db, { attemptId: id, userId: w.ana.id, by: 'student' });
		expect(r.ok && r.score).toBe(1.5);
		const scored = await attemptQuestions(w.db, id);
		expect(Object.fromEntries(scored.map((q) => [q.type, q.score]))).toEqual({
			tf: 0,
			mc: 1,
			matching: 0.5,
			short: null
		});
	});

	test('a submitted attempt never changes: saves are refused, a second submit changes nothing', async () => {
		const w = await world();
		const id = await start(w.db, w, w.ana.id);
		await answerAll(w.db, w, id, w.ana.id, [false]);
		const first = await submitAttempt(w.db, { attemptId: id, userId: w.ana.id, by: 'student' });
		expect(first.ok && first.score).toBe(0);
		const q = (await attemptQuestions(w.db, id))[0];
		const info = (await findAttempt(w.db, w.classId, id))!;
		expect(
			await saveAnswer(w.db, {
				attemptId: id,
				userId: w.ana.id,
				position: q.position,
				raw: answerFor(q, { seed: info.seed, shuffleOptions: true }, true),
				revision: 99
			})
		).toBe('closed');
		const second = await submitAttempt(w.db, { attemptId: id, userId: w.ana.id, by: 'student' });
		expect(second).toEqual({ ok: true, already: true, score: 0, maxScore: 4 });
	});

	test('someone else cannot save into or submit an attempt', async () => {
		const w = await world();
		const id = await start(w.db, w, w.ana.id);
		const eve = await newUser(w.db);
		await newMember(w.db, w.classId, eve.id);
		const raw = { answer: ['true'], slots: [] };
		expect(
			await saveAnswer(w.db, { attemptId: id, userId: eve.id, position: 1, raw, revision: 1 })
		).toBe('not-found');
		expect(await submitAttempt(w.db, { attemptId: id, userId: eve.id, by: 'student' })).toEqual({
			ok: false,
			reason: 'not-found'
		});
		expect((await findAttempt(w.db, w.classId, id))!.status).toBe('in-progress');
	});

	test('a save names the attempt’s class, and stops once the student has left it', async () => {
		const w = await world();
		const id = await start(w.db, w, w.ana.id);
		const other = (await newClass(w.db, w.course.id, { instructorId: w.teacher.id })).id;
		await newMember(w.db, other, w.ana.id);
		const save = (classId: number | undefined, revision: number) =>
			saveAnswer(w.db, {
				attemptId: id,
				userId: w.ana.id,
				classId,
				position: 1,
				raw: { answer: [String(revision)], slots: [] },
				revision
			});
		expect(await save(other, 1)).toBe('not-found');
		expect(await save(w.classId, 2)).toBe('saved');
		await w.db
			.deleteFrom('memberships')
			.where('class_id', '=', w.classId)
			.where('user_id', '=', w.ana.id)
			.execute();
		expect(await save(w.classId, 3)).toBe('not-found');
		expect(await save(undefined, 4)).toBe('not-found');
		const stored = await w.db
			.selectFrom('attempt_answers')
			.select(['response', 'revision'])
			.where('attempt_id', '=', id)
			.execute();
		expect(stored.map((r) => [r.response, Number(r.revision)])).toEqual([
			[{ answer: ['2'], slots: [] }, 2]
		]);
	});

	test('an older save arriving late never overwrites a newer one', async () => {
		const w = await world();
		const id = await start(w.db, w, w.ana.id);
		const save = (text: string, revision: number) =>
			saveAnswer(w.db, {
				attemptId: id,
				userId: w.ana.id,
				position: 1,
				raw: { answer: [text], slots: [] },
				revision
			});
		expect(await save('new', 5)).toBe('saved');
		expect(await save('old', 4)).toBe('stale');
		expect(await save('replayed', 5)).toBe('stale');
		expect((await attemptQuestions(w.db, id))[0].raw).toEqual({ answer: ['new'], slots: [] });
	});
});

describe('attempts allowed, open and close dates', () => {
	test('one attempt allowed: a second is refused until the student is given an extra one', async () => {
		const w = await world({ attemptsAllowed: 1 });
		const id = await start(w.db, w, w.ana.id);
		await submitAttempt(w.db, { attemptId: id, by: 'student' });
		expect(await startAttempt(w.db, { ...w, userId: w.ana.id })).toEqual({
			ok: false,
			reason: 'no-attempts-left'
		});
		await w.db
			.insertInto('accommodations')
			.values({ class_id: w.classId, user_id: w.ana.id, extra_attempts: 1 })
			.execute();
		const second = await startAttempt(w.db, { ...w, userId: w.ana.id });
		expect(second.ok && !second.resumed).toBe(true);
		const rows = await w.db
			.selectFrom('attempts')
			.select('number')
			.where('user_id', '=', w.ana.id)
			.orderBy('number')
			.execute();
		expect(rows.map((r) => r.number)).toEqual([1, 2]);
	});

	test('not before the open date, not after the close date', async () => {
		const now = Date.now();
		const w = await world({
			opensAt: new Date(now + 60 * MIN),
			closesAt: new Date(now + 120 * MIN)
		});
		expect(await startAttempt(w.db, { ...w, userId: w.ana.id, now: new Date(now) })).toEqual({
			ok: false,
			reason: 'not-open-yet'
		});
		expect(
			(await startAttempt(w.db, { ...w, userId: w.ana.id, now: new Date(now + 90 * MIN) })).ok
		).toBe(true);
		const bob = await newUser(w.db);
		await newMember(w.db, w.classId, bob.id);
		expect(
			await startAttempt(w.db, { ...w, userId: bob.id, now: new Date(now + 121 * MIN) })
		).toEqual({ ok: false, reason: 'closed' });
	});

	test('an attempt started near the close date ends at the close date', async () => {
		const now = Date.now();
		const w = await world({ timeLimitSeconds: 3600, closesAt: new Date(now + 10 * MIN) });
		const id = await start(w.db, w, w.ana.id, new Date(now));
		expect((await findAttempt(w.db, w.classId, id))!.deadlineAt!.getTime()).toBe(now + 10 * MIN);
	});
});

describe('the deadline is the server’s', () => {
	test('a timed attempt: saves accepted through the grace period, then refused; the job submits what was saved', async () => {
		const t0 = Date.now();
		const w = await world({ timeLimitSeconds: 600, graceSeconds: 30 });
		const id = await start(w.db, w, w.ana.id, new Date(t0));
		const info = (await findAttempt(w.db, w.classId, id))!;
		expect(info.deadlineAt!.getTime()).toBe(t0 + 10 * MIN);
		const qs = await attemptQuestions(w.db, id);
		const att = { seed: info.seed, shuffleOptions: true };
		const save = (q: AttemptQuestion, at: number) =>
			saveAnswer(w.db, {
				attemptId: id,
				userId: w.ana.id,
				position: q.position,
				raw: answerFor(q, att, true),
				revision: 1,
				now: new Date(at)
			});
		expect(await save(qs[0], t0 + 10 * MIN + 20_000)).toBe('saved'); // within grace
		expect(await save(qs[1], t0 + 10 * MIN + 31_000)).toBe('closed');
		// Nobody comes back: the periodic job closes it with the one saved answer.
		expect(await closeExpiredAttempts(w.db, new Date(t0 + 9 * MIN))).toBe(0);
		expect(await closeExpiredAttempts(w.db, new Date(t0 + 11 * MIN))).toBe(1);
		const done = (await findAttempt(w.db, w.classId, id))!;
		expect([done.status, done.submittedBy, done.score]).toEqual(['submitted', 'deadline', 1]);
		expect(done.submittedAt!.getTime()).toBe(t0 + 10 * MIN);
		expect(await closeExpiredAttempts(w.db, new Date(t0 + 12 * MIN))).toBe(0);
	});

	test('a student’s submit after the grace period counts as the deadline’s, with what was saved in time', async () => {
		const t0 = Date.now();
		const w = await world({ timeLimitSeconds: 300, graceSeconds: 0 });
		const id = await start(w.db, w, w.ana.id, new Date(t0));
		await answerAll(w.db, w, id, w.ana.id, [true], new Date(t0 + MIN));
		const r = await submitAttempt(w.db, {
			attemptId: id,
			userId: w.ana.id,
			by: 'student',
			now: new Date(t0 + 6 * MIN)
		});
		expect(r.ok && r.score).toBe(4);
		expect((await findAttempt(w.db, w.classId, id))!.submittedBy).toBe('deadline');
	});

	test('returning to an expired attempt closes it, and starts a new one when attempts remain', async () => {
		const t0 = Date.now();
		const w = await world({ timeLimitSeconds: 300, graceSeconds: 0, attemptsAllowed: 2 });
		const first = await start(w.db, w, w.ana.id, new Date(t0));
		const r = await startAttempt(w.db, { ...w, userId: w.ana.id, now: new Date(t0 + 6 * MIN) });
		expect(r.ok && r.attemptId !== first && !r.resumed).toBe(true);
		expect((await findAttempt(w.db, w.classId, first))!.status).toBe('submitted');
	});

	test('accommodations: a multiplier and extra minutes stretch the deadline; an extension moves it at once', async () => {
		const t0 = Date.now();
		const w = await world({ timeLimitSeconds: 600, graceSeconds: 0 });
		await w.db
			.insertInto('accommodations')
			.values({ class_id: w.classId, user_id: w.ana.id, time_multiplier: 1.5, extra_minutes: 5 })
			.execute();
		const bob = await newUser(w.db);
		await newMember(w.db, w.classId, bob.id);
		const anas = await start(w.db, w, w.ana.id, new Date(t0));
		const bobs = await start(w.db, w, bob.id, new Date(t0));
		const deadline = async (id: number) =>
			(await findAttempt(w.db, w.classId, id))!.deadlineAt!.getTime();
		expect(await deadline(anas)).toBe(t0 + 20 * MIN);
		expect(await deadline(bobs)).toBe(t0 + 10 * MIN);
		// Mid-quiz, the instructor gives Bob 5 more minutes, then everyone 2 more.
		expect(
			await extendOpenAttempts(w.db, {
				assignmentId: w.assignmentId,
				userId: bob.id,
				minutes: 5,
				now: new Date(t0 + 5 * MIN)
			})
		).toBe(1);
		expect(
			await extendOpenAttempts(w.db, {
				assignmentId: w.assignmentId,
				minutes: 2,
				now: new Date(t0 + 5 * MIN)
			})
		).toBe(2);
		expect(await deadline(bobs)).toBe(t0 + 17 * MIN);
		expect(await deadline(anas)).toBe(t0 + 22 * MIN);
		const q = (await attemptQuestions(w.db, bobs))[0];
		expect(
			await saveAnswer(w.db, {
				attemptId: bobs,
				userId: bob.id,
				position: q.position,
				raw: { answer: ['true'], slots: [] },
				revision: 1,
				now: new Date(t0 + 16 * MIN)
			})
		).toBe('saved');
	});
});

describe('an attempt keeps the questions it was given', () => {
	test('editing a question’s key changes neither an open nor a finished attempt; the next attempt gets the new version', async () => {
		const w = await world({ attemptsAllowed: null });
		const first = await start(w.db, w, w.ana.id);
		await answerAll(w.db, w, first, w.ana.id, [true]);
		// The instructor flips the true/false key and rewrites its prompt.
		await w.db
			.updateTable('questions')
			.set({
				data: JSON.stringify({ answer: false, feedbackIfWrong: null, feedbackIfRight: null }),
				prompt: 'Edited.'
			})
			.where('id', '=', w.course.question['q-tf'])
			.execute();
		// As every authoring change does, in its transaction (the draw cache keys on it).
		await touchCourse(w.db, w.course.id);
		const r = await submitAttempt(w.db, { attemptId: first, by: 'student' });
		expect(r.ok && r.score).toBe(4);
		const tf = (await attemptQuestions(w.db, first)).find((q) => q.type === 'tf')!;
		expect(tf.prompt).toBe('The state supports it.');
		const second = await start(w.db, w, w.ana.id);
		const tf2 = (await attemptQuestions(w.db, second)).find((q) => q.type === 'tf')!;
		expect([tf2.prompt, tf2.versionId !== tf.versionId]).toEqual(['Edited.', true]);
		const versions = await w.db
			.selectFrom('question_versions')
			.select('id')
			.where('question_id', '=', w.course.question['q-tf'])
			.execute();
		expect(versions).toHaveLength(2);
	});

	test('a question given in an attempt cannot be deleted from under it', async () => {
		const w = await world();
		await start(w.db, w, w.ana.id);
		await expect(
			w.db.deleteFrom('questions').where('id', '=', w.course.question['q-tf']).execute()
		).rejects.toThrow();
	});
});

describe('draws from the bank', () => {
	test('a draw by actor gives that actor’s questions only, different orders for different attempts, never one twice', async () => {
		const db = await testDb();
		const course = await newCourse(db, { pkg: quizPackage() });
		const classId = (await newClass(db, course.id)).id;
		const firms = await db
			.selectFrom('actors')
			.select('id')
			.where('course_id', '=', course.id)
			.where('slug', '=', 'firms')
			.executeTakeFirstOrThrow();
		const quizId = await newQuiz(db, course.id, { draws: [{ actorId: firms.id, draw: 5 }] });
		const assignmentId = await newQuizAssignment(db, classId, quizId);
		const seen = new Set<string>();
		for (let i = 0; i < 8; i++) {
			const u = await newUser(db);
			await newMember(db, classId, u.id);
			const r = await startAttempt(db, { classId, assignmentId, userId: u.id });
			if (!r.ok) throw new Error(r.reason);
			const ids = (await attemptQuestions(db, r.attemptId)).map((q) => q.questionId);
			expect([...ids].sort()).toEqual(
				[course.question['q-short'], course.question['q-match']].sort()
			);
			seen.add(ids.join(','));
		}
		expect(seen.size).toBe(2);
	});

	test('the shipped default quizzes: one per actor with questions and a mixed final', async () => {
		const db = await testDb();
		const course = await newCourse(db, { pkg: quizPackage() });
		const quizzes = await db
			.selectFrom('quizzes')
			.select(['slug', 'title'])
			.where('course_id', '=', course.id)
			.orderBy('position')
			.execute();
		expect(quizzes.map((q) => q.slug)).toEqual([
			'actor-state',
			'actor-firms',
			'who-is-concerned-about-what'
		]);
	});
});

describe('practise what I missed', () => {
	test('a practice attempt asks the missed questions again, never counts, and is resumed while open', async () => {
		const w = await world();
		const id = await start(w.db, w, w.ana.id);
		const info = (await findAttempt(w.db, w.classId, id))!;
		const att = { seed: info.seed, shuffleOptions: true };
		// Right on the true/false and the choice question, nothing else.
		for (const q of await attemptQuestions(w.db, id))
			if (q.type === 'tf' || q.type === 'mc')
				await saveAnswer(w.db, {
					attemptId: id,
					userId: w.ana.id,
					position: q.position,
					raw: answerFor(q, att, true),
					revision: 1
				});
		await submitAttempt(w.db, { attemptId: id, by: 'student' });
		const eve = await newUser(w.db);
		expect(
			await startPractice(w.db, { classId: w.classId, attemptId: id, userId: eve.id })
		).toBeUndefined();
		const p = await startPractice(w.db, { classId: w.classId, attemptId: id, userId: w.ana.id });
		expect(p?.resumed).toBe(false);
		const asked = (await attemptQuestions(w.db, p!.attemptId)).map((q) => q.questionId).sort();
		expect(asked).toEqual([w.course.question['q-short'], w.course.question['q-match']].sort());
		const again = await startPractice(w.db, {
			classId: w.classId,
			attemptId: id,
			userId: w.ana.id
		});
		expect(again).toEqual({ attemptId: p!.attemptId, resumed: true });
		// Practice all right changes nothing in the gradebook; a graded attempt is still one.
		const practice = (await findAttempt(w.db, w.classId, p!.attemptId))!;
		expect([practice.practice, practice.deadlineAt]).toEqual([true, null]);
		for (const q of await attemptQuestions(w.db, p!.attemptId))
			await saveAnswer(w.db, {
				attemptId: p!.attemptId,
				userId: w.ana.id,
				position: q.position,
				raw: answerFor(q, { seed: practice.seed, shuffleOptions: true }, true),
				revision: 1
			});
		await submitAttempt(w.db, { attemptId: p!.attemptId, by: 'student' });
		const [a] = await listStudentAssignments(w.db, w.ana.id);
		expect(a.score).toBe(0.5);
	});
});

describe('concurrency', () => {
	test('50 concurrent starts make one attempt; 50 concurrent submits score it once', async () => {
		const w = await world({ attemptsAllowed: 3 });
		const starts = await Promise.all(
			Array.from({ length: 50 }, () => startAttempt(w.db, { ...w, userId: w.ana.id }))
		);
		const ids = new Set(starts.map((s) => (s.ok ? s.attemptId : s.reason)));
		expect(ids.size).toBe(1);
		const [id] = [...ids] as number[];
		await answerAll(w.db, w, id, w.ana.id, [true]);
		const submits = await Promise.all(
			Array.from({ length: 50 }, () =>
				submitAttempt(w.db, { attemptId: id, userId: w.ana.id, by: 'student' })
			)
		);
		expect(submits.filter((s) => s.ok && !s.already)).toHaveLength(1);
		expect(new Set(submits.map((s) => s.ok && s.score))).toEqual(new Set([4]));
		const rows = await w.db
			.selectFrom('attempts')
			.select(['status', 'score'])
			.where('user_id', '=', w.ana.id)
			.execute();
		expect(rows).toEqual([{ status: 'submitted', score: 4 }]);
	});

	test('a school starting at once: half the pool’s connections run starts, the rest wait their turn in memory, every student gets one attempt', async () => {
		const w = await world();
		const students = [w.ana.id];
		for (let i = 0; i < 19; i++) {
			const u = await newUser(w.db);
			await newMember(w.db, w.classId, u.id);
			students.push(u.id);
		}
		// The gate is read at every query the starts run: never more of them at once than its limit.
		let most = 0;
		const watched = (await testHandle()).db.withPlugin({
			transformQuery(args) {
				most = Math.max(most, startGate.running);
				return args.node;
			},
			async transformResult(args) {
				return args.result;
			}
		});
		const all = Promise.all(students.map((userId) => startAttempt(watched, { ...w, userId })));
		const limit = Math.max(1, Math.floor(poolSize() / 2)); // 8 with the default pool of 16
		expect([startGate.limit, startGate.running, startGate.waiting]).toEqual([
			limit,
			limit,
			20 - limit
		]);
		const starts = await all;
		expect(starts.every((s) => s.ok && !s.resumed)).toBe(true);
		expect(new Set(starts.map((s) => s.ok && s.attemptId)).size).toBe(20);
		expect([most, startGate.running, startGate.waiting]).toEqual([limit, 0, 0]);
	});

	test('50 concurrent saves of one question keep the newest revision', async () => {
		const w = await world();
		const id = await start(w.db, w, w.ana.id);
		const results = await Promise.all(
			Array.from({ length: 50 }, (_, i) =>
				saveAnswer(w.db, {
					attemptId: id,
					userId: w.ana.id,
					position: 1,
					raw: { answer: [`v${i}`], slots: [] },
					revision: i + 1
				})
			)
		);
		expect(results.every((r) => r === 'saved' || r === 'stale')).toBe(true);
		const q = (await attemptQuestions(w.db, id))[0];
		expect([q.raw, q.revision]).toEqual([{ answer: ['v49'], slots: [] }, 50]);
	});

	test('saves and submits racing: the finished attempt keeps what it was scored with', async () => {
		const w = await world();
		const id = await start(w.db, w, w.ana.id);
		const race = await Promise.all([
			...Array.from({ length: 25 }, (_, i) =>
				saveAnswer(w.db, {
					attemptId: id,
					userId: w.ana.id,
					position: 1,
					raw: { answer: ['true'], slots: [] },
					revision: i + 1
				})
			),
			...Array.from({ length: 25 }, () =>
				submitAttempt(w.db, { attemptId: id, userId: w.ana.id, by: 'student' })
			)
		]);
		expect(race.length).toBe(50);
		const after = await attemptQuestions(w.db, id);
		const info = (await findAttempt(w.db, w.classId, id))!;
		const scoredNow = after.reduce((s, q) => s + (q.score ?? 0) * q.points, 0);
		expect(info.status).toBe('submitted');
		expect(scoredNow).toBe(info.score);
		// Whatever was saved after the submit would show as an answer without a score.
		expect(after.filter((q) => q.raw && q.score === null)).toEqual([]);
	});
});

describe('cost', () => {
	test('the attempt page reads the attempt, its questions and the saved answers in one statement', async () => {
		const w = await world();
		const id = await start(w.db, w, w.ana.id);
		await answerAll(w.db, w, id, w.ana.id, [true, false]);
		const { handle, counter } = countingHandle(await testHandle());
		const both = await findAttemptWithQuestions(handle.db, w.classId, id);
		expect(counter.n).toBe(1);
		// The same values, types included, as the two separate reads give.
		expect(both).toEqual({
			attempt: await findAttempt(w.db, w.classId, id),
			questions: await attemptQuestions(w.db, id)
		});
		expect(both!.questions.map((q) => q.position)).toEqual([1, 2, 3, 4]);
		expect(both!.questions.every((q) => q.raw && q.savedAt instanceof Date)).toBe(true);
		await submitAttempt(w.db, { attemptId: id, userId: w.ana.id, by: 'student' });
		const scored = await findAttemptWithQuestions(w.db, w.classId, id);
		expect(scored!.questions.map((q) => q.score)).toEqual(
			(await attemptQuestions(w.db, id)).map((q) => q.score)
		);
		expect(scored!.attempt.status).toBe('submitted');
		// Another class's id finds nothing, as findAttempt does.
		const other = (await newClass(w.db, w.course.id)).id;
		expect(await findAttemptWithQuestions(w.db, other, id)).toBeUndefined();
	});

	test('on an attempt page the session check reads the attempt too, and the page takes it instead of reading again', async () => {
		const w = await world();
		const id = await start(w.db, w, w.ana.id);
		await answerAll(w.db, w, id, w.ana.id, [true, false]);
		const token = generateSessionToken();
		await createSession(w.db, token, w.ana.id);
		// The first check of a session also notes when the user was last seen: a write of its own.
		await validateSessionToken(w.db, token);
		const { handle, counter } = countingHandle(await testHandle());
		const opts = { withUnreadCount: true, classId: w.classId, attemptId: id };
		const checked = await validateSessionToken(handle.db, token, opts);
		expect(counter.statements).toBe(1);
		// The same values, types included, as the page's own read gives.
		const own = await findAttemptWithQuestions(w.db, w.classId, id);
		expect(checked?.attemptView).toEqual({ classId: w.classId, attemptId: id, found: own });
		expect(own!.questions.every((q) => q.raw && q.savedAt instanceof Date)).toBe(true);
		// No such attempt in this class: found is undefined (the page answers 404).
		const other = (await newClass(w.db, w.course.id)).id;
		for (const [classId, attemptId] of [
			[w.classId, id + 1000],
			[other, id]
		]) {
			const none = await validateSessionToken(w.db, token, { classId, attemptId });
			expect(none?.attemptView).toEqual({ classId, attemptId, found: undefined });
		}

		// The page's load, given it, reads the attempt no more: one query fewer than without it.
		const pageQueries = async (attemptView?: unknown) => {
			const event = fakeEvent({
				user: asSessionUser(w.ana),
				params: { class: String(w.classId), attempt: String(id) },
				path: `/classes/${w.classId}/attempts/${id}`
			});
			Object.assign(event.locals, { attemptView });
			useDatabase(handle);
			counter.n = 0;
			try {
				const r = await outcome(attemptLoad, event);
				expect(r.outcome).toBe('ok');
				return { n: counter.n, data: r.data };
			} finally {
				useDatabase(await testHandle());
			}
		};
		const without = await pageQueries();
		const withIt = await pageQueries(checked?.attemptView);
		expect(withIt.n).toBe(without.n - 1);
		// The hook asks for it on a GET of the attempt page only, whose route is where it says.
		const route = { id: ATTEMPT_PAGE_ROUTE };
		const get = { method: 'GET' };
		expect(attemptPageParam({ request: get, route, params: { attempt: String(id) } })).toBe(id);
		expect(
			attemptPageParam({ request: { method: 'POST' }, route, params: { attempt: String(id) } })
		).toBeNull();
		expect(attemptPageParam({ request: get, route, params: { attempt: '1e3' } })).toBeNull();
		expect(
			attemptPageParam({
				request: get,
				route: { id: `${ATTEMPT_PAGE_ROUTE}/answers` },
				params: { attempt: String(id) }
			})
		).toBeNull();
		expect(existsSync(`src/routes${ATTEMPT_PAGE_ROUTE}/+page.server.ts`)).toBe(true);
		expect(JSON.stringify(withIt.data).replace(/"serverNow":"[^"]*"/, '')).toBe(
			JSON.stringify(without.data).replace(/"serverNow":"[^"]*"/, '')
		);
	});

	test('the autosave names the student by their session: one statement checks the session and saves; a dead session saves nothing', async () => {
		const w = await world();
		const id = await start(w.db, w, w.ana.id);
		const token = generateSessionToken();
		const session = await createSession(w.db, token, w.ana.id);
		const { handle, counter } = countingHandle(await testHandle());
		const save = (sessionId: string, revision: number, answer = 'true', db = w.db) =>
			saveAnswer(db, {
				attemptId: id,
				sessionId,
				classId: w.classId,
				position: 1,
				raw: { answer: [answer], slots: [] },
				revision
			});
		const stored = async () =>
			(
				await w.db
					.selectFrom('attempt_answers')
					.select('revision')
					.where('attempt_id', '=', id)
					.where('position', '=', 1)
					.executeTakeFirst()
			)?.revision;
		expect(await save(session.id, 1, 'true', handle.db)).toBe('saved');
		expect(counter.statements).toBe(1);
		expect(Number(await stored())).toBe(1);
		// Another student's live session is not this attempt's: nothing is written.
		const eve = await newUser(w.db);
		await newMember(w.db, w.classId, eve.id);
		const eveSession = await createSession(w.db, generateSessionToken(), eve.id);
		expect(await save(eveSession.id, 2)).toBe('not-found');
		// A replay is stale, not signed out.
		expect(await save(session.id, 1)).toBe('stale');
		// Unknown, expired and disabled: signed out, and nothing changes.
		expect(await save('0'.repeat(64), 3)).toBe('signed-out');
		await w.db
			.updateTable('sessions')
			.set({ expires_at: new Date(Date.now() - 1000) })
			.where('id', '=', session.id)
			.execute();
		expect(await save(session.id, 4)).toBe('signed-out');
		expect(await validateSessionToken(w.db, token)).toBeNull();
		const again = await createSession(w.db, generateSessionToken(), w.ana.id);
		await w.db
			.updateTable('users')
			.set({ disabled_at: new Date() })
			.where('id', '=', w.ana.id)
			.execute();
		expect(await save(again.id, 5)).toBe('signed-out');
		await w.db.updateTable('users').set({ disabled_at: null }).where('id', '=', w.ana.id).execute();
		expect(Number(await stored())).toBe(1);
		expect(await save(again.id, 6, 'false')).toBe('saved');
		expect(Number(await stored())).toBe(6);
		// The hook leaves the session check to the autosave route only, and only for its POST.
		const route = { id: AUTOSAVE_ROUTE };
		expect(checksSessionItself({ request: { method: 'POST' }, route })).toBe(true);
		expect(checksSessionItself({ request: { method: 'GET' }, route })).toBe(false);
		expect(
			checksSessionItself({ request: { method: 'POST' }, route: { id: ATTEMPT_PAGE_ROUTE } })
		).toBe(false);
		expect(existsSync(`src/routes${AUTOSAVE_ROUTE}/+server.ts`)).toBe(true);
	});

	test('saving is one statement; submitting is the same number of queries for 4 or 40 questions', async () => {
		const w = await world();
		const id = await start(w.db, w, w.ana.id);
		const { handle, counter } = countingHandle(await testHandle());
		const counted = {
			db: handle.db,
			count: () => counter.n,
			reset: () => (counter.n = 0)
		};
		await saveAnswer(counted.db, {
			attemptId: id,
			userId: w.ana.id,
			position: 1,
			raw: { answer: ['true'], slots: [] },
			revision: 1
		});
		expect(counted.count()).toBe(1);
		counted.reset();
		await submitAttempt(counted.db, { attemptId: id, userId: w.ana.id, by: 'student' });
		const small = counted.count();

		const many = Array.from({ length: 10 }, () =>
			['q-tf', 'q-mc', 'q-short', 'q-match'].map((k) => w.course.question[k])
		).flat();
		// 40 slots of 4 distinct questions are 4 questions (no question twice): draw 40 from a bigger bank.
		for (let i = 0; i < 36; i++) {
			await w.db
				.insertInto('questions')
				.values({
					course_id: w.course.id,
					position: 100 + i,
					external_id: `extra-${i}`,
					type: 'tf',
					prompt: `Extra ${i}?`,
					data: JSON.stringify({ answer: true, feedbackIfWrong: null, feedbackIfRight: null }),
					cites: [1]
				})
				.execute();
		}
		expect(many.length).toBe(40);
		// Written past the authoring code, which would mark the course changed for the draw cache.
		await touchCourse(w.db, w.course.id);
		const bigQuiz = await newQuiz(w.db, w.course.id, { draws: [{ draw: 40 }] });
		const bigAssignment = await newQuizAssignment(w.db, w.classId, bigQuiz);
		counted.reset();
		const r = await startAttempt(counted.db, {
			classId: w.classId,
			assignmentId: bigAssignment,
			userId: w.ana.id
		});
		const startQueries = counted.count();
		if (!r.ok) throw new Error(r.reason);
		for (let p = 1; p <= 40; p++)
			await saveAnswer(w.db, {
				attemptId: r.attemptId,
				userId: w.ana.id,
				position: p,
				raw: { answer: ['true'], slots: [] },
				revision: 1
			});
		counted.reset();
		await submitAttempt(counted.db, { attemptId: r.attemptId, userId: w.ana.id, by: 'student' });
		expect(counted.count()).toBe(small);
		expect(startQueries).toBeLessThanOrEqual(10);
		const total = await sql<{
			n: number;
		}>`select count(*)::int as n from attempt_questions where attempt_id = ${r.attemptId}`.execute(
			w.db
		);
		expect(total.rows[0].n).toBe(40);
	});

	test('a start is two statements once the course’s draw is kept, the same for every student (it was seven)', async () => {
		const w = await world();
		const { handle, counter } = countingHandle(await testHandle());
		const startAs = async (userId: number) => {
			counter.n = 0;
			const r = await startAttempt(handle.db, {
				classId: w.classId,
				assignmentId: w.assignmentId,
				userId
			});
			if (!r.ok) throw new Error(r.reason);
			return counter.n;
		};
		// The first start reads the slots and the pool, stores the question versions (a select,
		// an insert and a select) and keeps them all: outside a transaction they are committed.
		// The later ones read none of them: the assignment with the student's open attempt and
		// attempts used, and the attempt's insert (counted twice: its CTE embeds a query). No
		// transaction, no lock: a unique index settles two starts of one student at once.
		const counts = [await startAs(w.ana.id)];
		for (let i = 0; i < 4; i++) {
			const u = await newUser(w.db);
			await newMember(w.db, w.classId, u.id);
			counts.push(await startAs(u.id));
		}
		expect(counts).toEqual([8, 3, 3, 3, 3]);
	});

	test('a start’s read comes with the session check: the start is then its insert, and a read gone stale still ends with one attempt', async () => {
		// The quiz closes before its time limit is up: the deadline is the close date, which the
		// session check's read carries as text.
		const closesAt = new Date(Date.now() + 5 * MIN + 123);
		const w = await world({ timeLimitSeconds: 600, closesAt });
		// The first start of the course keeps its draw (not what is measured here).
		await start(w.db, w, w.ana.id);
		const student = async () => {
			const u = await newUser(w.db);
			await newMember(w.db, w.classId, u.id);
			const token = generateSessionToken();
			await createSession(w.db, token, u.id);
			await validateSessionToken(w.db, token); // notes "last seen": a write of its own
			return { id: u.id, token };
		};
		const opts = { classId: w.classId, startAssignmentId: w.assignmentId };
		const bo = await student();
		const { handle, counter } = countingHandle(await testHandle());
		const checked = await validateSessionToken(handle.db, bo.token, opts);
		expect(counter.statements).toBe(1);
		expect(checked?.startView?.context).toBeDefined();
		counter.statements = 0;
		const r = await startAttempt(handle.db, {
			classId: w.classId,
			assignmentId: w.assignmentId,
			userId: bo.id,
			read: checked!.startView!
		});
		expect(counter.statements).toBe(1);
		if (!r.ok) throw new Error(r.reason);
		// The same attempt as a start that reads for itself: number 1, ending at the close, its
		// questions.
		const info = (await findAttempt(w.db, w.classId, r.attemptId))!;
		expect(info.number).toBe(1);
		expect(info.deadlineAt!.getTime()).toBe(closesAt.getTime());
		expect((await attemptQuestions(w.db, r.attemptId)).length).toBe(4);
		// Read before the student's other start inserted: the insert is refused, the start reads
		// again and finds that attempt. One attempt, not two.
		const cy = await student();
		const stale = (await validateSessionToken(w.db, cy.token, opts))!.startView!;
		const first = await start(w.db, w, cy.id);
		const late = await startAttempt(w.db, {
			classId: w.classId,
			assignmentId: w.assignmentId,
			userId: cy.id,
			read: stale
		});
		expect(late).toEqual({ ok: true, attemptId: first, resumed: true });
		// Another class's assignment is not found through this class.
		const other = await validateSessionToken(w.db, cy.token, {
			classId: w.classId,
			startAssignmentId: w.assignmentId + 1000
		});
		expect(other?.startView).toEqual({
			classId: w.classId,
			assignmentId: w.assignmentId + 1000,
			context: undefined
		});
		// The hook asks for it on the start form's POST only.
		const route = { id: ASSIGNMENT_PAGE_ROUTE };
		const params = { assignment: String(w.assignmentId) };
		const at = (q: string, method = 'POST') =>
			startParam({ request: { method }, route, params, url: new URL(`http://x/a${q}`) });
		expect(at('?/start')).toBe(w.assignmentId);
		expect(at('?/start', 'GET')).toBeNull();
		expect(at('?/extend')).toBeNull();
		expect(at('')).toBeNull();
		expect(
			startParam({
				request: { method: 'POST' },
				route: { id: ATTEMPT_PAGE_ROUTE },
				params,
				url: new URL('http://x/a?/start')
			})
		).toBeNull();
		expect(existsSync(`src/routes${ASSIGNMENT_PAGE_ROUTE}/+page.server.ts`)).toBe(true);
	});

	test('with the draw kept in memory, a change to the quiz reaches the next start', async () => {
		const w = await world();
		const bob = await newUser(w.db);
		await newMember(w.db, w.classId, bob.id);
		const cy = await newUser(w.db);
		await newMember(w.db, w.classId, cy.id);
		await start(w.db, w, w.ana.id);
		const kept = await start(w.db, w, bob.id);
		expect(await attemptQuestions(w.db, kept)).toHaveLength(4);
		const removed = await removeQuizSlot(w.db, w.course.id, w.quizId, 1);
		expect(removed.ok).toBe(true);
		const after = await attemptQuestions(w.db, await start(w.db, w, cy.id));
		expect(after.map((q) => q.type).sort()).toEqual(['matching', 'mc', 'short']);
	});
});
