import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';

// Which course content classes depend on. Class-side rows never cascade from course content
// (migration 0006 makes their foreign keys restrict): before content is dropped, the caller asks
// here and refuses with the names of the classes.
//
// A lesson is used by a class when the class assigns it, or when a member of a class taught from
// its course has progress on it; a question, when such a member has answered it as a lesson
// check, or when a quiz attempt in the class was given it. (Discussion anchors join these when
// they arrive.)

export interface ContentUse {
	kind: 'lesson' | 'question' | 'quiz';
	id: number;
	/** The lesson's or quiz's title, or the question's id in the package. */
	label: string;
	/** Names of the classes that use it, sorted. */
	classes: string[];
}

export async function classUseOfContent(
	db: Executor,
	items: { lessonIds?: number[]; questionIds?: number[] }
): Promise<ContentUse[]> {
	const lessonIds = items.lessonIds ?? [];
	const questionIds = items.questionIds ?? [];
	if (!lessonIds.length && !questionIds.length) return [];
	const { rows } = await sql<{
		kind: 'lesson' | 'question';
		id: number;
		label: string;
		classes: string[];
	}>`
		with uses as (
			select 'lesson' as kind, l.id, l.title as label, k.name as class_name
			from lessons l join assignments a on a.lesson_id = l.id join classes k on k.id = a.class_id
			where l.id = any(${lessonIds}::int[])
			union
			select 'lesson', l.id, l.title, k.name
			from lessons l
			join lesson_progress p on p.lesson_id = l.id
			join classes k on k.course_id = l.course_id
			join memberships m on m.class_id = k.id and m.user_id = p.user_id and m.role <> 'instructor'
			where l.id = any(${lessonIds}::int[])
			union
			select 'question', q.id, q.external_id, k.name
			from questions q
			join check_answers ca on ca.question_id = q.id
			join classes k on k.course_id = q.course_id
			join memberships m on m.class_id = k.id and m.user_id = ca.user_id and m.role <> 'instructor'
			where q.id = any(${questionIds}::int[])
			union
			select 'question', q.id, q.external_id, k.name
			from questions q
			join question_versions qv on qv.question_id = q.id
			join attempt_questions aq on aq.question_version_id = qv.id
			join attempts t on t.id = aq.attempt_id
			join classes k on k.id = t.class_id
			where q.id = any(${questionIds}::int[])
		)
		select kind, id, label, array_agg(distinct class_name order by class_name) as classes
		from uses group by kind, id, label
		order by kind, label`.execute(db);
	return rows;
}

/**
 * Names of the classes that use the lesson (assign it, or have members with progress on it),
 * sorted; empty when deleting it would take nothing from a class.
 */
export async function classesUsingLesson(db: Executor, lessonId: number): Promise<string[]> {
	const [use] = await classUseOfContent(db, { lessonIds: [lessonId] });
	return use?.classes ?? [];
}

/** "lesson “Who wants what” (Civics A, Civics B); question “q3” (Civics A)" */
export function describeUse(uses: ContentUse[]): string {
	return uses.map((u) => `${u.kind} “${u.label}” (${u.classes.join(', ')})`).join('; ');
}

/**
 * Removes what readers outside any class recorded against content about to be deleted (their
 * own "done" marks and check answers). Call it only after `classUseOfContent` found no class use,
 * in the same transaction as the delete: the restricting foreign keys refuse the delete otherwise.
 */
export async function forgetSelfStudy(
	db: Executor,
	items: { lessonIds?: number[]; questionIds?: number[] }
): Promise<void> {
	if (items.lessonIds?.length)
		await db.deleteFrom('lesson_progress').where('lesson_id', 'in', items.lessonIds).execute();
	if (items.questionIds?.length) {
		await db.deleteFrom('check_answers').where('question_id', 'in', items.questionIds).execute();
		// Versions no attempt was given (an attempt's versions make the question "used" above).
		await db
			.deleteFrom('question_versions')
			.where('question_id', 'in', items.questionIds)
			.execute();
	}
}
