import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import { questionCount, type PoolQuestion, type QuizSlot } from '../../quiz/draw.ts';

// Quizzes are course content: a title and a list of slots (a fixed question, or N drawn from the
// bank by actor and/or concern). How a quiz runs in a class is its assignment's (settings.ts).

export interface QuizSummary {
	id: number;
	slug: string;
	title: string;
	description: string;
	/** How many questions an attempt gets, as far as the bank allows. */
	questionCount: number;
}

/** How many questions of one actor the mixed final draws. */
const FINAL_DRAW_PER_ACTOR = 2;

/**
 * Gives a course that has no quizzes yet one quiz per actor with questions (all of that actor's
 * questions, drawn in a new order for each attempt) and a mixed final, "Who is concerned about
 * what?", that draws two questions of each actor at random. Does nothing when the course has
 * quizzes (they may have been edited). Returns how many quizzes it created.
 */
export async function ensureDefaultQuizzes(db: Executor, courseId: number): Promise<number> {
	const has = await db
		.selectFrom('quizzes')
		.select('id')
		.where('course_id', '=', courseId)
		.limit(1)
		.executeTakeFirst();
	if (has) return 0;
	const actors = await db
		.selectFrom('actors as a')
		.select(['a.id', 'a.slug', 'a.name', 'a.position'])
		.select((eb) =>
			eb
				.selectFrom('questions as q')
				.select(sql<number>`count(*)::int`.as('n'))
				.whereRef('q.actor_id', '=', 'a.id')
				.where('q.cites', '!=', sql<number[]>`'{}'`)
				.as('questions')
		)
		.where('a.course_id', '=', courseId)
		.orderBy('a.position')
		.execute();
	const withQuestions = actors.filter((a) => Number(a.questions) > 0);
	if (!withQuestions.length) return 0;
	const quizzes = [
		...withQuestions.map((a) => ({
			slug: `actor-${a.slug}`,
			title: `${a.name}: what they want and fear`,
			description: `Questions on one actor, ${a.name}: what they want from the treaty and what they fear, in the article’s words.`,
			slots: [{ actor_id: a.id, draw: Number(a.questions) }]
		})),
		{
			slug: 'who-is-concerned-about-what',
			title: 'Who is concerned about what?',
			description:
				'A mixed quiz: questions on every actor, drawn at random from the bank for each attempt.',
			slots: withQuestions.map((a) => ({
				actor_id: a.id,
				draw: Math.min(FINAL_DRAW_PER_ACTOR, Number(a.questions))
			}))
		}
	];
	const rows = await db
		.insertInto('quizzes')
		.values(
			quizzes.map((q, i) => ({
				course_id: courseId,
				position: i + 1,
				slug: q.slug,
				title: q.title,
				description: q.description
			}))
		)
		.returning(['id', 'slug'])
		.execute();
	const idOf = new Map(rows.map((r) => [r.slug, r.id]));
	await db
		.insertInto('quiz_slots')
		.values(
			quizzes.flatMap((q) =>
				q.slots.map((s, i) => ({ quiz_id: idOf.get(q.slug)!, position: i + 1, ...s }))
			)
		)
		.execute();
	return rows.length;
}

/** The slots of some quizzes, by quiz id, in order. */
export async function quizSlots(db: Executor, quizIds: number[]): Promise<Map<number, QuizSlot[]>> {
	const out = new Map<number, QuizSlot[]>();
	if (!quizIds.length) return out;
	const rows = await db
		.selectFrom('quiz_slots')
		.select([
			'quiz_id as quizId',
			'position',
			'question_id as questionId',
			'actor_id as actorId',
			'concern_id as concernId',
			'draw'
		])
		.where('quiz_id', 'in', quizIds)
		.orderBy('quiz_id')
		.orderBy('position')
		.execute();
	for (const { quizId, ...slot } of rows) {
		const list = out.get(quizId) ?? [];
		list.push(slot);
		out.set(quizId, list);
	}
	return out;
}

/**
 * A course's questions as a draw sees them: id and tags. A question that cites no paragraph
 * ("needs a citation") is not in the pool: it is neither drawn nor given from a fixed slot.
 */
export async function questionPool(db: Executor, courseId: number): Promise<PoolQuestion[]> {
	return await db
		.selectFrom('questions')
		.select(['id', 'actor_id as actorId', 'concern_id as concernId'])
		.where('course_id', '=', courseId)
		.where('cites', '!=', sql<number[]>`'{}'`)
		.orderBy('position')
		.execute();
}

/** The quizzes of a course, in order, with how many questions each gives. Three queries. */
export async function listQuizzes(db: Executor, courseId: number): Promise<QuizSummary[]> {
	const quizzes = await db
		.selectFrom('quizzes')
		.select(['id', 'slug', 'title', 'description'])
		.where('course_id', '=', courseId)
		.orderBy('position')
		.execute();
	if (!quizzes.length) return [];
	const [slots, pool] = await Promise.all([
		quizSlots(
			db,
			quizzes.map((q) => q.id)
		),
		questionPool(db, courseId)
	]);
	return quizzes.map((q) => ({ ...q, questionCount: questionCount(slots.get(q.id) ?? [], pool) }));
}

/** The quizzes of a class's course, for the assignment form. */
export async function quizzesForClass(db: Executor, classId: number): Promise<QuizSummary[]> {
	const k = await db
		.selectFrom('classes')
		.select('course_id')
		.where('id', '=', classId)
		.executeTakeFirst();
	return k ? await listQuizzes(db, k.course_id) : [];
}
