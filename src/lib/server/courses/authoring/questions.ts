/**
 * The question bank as instructors write it: list, add, change, duplicate and delete questions
 * of every type. Saving never touches an attempt already made (attempts point at
 * question_versions, see quizzes/attempts.ts); a change of the key is what a regrade is for
 * (quizzes/regrade.ts).
 */
import { sql } from 'kysely';
import { parseCitations } from '../../../citations/index.ts';
import {
	parseGift,
	serializeGift,
	type GiftAnswer,
	type GiftQuestion
} from '../../../gift/index.ts';
import { sameKey } from '../../../quiz/question-form.ts';
import type { Executor } from '../../db/index.ts';
import type { QuestionType } from '../../db/types.ts';
import { classUseOfContent, describeUse } from '../../classes/usage.ts';
import { storedAnswer } from '../questions.ts';
import { editCourse } from './publish.ts';
import {
	failed,
	gone,
	hasErrors,
	paragraphCount,
	touchCourse,
	type Deleted,
	type FieldErrors,
	type Saved
} from './shared.ts';
import { checkCites, checkProse, slugify } from './text.ts';

export interface QuestionInput {
	/** The id lessons and packages know it by; made from the title or prompt when null. */
	externalId: string | null;
	title: string | null;
	prompt: string;
	answer: GiftAnswer;
	explanation: string | null;
	/** The paragraphs that answer it; none = "needs a citation". */
	cites: number[];
	actorId: number | null;
	concernId: number | null;
	points: number;
}

export interface BankQuestion extends QuestionInput {
	id: number;
	position: number;
	externalId: string;
	type: QuestionType;
	actorName: string | null;
	concernLabel: string | null;
	/** Titles of the quizzes that name it in a fixed slot. */
	quizzes: string[];
	/** Attempts that were given a version of it. */
	attempts: number;
}

export const needsCitation = (q: Pick<QuestionInput, 'cites'>) => q.cites.length === 0;

/** An id as the package writes it: letters, digits, `_ . -`, starting with a letter or digit. */
const EXTERNAL_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function bankQuery(db: Executor, courseId: number) {
	return db
		.selectFrom('questions as q')
		.leftJoin('actors as a', 'a.id', 'q.actor_id')
		.leftJoin('concerns as c', 'c.id', 'q.concern_id')
		.select([
			'q.id',
			'q.position',
			'q.external_id as externalId',
			'q.type',
			'q.title',
			'q.prompt',
			'q.data',
			'q.explanation',
			'q.cites',
			'q.actor_id as actorId',
			'q.concern_id as concernId',
			'q.points',
			'a.name as actorName',
			'c.label as concernLabel'
		])
		.select((eb) => [
			eb
				.selectFrom('quiz_slots as s')
				.innerJoin('quizzes as z', 'z.id', 's.quiz_id')
				.select(sql<string[]>`coalesce(array_agg(distinct z.title order by z.title), '{}')`.as('t'))
				.whereRef('s.question_id', '=', 'q.id')
				.as('quizzes'),
			eb
				.selectFrom('question_versions as qv')
				.innerJoin('attempt_questions as aq', 'aq.question_version_id', 'qv.id')
				.select(sql<number>`count(*)::int`.as('n'))
				.whereRef('qv.question_id', '=', 'q.id')
				.as('attempts')
		])
		.where('q.course_id', '=', courseId);
}

type BankRow = Awaited<ReturnType<ReturnType<typeof bankQuery>['execute']>>[number];

function toBankQuestion(r: BankRow): BankQuestion {
	return {
		id: r.id,
		position: r.position,
		externalId: r.externalId,
		type: r.type,
		title: r.title,
		prompt: r.prompt,
		answer: storedAnswer(r.type, r.data),
		explanation: r.explanation,
		cites: r.cites,
		actorId: r.actorId,
		concernId: r.concernId,
		points: Number(r.points),
		actorName: r.actorName,
		concernLabel: r.concernLabel,
		quizzes: r.quizzes ?? [],
		attempts: Number(r.attempts ?? 0)
	};
}

/** The course's bank in order, with each question's tags and where it is used: one query. */
export async function listBank(db: Executor, courseId: number): Promise<BankQuestion[]> {
	const rows = await bankQuery(db, courseId).orderBy('q.position').execute();
	return rows.map(toBankQuestion);
}

