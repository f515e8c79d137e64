import { describe, expect, test } from 'vitest';
import {
	addQuizSlot,
	deleteQuiz,
	listCourseQuizzes,
	moveQuizSlot,
	quizEditor,
	removeQuizSlot,
	saveQuiz
} from '../../src/lib/server/courses/authoring/index.ts';
import { questionPool, quizzesForClass } from '../../src/lib/server/quizzes/quizzes.ts';
import { useDatabase } from '../../src/lib/server/db/index.ts';
import { testDb, testHandle } from '../helpers/db.ts';
import { asSessionUser, fakeEvent, outcome } from '../helpers/kit.ts';
import {
	newClass,
	newCourse,
	newQuizAssignment,
	newUser,
	quizPackage
} from '../helpers/factories.ts';
import * as quizzesPage from '../../src/routes/author/courses/[course]/quizzes/+page.server.ts';
import * as quizPage from '../../src/routes/author/courses/[course]/quizzes/[quiz]/+page.server.ts';

/**
 * A teacher's course from quizPackage (actors state and firms; questions q-tf and q-mc of the
 * state, q-short and q-match of the firms, all citing ¶1), with q-short made to cite nothing
 * ("needs a citation"), and a new empty quiz.
 */
async function world() {
	const db = await testDb();
	const teacher = await newUser(db, { role: 'instructor', name: 'Teacher' });
	const course = await newCourse(db, { ownerId: teacher.id, pkg: quizPackage() });
	await db
		.updateTable('questions')
		.set({ cites: [] })
		.where('id', '=', course.question['q-short'])
		.execute();
	const actors = Object.fromEntries(
		(
			await db
				.selectFrom('actors')
				.select(['id', 'slug'])
				.where('course_id', '=', course.id)
				.execute()
		).map((a) => [a.slug, a.id])
	);
	const made = await saveQuiz(db, course.id, null, {
		slug: 'built',
		title: 'Built by hand',
		description: 'Two places.'
	});
	if (!made.ok) throw new Error(JSON.stringify(made.errors));
	return { db, teacher, course, actors, quizId: made.id };
}

