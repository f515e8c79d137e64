/**
 * The quizzes of a course: a title, a description and an address, and a list of slots, each a
 * fixed question of the bank or "draw N at random" by actor and/or concern. How a quiz runs in a
 * class (attempts, time limit, review) is its assignment's. Quizzes are not part of the package
 * files, so an edit needs no package check (editCourse): it is atomic and touches the course.
 * A question that cites no paragraph ("needs a citation") can be neither picked nor drawn.
 */
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Executor } from '../../db/index.ts';
import type { QuestionType } from '../../db/types.ts';
import { slotYields, type PoolQuestion, type QuizSlot } from '../../../quiz/draw.ts';
import {
	atomically,
	closeGap,
	failed,
	gone,
	isUniqueViolation,
	slugClash,
	touchCourse,
	upsertItem,
	type Changed,
	type Deleted,
	type Saved
} from './shared.ts';

/** The most slots a quiz has (each draw gives at most 100 questions already). */
export const MAX_QUIZ_SLOTS = 50;
export const MAX_DRAW = 100;

export interface QuizInput {
	slug: string;
	title: string;
	description: string;
}

export interface AuthorQuiz extends QuizInput {
	id: number;
	position: number;
}

export interface AuthorQuizSummary extends AuthorQuiz {
	slots: number;
	/** How many questions an attempt gets, as far as the bank allows. */
	questionCount: number;
	/** Names of the classes that assign it. */
	classes: string[];
}

/** A question of the bank as the quiz editor shows it. */
export interface PickableQuestion {
	id: number;
	/** The package id (e.g. q-who-proposed). */
	externalId: string;
	/** The question's title, or the opening of its prompt. */
	label: string;
	type: QuestionType;
	actorId: number | null;
	actor: string | null;
	concernId: number | null;
	concern: string | null;
	cited: boolean;
}

export interface SlotView {
	position: number;
	/** The fixed question, or null for a draw. */
	question: PickableQuestion | null;
	actorId: number | null;
	actor: string | null;
	concernId: number | null;
	concern: string | null;
	draw: number;
	/** How many questions the slot gives an attempt, and how many the bank has for it. */
	gets: number;
	available: number;
}

export interface QuizEditor {
	slots: SlotView[];
	questionCount: number;
	/** The questions that can be picked (they cite the article), in bank order. */
	bank: PickableQuestion[];
	/** How many questions of the bank need a citation before they can be picked or drawn. */
	uncited: number;
	actors: { id: number; name: string }[];
	concerns: { id: number; label: string }[];
	classes: string[];
}

const TYPE_WORDS: Record<QuestionType, string> = {
	mc: 'single choice',
	multi: 'multiple response',
	tf: 'true or false',
	short: 'short answer',
	matching: 'matching',
	numerical: 'number',
	ordering: 'ordering'
};

/** A question type in words ("single choice"). */
export const questionTypeWords = (t: QuestionType) => TYPE_WORDS[t];

