import { describe, expect, test } from 'vitest';
import {
	checkCourse,
	deleteQuestion,
	exportCourseFiles,
	duplicateQuestion,
	findBankQuestion,
	listBank,
	needsCitation,
	saveQuestion,
	type QuestionInput
} from '../../src/lib/server/courses/authoring/index.ts';
import {
	attemptQuestions,
	findAttempt,
	optionSeed,
	saveAnswer,
	startAttempt,
	submitAttempt
} from '../../src/lib/server/quizzes/attempts.ts';
import { applyRegrade, listRegrades, planRegrade } from '../../src/lib/server/quizzes/regrade.ts';
import { publicQuestion } from '../../src/lib/quiz/score.ts';
import type { GiftAnswer } from '../../src/lib/gift/index.ts';
import { readPackage } from '../../src/lib/courses/read.ts';
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

type Db = Awaited<ReturnType<typeof testDb>>;

const ANSWERS: GiftAnswer[] = [
	{
		type: 'mc',
		choices: [
			{ text: 'Russia', correct: true, feedback: 'Yes [¶1].' },
			{ text: 'The firms', correct: false, feedback: null }
		]
	},
	{
		type: 'multi',
		options: [
			{ text: 'Privacy', weight: 50, feedback: null },
			{ text: 'Research', weight: 50, feedback: null },
			{ text: 'Profit', weight: -100, feedback: 'No.' }
		]
	},
	{ type: 'tf', answer: false, feedbackIfWrong: 'See ¶1.', feedbackIfRight: null },
	{ type: 'short', answers: ['surveillance powers', 'surveillance'] },
	{
		type: 'matching',
		pairs: [
			{ left: 'Wants it', right: 'The state' },
			{ left: 'Fears it', right: 'Firms' }
		]
	},
	{ type: 'ordering', items: ['Proposed', 'Negotiated', 'Signed'] },
	{ type: 'numerical', answer: { kind: 'exact', value: 2017, tolerance: 0 } }
];

function input(answer: GiftAnswer, over: Partial<QuestionInput> = {}): QuestionInput {
	return {
		externalId: null,
		title: null,
		prompt: `A ${answer.type} question?`,
		answer,
		explanation: 'Because the article says so [¶1].',
		cites: [1],
		actorId: null,
		concernId: null,
		points: 1,
		...over
	};
}

/** The quiz package with the summaries a published course needs, so every edit is checked. */
function publishable() {
	const pkg = quizPackage();
	return {
		...pkg,
		course: { ...pkg.course, summary: 'What the state and the firms want [¶1].' },
		actors: pkg.actors.map((a) => ({ ...a, summary: `${a.name} [¶1].` })),
		concerns: [
			{
				slug: 'power',
				label: 'Power',
				description: 'Who holds power [¶1].',
				held_by: pkg.actors.map((a) => ({
					actor: a.slug,
					kind: 'fear' as const,
					summary: `${a.name} fears it [¶1].`,
					cites: [1]
				}))
			}
		],
		lessons: pkg.lessons.map((l) => ({ ...l, summary: `${l.title}.` }))
	};
}

async function world() {
	const db = await testDb();
	const teacher = await newUser(db, { role: 'instructor' });
	const course = await newCourse(db, { ownerId: teacher.id, pkg: publishable() });
	return { db, teacher, course };
}

