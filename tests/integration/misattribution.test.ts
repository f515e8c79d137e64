import { describe, expect, test } from 'vitest';
import { startAttempt, submitAttempt } from '../../src/lib/server/quizzes/attempts.ts';
import { classMisattribution } from '../../src/lib/server/quizzes/misattribution.ts';
import { useDatabase } from '../../src/lib/server/db/index.ts';
import type { RawAnswer } from '../../src/lib/quiz/score.ts';
import { testDb, testHandle } from '../helpers/db.ts';
import { asSessionUser, fakeEvent, outcome } from '../helpers/kit.ts';
import {
	newClass,
	newCourse,
	newMember,
	newQuiz,
	newQuizAssignment,
	newUser,
	quizPackage
} from '../helpers/factories.ts';
import * as page from '../../src/routes/classes/[class]/misattribution/+page.server.ts';

type Db = Awaited<ReturnType<typeof testDb>>;
type PageData = Exclude<Awaited<ReturnType<typeof page.load>>, void>;

/**
 * A course with actors `state` ("A state", short "State") and `firms`; a quiz of two attribution
 * questions, in this order: q-match (wants it → the state, fears it → firms) and q-who (who wants
 * it? the state, firms, or nobody), options and questions unshuffled.
 */
async function world() {
	const db = await testDb();
	const teacher = await newUser(db, { role: 'instructor', name: 'Teacher' });
	const base = quizPackage();
	const q = base.questions.find((x) => x.id === 'q-match')!;
	const pkg = {
		...base,
		questions: [
			q,
			{
				...q,
				id: 'q-who',
				prompt: 'Who wants it?',
				type: 'mc' as const,
				choices: [
					{ text: 'The state', correct: true, feedback: null },
					{ text: 'Firms', correct: false, feedback: null },
					{ text: 'Nobody', correct: false, feedback: null }
				]
			}
		]
	};
	const course = await newCourse(db, { ownerId: teacher.id, pkg });
	const classId = (await newClass(db, course.id, { instructorId: teacher.id })).id;
	const quizId = await newQuiz(db, course.id, {
		questionIds: [course.question['q-match'], course.question['q-who']]
	});
	const assignmentId = await newQuizAssignment(db, classId, quizId, {
		title: 'Who wants what',
		shuffleQuestions: false,
		shuffleOptions: false,
		attemptsAllowed: null
	});
	return { db, teacher, course, classId, assignmentId };
}

const RIGHT_MATCH: RawAnswer = { answer: [], slots: ['The state', 'Firms'] };
const SWAPPED: RawAnswer = { answer: [], slots: ['Firms', 'The state'] };
const BLANK: RawAnswer = { answer: [], slots: [null, null] };
const pick = (n: number): RawAnswer => ({ answer: [String(n)], slots: [] });

/** A submitted attempt with these answers (positions 1, 2 = q-match, q-who). */
async function attempt(
	db: Db,
	w: { classId: number; assignmentId: number },
	userId: number,
	answers: [RawAnswer, RawAnswer]
): Promise<number> {
	const r = await startAttempt(db, { ...w, userId });
	if (!r.ok) throw new Error(r.reason);
	await db
		.insertInto('attempt_answers')
		.values(
			answers.map((raw, i) => ({
				attempt_id: r.attemptId,
				position: i + 1,
				response: JSON.stringify(raw),
				saved_at: new Date()
			}))
		)
		.execute();
	await submitAttempt(db, { attemptId: r.attemptId, by: 'student' });
	return r.attemptId;
}