/** A prompt's opening as plain text: no citations or Markdown marks, at most `max` characters. */
export function promptOpening(prompt: string, max = 90): string {
	const text = prompt
		.replace(/\[¶[^\]]*\]/g, '')
		.replace(/[*_`#>[\]]/g, '')
		.replace(/\s+/g, ' ')
		.trim();
	return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/** The course's questions with their actor and concern, in bank order. One query. */
async function listPickable(db: Executor, courseId: number): Promise<PickableQuestion[]> {
	const rows = await db
		.selectFrom('questions as q')
		.leftJoin('actors as a', 'a.id', 'q.actor_id')
		.leftJoin('concerns as c', 'c.id', 'q.concern_id')
		.select([
			'q.id',
			'q.external_id as externalId',
			'q.title',
			'q.prompt',
			'q.type',
			'q.actor_id as actorId',
			'a.short_name as actor',
			'q.concern_id as concernId',
			'c.label as concern',
			sql<boolean>`q.cites <> '{}'`.as('cited')
		])
		.where('q.course_id', '=', courseId)
		.orderBy('q.position')
		.execute();
	return rows.map(({ title, prompt, ...r }) => ({
		...r,
		label: title?.trim() || promptOpening(prompt)
	}));
}

const pool = (bank: PickableQuestion[]): PoolQuestion[] =>
	bank
		.filter((q) => q.cited)
		.map((q) => ({ id: q.id, actorId: q.actorId, concernId: q.concernId }));

/** The quizzes of a course, in order, with their slots, question count and classes. Three queries. */
export async function listCourseQuizzes(
	db: Executor,
	courseId: number
): Promise<AuthorQuizSummary[]> {
	const [quizzes, slots, bank] = await Promise.all([
		db
			.selectFrom('quizzes as z')
			.select((eb) => [
				'z.id',
				'z.position',
				'z.slug',
				'z.title',
				'z.description',
				jsonArrayFrom(
					eb
						.selectFrom('classes as k')
						.select('k.name')
						.where((w) =>
							w.exists(
								w
									.selectFrom('assignments as s')
									.select('s.id')
									.whereRef('s.class_id', '=', 'k.id')
									.whereRef('s.quiz_id', '=', 'z.id')
							)
						)
						.orderBy('k.name')
				).as('classes')
			])
			.where('z.course_id', '=', courseId)
			.orderBy('z.position')
			.execute(),
		slotsOfCourse(db, courseId),
		listPickable(db, courseId)
	]);
	const p = pool(bank);
	return quizzes.map((z) => {
		const own = slots.get(z.id) ?? [];
		return {
			id: z.id,
			position: z.position,
			slug: z.slug,
			title: z.title,
			description: z.description,
			slots: own.length,
			questionCount: slotYields(own, p).reduce((n, s) => n + s.gets, 0),
			classes: z.classes.map((c) => c.name)
		};
	});
}

async function slotsOfCourse(db: Executor, courseId: number): Promise<Map<number, QuizSlot[]>> {
	const rows = await db
		.selectFrom('quiz_slots as s')
		.innerJoin('quizzes as z', 'z.id', 's.quiz_id')
		.select([
			's.quiz_id as quizId',
			's.position',
			's.question_id as questionId',
			's.actor_id as actorId',
			's.concern_id as concernId',
			's.draw'
		])
		.where('z.course_id', '=', courseId)
		.orderBy('s.quiz_id')
		.orderBy('s.position')
		.execute();
	const out = new Map<number, QuizSlot[]>();
	for (const { quizId, ...slot } of rows) {
		const list = out.get(quizId) ?? [];
		list.push(slot);
		out.set(quizId, list);
	}
	return out;
}

/** One quiz of the course by its address, or undefined. */
export async function findCourseQuiz(
	db: Executor,
	courseId: number,
	slug: string
): Promise<AuthorQuiz | undefined> {
	return await db
		.selectFrom('quizzes')
		.select(['id', 'position', 'slug', 'title', 'description'])
		.where('course_id', '=', courseId)
		.where('slug', '=', slug)
		.executeTakeFirst();
}

/** Everything the quiz editor shows: its slots, what each gives, the bank to pick from. */
export async function quizEditor(
	db: Executor,
	courseId: number,
	quizId: number
): Promise<QuizEditor> {
	const [slots, bank, actors, concerns, classes] = await Promise.all([
		db
			.selectFrom('quiz_slots')
			.select([
				'position',
				'question_id as questionId',
				'actor_id as actorId',
				'concern_id as concernId',
				'draw'
			])
			.where('quiz_id', '=', quizId)
			.orderBy('position')
			.execute(),
		listPickable(db, courseId),
		db
			.selectFrom('actors')
			.select(['id', 'short_name as name'])
			.where('course_id', '=', courseId)
			.orderBy('position')
			.execute(),
		db
			.selectFrom('concerns')
			.select(['id', 'label'])
			.where('course_id', '=', courseId)
			.orderBy('position')
			.execute(),
		classesAssigningQuiz(db, quizId)
	]);
	const yields = new Map(slotYields(slots, pool(bank)).map((y) => [y.position, y]));
	const byId = new Map(bank.map((q) => [q.id, q]));
	const actorName = new Map(actors.map((a) => [a.id, a.name]));
	const concernLabel = new Map(concerns.map((c) => [c.id, c.label]));
	const views = slots.map((s) => ({
		position: s.position,
		question: s.questionId === null ? null : (byId.get(s.questionId) ?? null),
		actorId: s.actorId,
		actor: s.actorId === null ? null : (actorName.get(s.actorId) ?? null),
		concernId: s.concernId,
		concern: s.concernId === null ? null : (concernLabel.get(s.concernId) ?? null),
		draw: s.draw,
		gets: yields.get(s.position)?.gets ?? 0,
		available: yields.get(s.position)?.available ?? 0
	}));
	return {
		slots: views,
		questionCount: views.reduce((n, s) => n + s.gets, 0),
		bank: bank.filter((q) => q.cited),
		uncited: bank.filter((q) => !q.cited).length,
		actors,
		concerns,
		classes
	};
}

/** Names of the classes that assign a quiz. */
export async function classesAssigningQuiz(db: Executor, quizId: number): Promise<string[]> {
	const rows = await db
		.selectFrom('classes as k')
		.select('k.name')
		.where((w) =>
			w.exists(
				w
					.selectFrom('assignments as s')
					.select('s.id')
					.whereRef('s.class_id', '=', 'k.id')
					.where('s.quiz_id', '=', quizId)
			)
		)
		.orderBy('k.name')
		.execute();
	return rows.map((r) => r.name);
}

/** Creates a quiz (last in the course) or changes one's title, description and address. */
export async function saveQuiz(
	db: Executor,
	courseId: number,
	quizId: number | null,
	input: QuizInput
): Promise<Saved<{ id: number; slug: string }>> {
	const clash = failed({ slug: 'Another quiz of this course has this address: choose another.' });
	try {
		return await atomically(db, async (trx) => {
			if (await slugClash(trx, 'quizzes', courseId, quizId, input.slug)) return clash;
			const id = await upsertItem(trx, 'quizzes', courseId, quizId, {
				slug: input.slug,
				title: input.title,
				description: input.description
			});
			return id === undefined ? gone('quiz') : { ok: true as const, id, slug: input.slug };
		});
	} catch (e) {
		// Two saves with one new address at once: the unique key settles it.
		if (isUniqueViolation(e)) return clash;
		throw e;
	}
}

export type SlotInput =
	| { kind: 'question'; questionId: number }
	| { kind: 'draw'; actorId: number | null; concernId: number | null; draw: number };

/** The quiz row, locked for the change, if it belongs to the course. */
async function lockQuiz(db: Executor, courseId: number, quizId: number) {
	return await db
		.selectFrom('quizzes')
		.select('id')
		.where('id', '=', quizId)
		.where('course_id', '=', courseId)
		.forUpdate()
		.executeTakeFirst();
}

/** Adds a slot at the end of a quiz: a question of the bank that cites the article, or a draw. */
export async function addQuizSlot(
	db: Executor,
	courseId: number,
	quizId: number,
	slot: SlotInput
): Promise<Saved<{ position: number }>> {
	return await atomically(db, async (trx) => {
		if (!(await lockQuiz(trx, courseId, quizId))) return gone('quiz');
		const slots = await trx
			.selectFrom('quiz_slots')
			.select(['position', 'question_id as questionId'])
			.where('quiz_id', '=', quizId)
			.execute();
		if (slots.length >= MAX_QUIZ_SLOTS)
			return failed({
				form: `A quiz has at most ${MAX_QUIZ_SLOTS} places: remove one, or draw several questions in one place.`
			});
		let values: {
			question_id: number | null;
			actor_id: number | null;
			concern_id: number | null;
			draw: number;
		};
		if (slot.kind === 'question') {
			const q = await trx
				.selectFrom('questions')
				.select(['id', sql<boolean>`cites <> '{}'`.as('cited')])
				.where('id', '=', slot.questionId)
				.where('course_id', '=', courseId)
				.executeTakeFirst();
			if (!q) return failed({ question: 'Choose a question of this course’s bank.' });
			if (!q.cited)
				return failed({
					question:
						'This question needs a citation before it can be in a quiz: cite the paragraph it asks about.'
				});
			if (slots.some((s) => s.questionId === q.id))
				return failed({ question: 'This question is in the quiz already.' });
			values = { question_id: q.id, actor_id: null, concern_id: null, draw: 1 };
		} else {
			if (!Number.isInteger(slot.draw) || slot.draw < 1 || slot.draw > MAX_DRAW)
				return failed({ draw: `Draw between 1 and ${MAX_DRAW} questions.` });
			const [actor, concern] = await Promise.all([
				slot.actorId === null
					? null
					: trx
							.selectFrom('actors')
							.select('id')
							.where('id', '=', slot.actorId)
							.where('course_id', '=', courseId)
							.executeTakeFirst(),
				slot.concernId === null
					? null
					: trx
							.selectFrom('concerns')
							.select('id')
							.where('id', '=', slot.concernId)
							.where('course_id', '=', courseId)
							.executeTakeFirst()
			]);
			if (actor === undefined) return failed({ actor: 'Choose an actor of this course.' });
			if (concern === undefined) return failed({ concern: 'Choose a concern of this course.' });
			values = {
				question_id: null,
				actor_id: slot.actorId,
				concern_id: slot.concernId,
				draw: slot.draw
			};
		}
		const position = slots.reduce((n, s) => Math.max(n, s.position), 0) + 1;
		await trx
			.insertInto('quiz_slots')
			.values({ quiz_id: quizId, position, ...values })
			.execute();
		await touchCourse(trx, courseId);
		return { ok: true as const, position };
	});
}

/** Swaps a slot with its neighbour; refused when it is already first (up) or last (down). */
export async function moveQuizSlot(
	db: Executor,
	courseId: number,
	quizId: number,
	position: number,
	direction: 'up' | 'down'
): Promise<Changed> {
	return await atomically(db, async (trx) => {
		if (!(await lockQuiz(trx, courseId, quizId))) return gone('quiz');
		const positions = (
			await trx.selectFrom('quiz_slots').select('position').where('quiz_id', '=', quizId).execute()
		).map((r) => r.position);
		if (!positions.includes(position)) return gone('place');
		const target = direction === 'up' ? position - 1 : position + 1;
		if (!positions.includes(target))
			return failed({ form: `That place is already ${direction === 'up' ? 'first' : 'last'}.` });
		// The key is (quiz, position): the moving slot waits at 0 while its neighbour moves.
		const at = (from: number, to: number) =>
			trx
				.updateTable('quiz_slots')
				.set({ position: to })
				.where('quiz_id', '=', quizId)
				.where('position', '=', from)
				.execute();
		await at(position, 0);
		await at(target, position);
		await at(0, target);
		await touchCourse(trx, courseId);
		return { ok: true as const };
	});
}

/** Removes a slot; the later ones move up. */
export async function removeQuizSlot(
	db: Executor,
	courseId: number,
	quizId: number,
	position: number
): Promise<Changed> {
	return await atomically(db, async (trx) => {
		if (!(await lockQuiz(trx, courseId, quizId))) return gone('quiz');
		const removed = await trx
			.deleteFrom('quiz_slots')
			.where('quiz_id', '=', quizId)
			.where('position', '=', position)
			.executeTakeFirst();
		if (!Number(removed.numDeletedRows)) return gone('place');
		// The key is (quiz, position), checked row by row: the later slots go through negative
		// positions so that none lands on a neighbour still in place.
		await sql`update quiz_slots set position = -(position - 1)
			where quiz_id = ${quizId} and position > ${position}`.execute(trx);
		await sql`update quiz_slots set position = -position
			where quiz_id = ${quizId} and position < 0`.execute(trx);
		await touchCourse(trx, courseId);
		return { ok: true as const };
	});
}

const quoted = (names: string[]) => {
	const q = names.map((n) => `“${n}”`);
	return q.length > 1 ? `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}` : q[0];
};

/**
 * Deletes a quiz, unless a class assigns it (its assignment, attempts and grades hang on it):
 * the refusal names the classes. Attempts already made keep their questions either way.
 */
export async function deleteQuiz(db: Executor, courseId: number, quizId: number): Promise<Deleted> {
	const refusal = (classes: string[]) =>
		failed({
			form:
				`This quiz is assigned in ${classes.length === 1 ? 'the class' : 'the classes'} ` +
				`${quoted(classes)}, so it cannot be deleted: remove ${classes.length === 1 ? 'that assignment' : 'those assignments'} first.`
		});
	try {
		return await atomically(db, async (trx) => {
			// Locked: an assignment made meanwhile waits, then finds the quiz gone.
			if (!(await lockQuiz(trx, courseId, quizId))) return gone('quiz');
			const classes = await classesAssigningQuiz(trx, quizId);
			if (classes.length) return refusal(classes);
			const { rows } = await sql<{ position: number }>`
				delete from quizzes where id = ${quizId} and course_id = ${courseId}
				returning position`.execute(trx);
			if (!rows.length) return gone('quiz');
			await closeGap(trx, 'quizzes', courseId, rows[0].position);
			await touchCourse(trx, courseId);
			return { ok: true as const };
		});
	} catch (e) {
		// assignments.quiz_id restricts: the database's word, should the check above be outrun.
		if (typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23503')
			return refusal(await classesAssigningQuiz(db, quizId));
		throw e;
	}
}