describe('the question bank', () => {
	test('every type is written, listed in order with its tags, and the course stays a valid package', async () => {
		const { db, course } = await world();
		const actor = await db
			.selectFrom('actors')
			.select('id')
			.where('course_id', '=', course.id)
			.where('slug', '=', 'firms')
			.executeTakeFirstOrThrow();
		for (const a of ANSWERS) {
			const saved = await saveQuestion(db, course.id, null, input(a, { actorId: actor.id }));
			expect(saved, JSON.stringify(saved)).toMatchObject({ ok: true });
		}
		const { handle, counter } = countingHandle(await testHandle());
		const bank = await listBank(handle.db, course.id);
		expect(counter.n).toBe(1);
		expect(bank.map((b) => b.type)).toEqual([
			'tf',
			'mc',
			'short',
			'matching',
			...ANSWERS.map((a) => a.type)
		]);
		expect(bank.map((b) => b.position)).toEqual(bank.map((_, i) => i + 1));
		const added = bank.slice(4);
		expect(added.map((b) => b.answer)).toEqual(ANSWERS);
		expect(added.every((b) => b.actorName === 'Firms')).toBe(true);
		// Ids are made from the prompt, and never clash.
		expect(added[0].externalId).toBe('q-a-mc-question');
		const again = await saveQuestion(db, course.id, null, input(ANSWERS[0]));
		expect(again.ok && (await findBankQuestion(db, course.id, again.id))?.externalId).toBe(
			'q-a-mc-question-2'
		);
		expect(await checkCourse(db, course.id)).toEqual([]);
	});

	test('a question without a citation is kept as needing one, and the published course stays valid', async () => {
		const { db, course } = await world();
		const saved = await saveQuestion(
			db,
			course.id,
			null,
			input(ANSWERS[2], { cites: [], explanation: null })
		);
		expect(saved.ok).toBe(true);
		const q = saved.ok ? await findBankQuestion(db, course.id, saved.id) : undefined;
		expect(q && needsCitation(q)).toBe(true);
		expect(await checkCourse(db, course.id)).toEqual([]);
	});

	test('points survive the course file: exported, read back, imported again', async () => {
		const { db, course } = await world();
		const saved = await saveQuestion(db, course.id, null, input(ANSWERS[0], { points: 2.5 }));
		expect(saved.ok).toBe(true);
		const files = (await exportCourseFiles(db, course.id))!;
		expect(files['questions.gift']).toContain('[points:2.5]');
		const read = readPackage(files);
		expect(read.errors).toEqual([]);
		expect(read.pkg!.questions.map((q) => q.points ?? 1)).toEqual([1, 1, 1, 1, 2.5]);
		const again = await newCourse(db, {
			pkg: { ...read.pkg!, course: { ...read.pkg!.course, slug: 'again' } }
		});
		expect((await listBank(db, again.id)).map((q) => q.points)).toEqual([1, 1, 1, 1, 2.5]);
	});

	test('refusals name the field and write nothing', async () => {
		const { db, course } = await world();
		const before = await listBank(db, course.id);
		const cases: [Partial<QuestionInput>, string][] = [
			[{ cites: [99] }, 'cites'],
			[{ explanation: 'No citation here.' }, 'explanation'],
			[{ explanation: null }, 'explanation'],
			[{ explanation: 'See [¶42].' }, 'explanation'],
			[{ externalId: 'q-tf' }, 'externalId'],
			[{ externalId: 'not an id!' }, 'externalId'],
			[{ actorId: 999_999 }, 'actor'],
			[{ concernId: 999_999 }, 'concern']
		];
		for (const [over, field] of cases) {
			const saved = await saveQuestion(db, course.id, null, input(ANSWERS[0], over));
			expect(saved.ok, JSON.stringify(over)).toBe(false);
			if (!saved.ok) expect(Object.keys(saved.errors), JSON.stringify(over)).toContain(field);
		}
		// What the file format cannot write is refused before it would break the export.
		const arrow = await saveQuestion(
			db,
			course.id,
			null,
			input({
				type: 'mc',
				choices: [
					{ text: 'a -> b', correct: true, feedback: null },
					{ text: 'c', correct: false, feedback: null }
				]
			})
		);
		expect(arrow.ok).toBe(false);
		expect(await listBank(db, course.id)).toEqual(before);
	});

	test('renaming a question keeps the lessons that check with it', async () => {
		const { db, course } = await world();
		const id = course.question['q-mc'];
		await db
			.updateTable('lessons')
			.set({ check_ids: ['q-mc'] })
			.where('course_id', '=', course.id)
			.execute();
		const q = (await findBankQuestion(db, course.id, id))!;
		const saved = await saveQuestion(db, course.id, id, { ...q, externalId: 'q-renamed' });
		expect(saved.ok).toBe(true);
		const lessons = await db
			.selectFrom('lessons')
			.select('check_ids')
			.where('course_id', '=', course.id)
			.execute();
		expect(lessons.every((l) => l.check_ids.includes('q-renamed'))).toBe(true);
		expect(await checkCourse(db, course.id)).toEqual([]);
	});

	test('duplicate makes a copy at the end; delete refuses what students answered or lessons check', async () => {
		const { db, teacher, course } = await world();
		const copy = await duplicateQuestion(db, course.id, course.question['q-mc']);
		expect(copy.ok).toBe(true);
		const bank = await listBank(db, course.id);
		const last = bank.at(-1)!;
		expect(last.externalId).toBe('q-mc-copy');
		expect(last.title).toBe('Does the state want it? (copy)');
		expect(last.answer).toEqual(bank.find((b) => b.externalId === 'q-mc')!.answer);

		// A quiz names the copy: deleting it takes it out of the quiz.
		const quizId = await newQuiz(db, course.id, { questionIds: [last.id] });
		expect(await deleteQuestion(db, course.id, last.id)).toEqual({ ok: true });
		expect(await db.selectFrom('quiz_slots').where('quiz_id', '=', quizId).execute()).toEqual([]);
		expect((await listBank(db, course.id)).map((b) => b.position)).toEqual([1, 2, 3, 4]);

		// Answered in a class's attempt: refused, with the class named.
		const classId = (await newClass(db, course.id, { instructorId: teacher.id, name: 'Civics 7' }))
			.id;
		const ana = await newUser(db);
		await newMember(db, classId, ana.id);
		const quiz = await newQuiz(db, course.id, { questionIds: [course.question['q-tf']] });
		const assignmentId = await newQuizAssignment(db, classId, quiz);
		expect(await startAttempt(db, { classId, assignmentId, userId: ana.id })).toMatchObject({
			ok: true
		});
		const refused = await deleteQuestion(db, course.id, course.question['q-tf']);
		expect(refused.ok).toBe(false);
		if (!refused.ok) expect(refused.errors.form).toContain('Civics 7');

		// Named as a lesson check: refused, with the lesson named.
		await db
			.updateTable('lessons')
			.set({ check_ids: ['q-short'] })
			.where('course_id', '=', course.id)
			.where('slug', '=', 'one')
			.execute();
		const checked = await deleteQuestion(db, course.id, course.question['q-short']);
		expect(checked.ok).toBe(false);
		if (!checked.ok) expect(checked.errors.form).toMatch(/lesson .* as a check/);
		expect((await listBank(db, course.id)).length).toBe(4);
	});
});