describe('building a quiz', () => {
	test('a fixed question and a draw; what each gives, and what the bank cannot give', async () => {
		const w = await world();
		const q = w.course.question;
		expect(
			await addQuizSlot(w.db, w.course.id, w.quizId, { kind: 'question', questionId: q['q-mc'] })
		).toEqual({ ok: true, position: 1 });
		expect(
			await addQuizSlot(w.db, w.course.id, w.quizId, {
				kind: 'draw',
				actorId: w.actors.state,
				concernId: null,
				draw: 3
			})
		).toEqual({ ok: true, position: 2 });
		const editor = await quizEditor(w.db, w.course.id, w.quizId);
		expect(
			editor.slots.map((s) => [
				s.question?.externalId ?? 'draw',
				s.actor,
				s.draw,
				s.gets,
				s.available
			])
		).toEqual([
			['q-mc', null, 1, 1, 1],
			// The state has q-tf and q-mc; q-mc is fixed already, so one is left to draw.
			['draw', 'State', 3, 1, 1]
		]);
		expect(editor.questionCount).toBe(2);
		// The picker offers only questions that cite the article.
		expect(editor.bank.map((b) => b.externalId)).toEqual(['q-tf', 'q-mc', 'q-match']);
		expect(editor.uncited).toBe(1);
		expect(editor.bank.find((b) => b.externalId === 'q-mc')).toMatchObject({
			label: 'Does the state want it?',
			type: 'mc',
			actor: 'State',
			concern: null
		});
		// The class's assignment form lists it, with the count an attempt gets.
		const classId = (await newClass(w.db, w.course.id, { instructorId: w.teacher.id })).id;
		expect((await quizzesForClass(w.db, classId)).find((z) => z.id === w.quizId)).toMatchObject({
			title: 'Built by hand',
			questionCount: 2
		});
	});

	test('refused: a question twice, one that needs a citation, one of another course, bad draws', async () => {
		const w = await world();
		const q = w.course.question;
		const other = await newCourse(w.db, { pkg: quizPackage() });
		const add = (slot: Parameters<typeof addQuizSlot>[3]) =>
			addQuizSlot(w.db, w.course.id, w.quizId, slot);
		await add({ kind: 'question', questionId: q['q-tf'] });
		expect(await add({ kind: 'question', questionId: q['q-tf'] })).toEqual({
			ok: false,
			errors: { question: 'This question is in the quiz already.' }
		});
		expect(await add({ kind: 'question', questionId: q['q-short'] })).toMatchObject({
			ok: false,
			errors: { question: expect.stringMatching(/^This question needs a citation/) }
		});
		expect(await add({ kind: 'question', questionId: other.question['q-tf'] })).toMatchObject({
			ok: false,
			errors: { question: 'Choose a question of this course’s bank.' }
		});
		const [otherActor] = await w.db
			.selectFrom('actors')
			.select('id')
			.where('course_id', '=', other.id)
			.execute();
		expect(
			await add({ kind: 'draw', actorId: otherActor.id, concernId: null, draw: 1 })
		).toMatchObject({
			ok: false,
			errors: { actor: 'Choose an actor of this course.' }
		});
		expect(await add({ kind: 'draw', actorId: null, concernId: null, draw: 0 })).toMatchObject({
			ok: false,
			errors: { draw: 'Draw between 1 and 100 questions.' }
		});
		// Another course's quiz is not this course's to change.
		const [theirs] = await w.db
			.selectFrom('quizzes')
			.select('id')
			.where('course_id', '=', other.id)
			.execute();
		expect(
			await addQuizSlot(w.db, w.course.id, theirs.id, { kind: 'question', questionId: q['q-mc'] })
		).toEqual({
			ok: false,
			errors: { form: 'That quiz no longer exists.' }
		});
		expect((await quizEditor(w.db, w.course.id, w.quizId)).slots).toHaveLength(1);
	});

	test('a question that needs a citation is never drawn', async () => {
		const w = await world();
		const pool = await questionPool(w.db, w.course.id);
		expect(pool.map((p) => p.id).sort()).toEqual(
			[w.course.question['q-tf'], w.course.question['q-mc'], w.course.question['q-match']].sort()
		);
		// The firms' default quiz draws "all" the firms' questions: only q-match can come.
		const firms = (await listCourseQuizzes(w.db, w.course.id)).find(
			(z) => z.slug === 'actor-firms'
		);
		expect(firms?.questionCount).toBe(1);
	});

	test('places move and go, keeping their order 1..n', async () => {
		const w = await world();
		const q = w.course.question;
		for (const id of [q['q-tf'], q['q-mc'], q['q-match']])
			await addQuizSlot(w.db, w.course.id, w.quizId, { kind: 'question', questionId: id });
		const order = async () =>
			(await quizEditor(w.db, w.course.id, w.quizId)).slots.map((s) => [
				s.position,
				s.question?.externalId
			]);
		expect(await moveQuizSlot(w.db, w.course.id, w.quizId, 3, 'up')).toEqual({ ok: true });
		expect(await order()).toEqual([
			[1, 'q-tf'],
			[2, 'q-match'],
			[3, 'q-mc']
		]);
		expect(await moveQuizSlot(w.db, w.course.id, w.quizId, 1, 'up')).toEqual({
			ok: false,
			errors: { form: 'That place is already first.' }
		});
		expect(await removeQuizSlot(w.db, w.course.id, w.quizId, 1)).toEqual({ ok: true });
		expect(await order()).toEqual([
			[1, 'q-match'],
			[2, 'q-mc']
		]);
		expect(await removeQuizSlot(w.db, w.course.id, w.quizId, 5)).toEqual({
			ok: false,
			errors: { form: 'That place no longer exists.' }
		});
	});

	test('addresses are unique in a course; a quiz a class assigns cannot be deleted', async () => {
		const w = await world();
		expect(
			await saveQuiz(w.db, w.course.id, null, { slug: 'built', title: 'Again', description: '' })
		).toEqual({
			ok: false,
			errors: { slug: 'Another quiz of this course has this address: choose another.' }
		});
		const classId = (await newClass(w.db, w.course.id, { name: 'Civics A' })).id;
		const assignment = await newQuizAssignment(w.db, classId, w.quizId);
		expect(await deleteQuiz(w.db, w.course.id, w.quizId)).toEqual({
			ok: false,
			errors: {
				form: 'This quiz is assigned in the class “Civics A”, so it cannot be deleted: remove that assignment first.'
			}
		});
		expect(
			(await listCourseQuizzes(w.db, w.course.id)).find((z) => z.id === w.quizId)?.classes
		).toEqual(['Civics A']);
		await w.db.deleteFrom('assignments').where('id', '=', assignment).execute();
		await addQuizSlot(w.db, w.course.id, w.quizId, {
			kind: 'question',
			questionId: w.course.question['q-tf']
		});
		expect(await deleteQuiz(w.db, w.course.id, w.quizId)).toEqual({ ok: true });
		expect(
			await w.db
				.selectFrom('quiz_slots')
				.select('position')
				.where('quiz_id', '=', w.quizId)
				.execute()
		).toEqual([]);
		// The other quizzes keep positions 1..n.
		const positions = (await listCourseQuizzes(w.db, w.course.id)).map((z) => z.position);
		expect(positions).toEqual(positions.map((_, i) => i + 1));
	});
});

