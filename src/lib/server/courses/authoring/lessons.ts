/** The lessons of a course, in reading order. */
import { classUseOfContent, forgetSelfStudy } from '../../classes/usage.ts';
import { parseCitations } from '../../../citations/index.ts';
import type { Executor } from '../../db/index.ts';
import { editCourse } from './publish.ts';
import {
	deletePositioned,
	failed,
	gone,
	hasErrors,
	paragraphCount,
	slugClash,
	touchCourse,
	upsertItem,
	type Changed,
	type Deleted,
	type FieldErrors,
	type Saved
} from './shared.ts';
import { checkProse, citationProblem } from './text.ts';

export interface LessonInput {
	slug: string;
	title: string;
	summary: string;
	/** Slugs of the actors the lesson is about. */
	actors: string[];
	keyPoints: string[];
	/** External ids of questions asked as "check your understanding". */
	check: string[];
	body: string;
}

export interface LessonListItem {
	id: number;
	position: number;
	slug: string;
	title: string;
	summary: string;
	/** False while the body cites no paragraph, which publishing refuses. */
	cites: boolean;
}

export async function listLessons(db: Executor, courseId: number): Promise<LessonListItem[]> {
	const rows = await db
		.selectFrom('lessons')
		.select(['id', 'position', 'slug', 'title', 'summary', 'body'])
		.where('course_id', '=', courseId)
		.orderBy('position')
		.execute();
	return rows.map(({ body, ...l }) => ({ ...l, cites: parseCitations(body).length > 0 }));
}

export interface Lesson extends LessonInput {
	id: number;
	position: number;
}

export async function findLesson(
	db: Executor,
	courseId: number,
	slug: string
): Promise<Lesson | undefined> {
	return await db
		.selectFrom('lessons')
		.select([
			'id',
			'position',
			'slug',
			'title',
			'summary',
			'body',
			'actor_slugs as actors',
			'key_points as keyPoints',
			'check_ids as check'
		])
		.where('course_id', '=', courseId)
		.where('slug', '=', slug)
		.executeTakeFirst();
}

/** The ids lessons can name as check questions (written under Questions, or imported). */
export async function listQuestionIds(db: Executor, courseId: number): Promise<string[]> {
	const rows = await db
		.selectFrom('questions')
		.select('external_id')
		.where('course_id', '=', courseId)
		.orderBy('position')
		.execute();
	return rows.map((r) => r.external_id);
}

/** Adds (`lessonId` null, as the last lesson) or changes a lesson. */
export async function saveLesson(
	db: Executor,
	courseId: number,
	lessonId: number | null,
	input: LessonInput
): Promise<Saved<{ id: number; slug: string }>> {
	return await editCourse(db, courseId, async (trx) => {
		const [count, clash, actorRows, questionIds] = await Promise.all([
			paragraphCount(trx, courseId),
			slugClash(trx, 'lessons', courseId, lessonId, input.slug),
			trx.selectFrom('actors').select('slug').where('course_id', '=', courseId).execute(),
			listQuestionIds(trx, courseId)
		]);
		const errors: FieldErrors = {};
		if (clash) errors.slug = `Another lesson already has the address “${input.slug}”.`;
		const actorSlugs = new Set(actorRows.map((a) => a.slug));
		const unknownActor = input.actors.find((a) => !actorSlugs.has(a));
		if (unknownActor) errors.actors = `There is no actor “${unknownActor}” in this course.`;
		const unknownQuestion = input.check.filter((id) => !questionIds.includes(id));
		if (unknownQuestion.length)
			errors.check = questionIds.length
				? `No question ${unknownQuestion.map((q) => `“${q}”`).join(', ')} in this course; its questions are ${questionIds.join(', ')}.`
				: 'This course has no questions yet (write them under Questions): leave this empty.';
		checkProse(errors, 'summary', input.summary, count);
		input.keyPoints.forEach((point, i) => {
			const problem = errors.keyPoints ? undefined : citationProblem(point, count);
			if (problem) errors.keyPoints = `Point ${i + 1}: ${problem}`;
		});
		checkProse(errors, 'body', input.body, count);
		if (hasErrors(errors)) return failed(errors);

		const id = await upsertItem(trx, 'lessons', courseId, lessonId, {
			slug: input.slug,
			title: input.title,
			summary: input.summary,
			body: input.body,
			key_points: input.keyPoints,
			actor_slugs: input.actors,
			check_ids: input.check
		});
		if (id === undefined) return gone('lesson');
		return { ok: true as const, id, slug: input.slug };
	});
}

/** The names of the classes with an assignment of the lesson, in name order. */
export async function classesAssigningLesson(db: Executor, lessonId: number): Promise<string[]> {
	const rows = await db
		.selectFrom('assignments as a')
		.innerJoin('classes as c', 'c.id', 'a.class_id')
		.select('c.name')
		.distinct()
		.where('a.lesson_id', '=', lessonId)
		.orderBy('c.name')
		.execute();
	return rows.map((r) => r.name);
}

const quoted = (names: string[]) => {
	const q = names.map((n) => `“${n}”`);
	return q.length > 1 ? `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}` : q[0];
};

/**
 * Deletes a lesson, unless a class has assigned it: the class's assignment and its students'
 * progress would go with it, so the refusal names the classes to settle it with first.
 */
export async function deleteLesson(
	db: Executor,
	courseId: number,
	lessonId: number
): Promise<Deleted> {
	return await editCourse(db, courseId, async (trx) => {
		const classes = await classesAssigningLesson(trx, lessonId);
		if (classes.length)
			return failed({
				form:
					`This lesson is assigned in ${classes.length === 1 ? 'the class' : 'the classes'} ` +
					`${quoted(classes)}, so it cannot be deleted: remove ${classes.length === 1 ? 'that assignment' : 'those assignments'} first.`
			});
		// Students of a class taught from the course have read it: their progress stays.
		const [use] = await classUseOfContent(trx, { lessonIds: [lessonId] });
		if (use)
			return failed({
				form:
					`Students in ${use.classes.length === 1 ? 'the class' : 'the classes'} ` +
					`${quoted(use.classes)} have worked on this lesson, so it cannot be deleted: ` +
					'their progress would be lost. Edit it instead.'
			});
		await forgetSelfStudy(trx, { lessonIds: [lessonId] });
		return (await deletePositioned(trx, 'lessons', courseId, lessonId)) === undefined
			? gone('lesson')
			: { ok: true as const };
	});
}

/** Swaps a lesson with its neighbour; refused when it is already first (up) or last (down). */
export async function moveLesson(
	db: Executor,
	courseId: number,
	lessonId: number,
	direction: 'up' | 'down'
): Promise<Changed> {
	return await editCourse(db, courseId, async (trx) => {
		const lesson = await trx
			.selectFrom('lessons')
			.select('position')
			.where('id', '=', lessonId)
			.where('course_id', '=', courseId)
			.executeTakeFirst();
		if (!lesson) return gone('lesson');
		const target = lesson.position + (direction === 'up' ? -1 : 1);
		const neighbour = await trx
			.selectFrom('lessons')
			.select('id')
			.where('course_id', '=', courseId)
			.where('position', '=', target)
			.executeTakeFirst();
		if (!neighbour)
			return failed({ form: `The lesson is already ${direction === 'up' ? 'first' : 'last'}.` });
		await trx
			.updateTable('lessons')
			.set({ position: lesson.position })
			.where('id', '=', neighbour.id)
			.execute();
		await trx.updateTable('lessons').set({ position: target }).where('id', '=', lessonId).execute();
		await touchCourse(trx, courseId);
		return { ok: true as const };
	});
}