describe('regrading after a key is fixed', () => {
	async function classWorld() {
		const w = await world();
		const { db, teacher, course } = w;
		const classId = (await newClass(db, course.id, { instructorId: teacher.id, name: 'Civics 9' }))
			.id;
		const quizId = await newQuiz(db, course.id, {
			questionIds: [course.question['q-mc'], course.question['q-tf']]
		});
		const assignmentId = await newQuizAssignment(db, classId, quizId, { attemptsAllowed: null });
		return { ...w, classId, assignmentId };
	}

	/** A student's attempt answering q-mc with the option `text` and q-tf right; submitted or not. */
	async function attemptWith(
		db: Db,
		w: { classId: number; assignmentId: number },
		name: string,
		text: string,
		submit = true
	) {
		const user = await newUser(db, { name });
		await newMember(db, w.classId, user.id);
		const started = await startAttempt(db, { ...w, userId: user.id });
		if (!started.ok) throw new Error(started.reason);
		const info = (await findAttempt(db, w.classId, started.attemptId))!;
		for (const q of await attemptQuestions(db, started.attemptId)) {
			let raw = { answer: ['true'], slots: [] as string[] };
			if (q.answer.type === 'mc') {
				const shown = publicQuestion(
					q.answer,
					optionSeed({ seed: info.seed, shuffleOptions: info.settings.shuffleOptions }, q.position)
				);
				if (shown.type !== 'mc') throw new Error('not mc');
				raw = { answer: [String(shown.options.find((o) => o.text === text)!.index)], slots: [] };
			}
			await saveAnswer(db, {
				attemptId: started.attemptId,
				userId: user.id,
				position: q.position,
				raw,
				revision: 1
			});
		}
		if (submit) await submitAttempt(db, { attemptId: started.attemptId, by: 'student' });
		return started.attemptId;
	}

	async function fixKey(db: Db, courseId: number, questionId: number, right: string) {
		const q = (await findBankQuestion(db, courseId, questionId))!;
		if (q.answer.type !== 'mc') throw new Error('not mc');
		const answer: GiftAnswer = {
			type: 'mc',
			choices: q.answer.choices.map((c) => ({ ...c, correct: c.text === right }))
		};
		return await saveQuestion(db, courseId, questionId, { ...q, answer });
	}

	const score = async (db: Db, attemptId: number) =>
		(await db
			.selectFrom('attempts')
			.select(['score', 'max_score'])
			.where('id', '=', attemptId)
			.executeTakeFirstOrThrow()) as { score: number | null; max_score: number };

	test('the plan shows whose scores change; applying re-scores them, moves them to the fixed version and logs it', async () => {
		const w = await classWorld();
		const { db, course, teacher } = w;
		const mc = course.question['q-mc'];
		const ana = await attemptWith(db, w, 'Ana', 'No');
		const ben = await attemptWith(db, w, 'Ben', 'Yes');
		const cy = await attemptWith(db, w, 'Cy', 'It does not say');
		const open = await attemptWith(db, w, 'Dee', 'No', false);
		expect(await score(db, ana)).toEqual({ score: 1, max_score: 2 });
		expect(await score(db, ben)).toEqual({ score: 2, max_score: 2 });

		const saved = await fixKey(db, course.id, mc, 'No');
		expect(saved).toMatchObject({ ok: true, keyChanged: true });
		// Saving alone changes no attempt.
		expect(await score(db, ana)).toEqual({ score: 1, max_score: 2 });

		const { handle, counter } = countingHandle(await testHandle());
		const plan = (await planRegrade(handle.db, course.id, mc))!;
		expect(counter.n).toBe(2);
		expect(plan.rows.map((r) => r.student)).toEqual(['Ana', 'Ben', 'Cy', 'Dee']);
		expect(
			plan.changed.map((r) => [r.student, r.before, r.after, r.totalBefore, r.totalAfter])
		).toEqual([
			['Ana', 0, 1, 1, 2],
			['Ben', 1, 0, 2, 1]
		]);
		expect(plan.rows.find((r) => r.student === 'Dee')).toMatchObject({
			submitted: false,
			totalAfter: null
		});
		expect(plan.rows.every((r) => r.className === 'Civics 9')).toBe(true);

		const applied = await applyRegrade(db, course.id, mc, { id: teacher.id, name: 'Teacher T' });
		expect(applied).toEqual({ ok: true, attempts: 4, changed: 2 });
		expect(await score(db, ana)).toEqual({ score: 2, max_score: 2 });
		expect(await score(db, ben)).toEqual({ score: 1, max_score: 2 });
		expect(await score(db, cy)).toEqual({ score: 1, max_score: 2 });
		const review = await attemptQuestions(db, ana);
		const q = review.find((r) => r.questionId === mc)!;
		expect(q.score).toBe(1);
		expect(q.answer.type === 'mc' && q.answer.choices.find((c) => c.correct)?.text).toBe('No');
		// The attempt still open is scored with the fixed key when it is submitted.
		await submitAttempt(db, { attemptId: open, by: 'student' });
		expect(await score(db, open)).toEqual({ score: 2, max_score: 2 });

		const log = await listRegrades(db, mc);
		expect(log).toMatchObject([{ by: 'Teacher T', attempts: 4, changed: 2 }]);
		// Nothing is left to do: a second regrade is refused, the plan is empty.
		expect(await applyRegrade(db, course.id, mc, { id: teacher.id, name: 'T' })).toEqual({
			ok: false,
			reason: 'nothing'
		});
		expect((await planRegrade(db, course.id, mc))!.rows).toEqual([]);
	});

	test('a version with other options cannot be re-scored and keeps its score', async () => {
		const w = await classWorld();
		const { db, course, teacher } = w;
		const mc = course.question['q-mc'];
		const ana = await attemptWith(db, w, 'Ana', 'No');
		const q = (await findBankQuestion(db, course.id, mc))!;
		if (q.answer.type !== 'mc') throw new Error('not mc');
		await saveQuestion(db, course.id, mc, {
			...q,
			answer: {
				type: 'mc',
				choices: [...q.answer.choices, { text: 'Maybe', correct: false, feedback: null }]
			}
		});
		const plan = (await planRegrade(db, course.id, mc))!;
		expect(plan).toMatchObject({ rows: [], incompatible: 1 });
		expect(await applyRegrade(db, course.id, mc, { id: teacher.id, name: 'T' })).toMatchObject({
			ok: false
		});
		expect(await score(db, ana)).toEqual({ score: 1, max_score: 2 });
	});

	test('changing the points re-scores the total and the maximum', async () => {
		const w = await classWorld();
		const { db, course, teacher } = w;
		const mc = course.question['q-mc'];
		const ben = await attemptWith(db, w, 'Ben', 'Yes');
		const q = (await findBankQuestion(db, course.id, mc))!;
		expect(await saveQuestion(db, course.id, mc, { ...q, points: 3 })).toMatchObject({
			keyChanged: true
		});
		await applyRegrade(db, course.id, mc, { id: teacher.id, name: 'T' });
		expect(await score(db, ben)).toEqual({ score: 4, max_score: 4 });
	});

	test('a regrade racing submits leaves every attempt scored with the fixed key, once', async () => {
		const w = await classWorld();
		const { db, course, teacher } = w;
		const mc = course.question['q-mc'];
		const open: number[] = [];
		for (let i = 0; i < 10; i++) open.push(await attemptWith(db, w, `Student ${i}`, 'No', false));
		await fixKey(db, course.id, mc, 'No');
		await Promise.all([
			...open.map((attemptId) => submitAttempt(db, { attemptId, by: 'student' })),
			applyRegrade(db, course.id, mc, { id: teacher.id, name: 'T' })
		]);
		for (const id of open) expect(await score(db, id)).toEqual({ score: 2, max_score: 2 });
	});
});