export async function findBankQuestion(
	db: Executor,
	courseId: number,
	questionId: number
): Promise<BankQuestion | undefined> {
	const row = await bankQuery(db, courseId).where('q.id', '=', questionId).executeTakeFirst();
	return row && toBankQuestion(row);
}

/** A free external id: `base`, else `base-2`, `base-3`… */
async function freeExternalId(db: Executor, courseId: number, base: string): Promise<string> {
	const rows = await db
		.selectFrom('questions')
		.select('external_id')
		.where('course_id', '=', courseId)
		.where((eb) =>
			eb.or([
				eb('external_id', '=', base),
				eb('external_id', 'like', `${base.replace(/[%_\\]/g, '\\$&')}-%`)
			])
		)
		.execute();
	const taken = new Set(rows.map((r) => r.external_id));
	if (!taken.has(base)) return base;
	for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

function baseId(input: Pick<QuestionInput, 'title' | 'prompt'>): string {
	const words = slugify(input.title ?? input.prompt, 40);
	return `q-${words || 'question'}`;
}

/** As the package file would hold it; the export must read back the same (no GIFT limit hit). */
function asGift(externalId: string, input: QuestionInput): GiftQuestion {
	return {
		id: externalId,
		actor: null,
		concern: null,
		category: null,
		...(input.points === 1 ? {} : { points: input.points }),
		cites: input.cites,
		title: input.title,
		prompt: input.prompt,
		explanation: input.explanation,
		line: 2,
		...input.answer
	} as GiftQuestion;
}

/**
 * Adds (`questionId` null, last in the bank) or changes a question. Returns its id, and whether
 * the change alters the key of a question that attempts were already given (a regrade may be
 * due: the editor offers it).
 */
export async function saveQuestion(
	db: Executor,
	courseId: number,
	questionId: number | null,
	input: QuestionInput
): Promise<Saved<{ id: number; keyChanged: boolean; attempts: number }>> {
	return await editCourse(db, courseId, async (trx) => {
		const [count, before, tags] = await Promise.all([
			paragraphCount(trx, courseId),
			questionId === null ? undefined : findBankQuestion(trx, courseId, questionId),
			trx
				.selectFrom('actors')
				.select((eb) => [eb.val('actor').as('kind'), 'id'])
				.where('course_id', '=', courseId)
				.unionAll(
					trx
						.selectFrom('concerns')
						.select((eb) => [eb.val('concern').as('kind'), 'id'])
						.where('course_id', '=', courseId)
				)
				.execute()
		]);
		if (questionId !== null && !before) return gone('question');
		const errors: FieldErrors = {};
		const has = (kind: string, id: number) => tags.some((t) => t.kind === kind && t.id === id);
		if (input.actorId !== null && !has('actor', input.actorId))
			errors.actor = 'That actor is not in this course any more.';
		if (input.concernId !== null && !has('concern', input.concernId))
			errors.concern = 'That concern is not in this course any more.';
		checkCites(errors, 'cites', input.cites, count);
		checkProse(errors, 'explanation', input.explanation, count);
		if (input.cites.length) {
			if (!input.explanation)
				errors.explanation =
					'Explain the answer, citing the paragraph that gives it, e.g. “Russia proposed it [¶1].”';
			else if (!parseCitations(input.explanation).length)
				errors.explanation ??= 'Cite the paragraph that gives the answer, e.g. [¶2].';
		}
		let externalId = input.externalId;
		if (externalId !== null) {
			if (!EXTERNAL_ID.test(externalId) || externalId.length > 80)
				errors.externalId = 'Use letters, digits, “-”, “_” and “.”, e.g. q-us-why (at most 80).';
			else {
				const clash = await trx
					.selectFrom('questions')
					.select('id')
					.where('course_id', '=', courseId)
					.where('external_id', '=', externalId)
					.where('id', '!=', questionId ?? 0)
					.executeTakeFirst();
				if (clash) errors.externalId = `Another question already has the id “${externalId}”.`;
			}
		}
		if (hasErrors(errors)) return failed(errors);
		externalId ??= before?.externalId ?? (await freeExternalId(trx, courseId, baseId(input)));

		// What the file format cannot write would make the course fail to export: refuse it here,
		// where the author can still see which question it is.
		const round = parseGift(serializeGift([asGift(externalId, input)]));
		if (round.errors.length || round.questions.length !== 1)
			return failed({
				form: `This question cannot be written to a course file: ${round.errors[0]?.message ?? 'it reads back differently'}.`
			});

		const row = {
			external_id: externalId,
			type: input.answer.type,
			title: input.title,
			prompt: input.prompt,
			data: JSON.stringify(answerData(input.answer)),
			explanation: input.explanation,
			cites: input.cites,
			actor_id: input.actorId,
			concern_id: input.concernId,
			points: input.points
		};
		let id: number;
		if (before) {
			await trx.updateTable('questions').set(row).where('id', '=', before.id).execute();
			id = before.id;
			// Lessons name their check questions by id: follow a renamed one.
			if (externalId !== before.externalId)
				await trx
					.updateTable('lessons')
					.set({ check_ids: sql`array_replace(check_ids, ${before.externalId}, ${externalId})` })
					.where('course_id', '=', courseId)
					.execute();
		} else {
			const inserted = await trx
				.insertInto('questions')
				.values({
					...row,
					course_id: courseId,
					position: sql<number>`(select coalesce(max(position), 0) + 1 from questions where course_id = ${courseId})`
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			id = inserted.id;
		}
		await touchCourse(trx, courseId);
		const keyChanged =
			!!before && (before.points !== input.points || !sameKey(before.answer, input.answer));
		return { ok: true as const, id, keyChanged, attempts: before?.attempts ?? 0 };
	});
}

function answerData(answer: GiftAnswer): Record<string, unknown> {
	const { type: _type, ...rest } = answer;
	return rest;
}

/** A copy of the question, last in the bank, titled "… (copy)", with a free id. */
export async function duplicateQuestion(
	db: Executor,
	courseId: number,
	questionId: number
): Promise<Saved<{ id: number }>> {
	const q = await findBankQuestion(db, courseId, questionId);
	if (!q) return gone('question');
	const title = `${q.title ?? q.prompt.slice(0, 60)} (copy)`;
	const saved = await saveQuestion(db, courseId, null, {
		...q,
		externalId: await freeExternalId(db, courseId, `${q.externalId}-copy`),
		title
	});
	return saved.ok ? { ok: true as const, id: saved.id } : saved;
}

/**
 * Deletes a question no class depends on. Refused, naming them, when students have answered it
 * (in a quiz or as a lesson check) or a lesson uses it as a check; quiz slots that name it go.
 */
export async function deleteQuestion(
	db: Executor,
	courseId: number,
	questionId: number
): Promise<Deleted> {
	return await editCourse(db, courseId, async (trx) => {
		const q = await trx
			.selectFrom('questions')
			.select(['id', 'external_id', 'position'])
			.where('id', '=', questionId)
			.where('course_id', '=', courseId)
			.forUpdate()
			.executeTakeFirst();
		if (!q) return gone('question');
		const [uses, lessons] = await Promise.all([
			classUseOfContent(trx, { questionIds: [q.id] }),
			trx
				.selectFrom('lessons')
				.select('title')
				.where('course_id', '=', courseId)
				.where(sql<boolean>`${q.external_id} = any(check_ids)`)
				.orderBy('position')
				.execute()
		]);
		if (uses.length)
			return failed({
				form: `Students have answered this question (${describeUse(uses)}), so it stays: their attempts and progress rest on it. Edit it instead.`
			});
		if (lessons.length)
			return failed({
				form: `The lesson${lessons.length > 1 ? 's' : ''} ${lessons.map((l) => `“${l.title}”`).join(', ')} use${lessons.length > 1 ? '' : 's'} it as a check: take it out there first.`
			});
		// What is left of it belongs to no class: answers by people outside the course's classes,
		// and versions no attempt points at any more (their attempts went with their class).
		await trx.deleteFrom('check_answers').where('question_id', '=', q.id).execute();
		await sql`delete from question_versions qv where qv.question_id = ${q.id}
			and not exists (select 1 from attempt_questions aq where aq.question_version_id = qv.id)`.execute(
			trx
		);
		await trx.deleteFrom('questions').where('id', '=', q.id).execute();
		await trx
			.updateTable('questions')
			.set({ position: sql`position - 1` })
			.where('course_id', '=', courseId)
			.where('position', '>', q.position)
			.execute();
		await touchCourse(trx, courseId);
		return { ok: true as const };
	});
}