describe('the quiz pages', () => {
	test('the owner builds through the forms; field messages keep what was typed; others get 404', async () => {
		const w = await world();
		useDatabase(await testHandle());
		const owner = asSessionUser(w.teacher);
		const stranger = asSessionUser(await newUser(w.db, { role: 'instructor' }));
		const params = { course: w.course.slug, quiz: 'built' };
		const run = (fn: unknown, user = owner, form?: Record<string, string>, p = params) =>
			outcome(fn, fakeEvent({ user, params: p, form }));

		const added = await run(quizzesPage.actions.add, owner, { title: 'Who wants what, again' }, {
			course: w.course.slug
		} as typeof params);
		expect(added.outcome).toBe(303);
		const bad = await run(quizPage.actions.addDraw, owner, {
			actor: String(w.actors.firms),
			concern: '',
			draw: '101'
		});
		expect(bad.data).toMatchObject({
			status: 400,
			data: {
				action: 'addDraw',
				errors: { draw: 'Draw at most 100 questions.' },
				values: { actor: String(w.actors.firms), draw: '101' }
			}
		});
		const ok = await run(quizPage.actions.addDraw, owner, {
			actor: String(w.actors.firms),
			concern: '',
			draw: '4'
		});
		expect(ok.data).toEqual({ action: 'addDraw', saved: 'The draw was added.' });
		const page = (await run(quizPage.load)).data as Exclude<
			Awaited<ReturnType<typeof quizPage.load>>,
			void
		>;
		expect(page.slots.map((s) => [s.actor, s.draw, s.gets, s.available])).toEqual([
			['Firms', 4, 1, 1]
		]);

		for (const [fn, form] of [
			[quizPage.load, undefined],
			[quizPage.actions.addQuestion, { question: String(w.course.question['q-tf']) }],
			[quizPage.actions.delete, {}]
		] as const)
			expect((await run(fn, stranger, form)).outcome).toBe(404);
		expect(
			(await run(quizPage.load, owner, undefined, { ...params, quiz: 'no-such-quiz' })).outcome
		).toBe(404);
		expect((await quizEditor(w.db, w.course.id, w.quizId)).slots).toHaveLength(1);
	});
});