describe('the misattribution report', () => {
	test('counts each student once per pair, over the first finished graded attempts of current students', async () => {
		const w = await world();
		const [ana, bo, cy, di, ed] = await Promise.all(
			['Ana', 'Bo', 'Cy', 'Di', 'Ed'].map((name) => newUser(w.db, { name }))
		);
		for (const u of [ana, bo, cy, di, ed]) await newMember(w.db, w.classId, u.id);
		// Ana gives the state's aim to the firms twice (once per question: counted once), and
		// the firms' fear to the state.
		const anas = await attempt(w.db, w, ana.id, [SWAPPED, pick(1)]);
		// Bo is right; a practice attempt of his, all wrong, never counts.
		await attempt(w.db, w, bo.id, [RIGHT_MATCH, pick(0)]);
		const practice = await attempt(w.db, w, bo.id, [SWAPPED, pick(1)]);
		await w.db.updateTable('attempts').set({ practice: true }).where('id', '=', practice).execute();
		// Cy leaves the matching blank and picks "Nobody": asked about the state only, not confused.
		await attempt(w.db, w, cy.id, [BLANK, pick(2)]);
		// Di is right the first time; the second attempt (after the review) does not count.
		await attempt(w.db, w, di.id, [RIGHT_MATCH, pick(0)]);
		await attempt(w.db, w, di.id, [SWAPPED, pick(1)]);
		// Ed confused both, then left the class: not counted.
		await attempt(w.db, w, ed.id, [SWAPPED, pick(1)]);
		await w.db.deleteFrom('memberships').where('user_id', '=', ed.id).execute();

		const report = await classMisattribution(w.db, w.classId, { right: 'state', chosen: 'firms' });
		const id = Object.fromEntries(report.actors.map((a) => [a.slug, a.id]));
		expect(report.students).toBe(4);
		expect(report.pairs).toEqual([
			// Ana of Ana, Bo, Di (Cy left the matching blank)…
			{ right: id.firms, chosen: id.state, students: 1, of: 3 },
			// …and of all four (Cy was asked about the state in the choice question).
			{ right: id.state, chosen: id.firms, students: 1, of: 4 }
		]);
		expect(report.answers).toEqual([
			{
				attemptId: anas,
				userId: ana.id,
				student: 'Ana',
				assignment: 'Who wants what',
				prompt: 'Match.',
				answered: 'Wants it → Firms',
				expected: 'Wants it → The state'
			},
			{
				attemptId: anas,
				userId: ana.id,
				student: 'Ana',
				assignment: 'Who wants what',
				prompt: 'Who wants it?',
				answered: 'Firms',
				expected: 'The state'
			}
		]);
	});

	test('the page: the sentence, the matrix, the answers behind a pair, the empty state', async () => {
		const w = await world();
		useDatabase(await testHandle());
		const teacher = asSessionUser(w.teacher);
		const load = (path = '') =>
			outcome(
				page.load,
				fakeEvent({
					user: teacher,
					params: { class: String(w.classId) },
					path: `/classes/${w.classId}/misattribution${path}`
				})
			);
		const empty = (await load()).data as PageData;
		expect([empty.students, empty.confusions, empty.matrix.rows]).toEqual([0, [], []]);

		const ana = await newUser(w.db, { name: 'Ana' });
		const bo = await newUser(w.db, { name: 'Bo' });
		for (const u of [ana, bo]) await newMember(w.db, w.classId, u.id);
		const anas = await attempt(w.db, w, ana.id, [SWAPPED, pick(0)]);
		await attempt(w.db, w, bo.id, [RIGHT_MATCH, pick(0)]);

		const data = (await load('?right=firms&chosen=state')).data as PageData;
		expect(data.confusions.map((c) => c.sentence)).toEqual([
			'Half of the students (1 of the 2 asked) attribute to Firms what the article says of A state.',
			'Half of the students (1 of the 2 asked) attribute to A state what the article says of Firms.'
		]);
		expect(data.confusions[1].href).toBe(
			`/classes/${w.classId}/misattribution?right=firms&chosen=state#answers`
		);
		expect(data.matrix.actors.map((a) => a.name)).toEqual(['State', 'Firms']);
		expect(data.matrix.rows[0].cells).toEqual([
			{ kind: 'self' },
			{
				kind: 'counted',
				students: 1,
				of: 2,
				share: 'half',
				level: 'most',
				href: `/classes/${w.classId}/misattribution?right=state&chosen=firms#answers`
			}
		]);
		expect(data.selected?.answers.map((a) => [a.student, a.answered, a.href])).toEqual([
			['Ana', 'Fears it → The state', `/classes/${w.classId}/attempts/${anas}`]
		]);
		// An unknown actor in the address: said so, not a 500.
		const odd = (await load('?right=nobody&chosen=state')).data as PageData;
		expect(odd.selected).toEqual({
			right: null,
			chosen: null,
			sentence: null,
			answerCount: 0,
			answers: []
		});
	});
});
