import { sql, type QueryCreator } from 'kysely';
import type { Database } from '../db/types.ts';
import type { Executor } from '../db/index.ts';

/**
 * The one progress model for assignments. Every page that shows how a student stands on an
 * assignment (the dashboard, the class home, completion tables, later the gradebook) reads the
 * rows of `assignmentProgress`, whatever the kind. A new kind (quiz, discussion) adds one branch
 * to `completedAt`, `startedAt` and `score` below — not a new query per page.
 *
 * Status, for one (assignment, student):
 * - `done`: completed on or before the due date;
 * - `late`: completed after the due date, or not completed and the due date has passed (`late` is
 *   true in both cases; `completedAt` tells them apart);
 * - `upcoming`: not completed, and the open date is still ahead (it is not work to do yet);
 * - `in-progress`: started (a check answered, for a lesson) but not completed;
 * - `not-started`: otherwise.
 */
export type ProgressStatus = 'not-started' | 'in-progress' | 'done' | 'late' | 'upcoming';

export interface Progress {
	status: ProgressStatus;
	completedAt: Date | null;
	/**
	 * 0..1 where the kind has one (a lesson: its checks' latest scores, averaged; a quiz: the
	 * counting score of the graded attempts under the assignment's rule; a discussion prompt: the
	 * participation score its instructor gave), else null.
	 */
	score: number | null;
	late: boolean;
}

/**
 * One row per (assignment, student) — students and moderators, never instructors: assignment_id,
 * user_id, class_id, completed_at, started_at, score, attempts (graded ones submitted). Narrow it with `scope`
 * (a class, a user or a page of users, an assignment) so it is computed only where needed. Usable in `db.with(...)`.
 */
export function assignmentProgress(
	qc: QueryCreator<Database>,
	scope: { classId?: number; userId?: number; userIds?: number[]; assignmentId?: number } = {}
) {
	// `userIds`: a page of people (the gradebook's), so only their rows are aggregated.
	const some = scope.userIds;
	// Check answers per (student, lesson), aggregated once (not per row), limited to the people
	// in scope.
	let checks = qc
		.selectFrom('check_answers as ca')
		.innerJoin('questions as q', 'q.id', 'ca.question_id')
		.innerJoin('lessons as cl', (j) =>
			j
				.onRef('cl.course_id', '=', 'q.course_id')
				.on(sql<boolean>`q.external_id = any(cl.check_ids)`)
		)
		.select([
			'ca.user_id',
			'cl.id as lesson_id',
			sql<number>`count(*)::int`.as('answered'),
			sql<Date>`max(ca.first_answered_at)`.as('last_first'),
			sql<Date>`min(ca.first_answered_at)`.as('first_answer'),
			sql<number>`avg(ca.score)`.as('avg_score')
		])
		.groupBy(['ca.user_id', 'cl.id']);
	if (scope.userId !== undefined) checks = checks.where('ca.user_id', '=', scope.userId);
	if (some) checks = checks.where(sql<boolean>`ca.user_id = any(${some})`);
	if (scope.classId !== undefined)
		checks = checks.where('ca.user_id', 'in', (eb) =>
			eb.selectFrom('memberships').select('user_id').where('class_id', '=', scope.classId!)
		);

	// Graded attempts per (student, quiz assignment), aggregated once: the first start, the first
	// submission (done), and the score that counts under each grading rule, as fractions 0..1.
	let quizzes = qc
		.selectFrom('attempts as t')
		.select([
			't.assignment_id',
			't.user_id',
			sql<Date>`min(t.started_at)`.as('first_start'),
			sql<Date | null>`min(t.submitted_at) filter (where t.status = 'submitted')`.as('first_done'),
			sql<number | null>`max(t.score / nullif(t.max_score, 0))
				filter (where t.status = 'submitted')`.as('best'),
			sql<number | null>`avg(t.score / nullif(t.max_score, 0))
				filter (where t.status = 'submitted')`.as('average'),
			sql<number | null>`(array_agg(t.score / nullif(t.max_score, 0) order by t.number desc)
				filter (where t.status = 'submitted'))[1]`.as('last'),
			sql<number>`(count(*) filter (where t.status = 'submitted'))::int`.as('submitted')
		])
		.where('t.practice', '=', false)
		.groupBy(['t.assignment_id', 't.user_id']);
	if (scope.userId !== undefined) quizzes = quizzes.where('t.user_id', '=', scope.userId);
	if (some) quizzes = quizzes.where(sql<boolean>`t.user_id = any(${some})`);
	if (scope.classId !== undefined) quizzes = quizzes.where('t.class_id', '=', scope.classId);
	if (scope.assignmentId !== undefined)
		quizzes = quizzes.where('t.assignment_id', '=', scope.assignmentId);

	// Posts per (student, discussion prompt), aggregated once: a prompt is started and done with
	// the student's first post in its thread that was not withdrawn (deleted by its author or
	// removed by a moderator); a held or hidden post still shows the work was done.
	let discussions = qc
		.selectFrom('posts as p')
		.innerJoin('threads as th', 'th.id', 'p.thread_id')
		.select([
			'th.assignment_id',
			'p.author_id as user_id',
			sql<Date>`min(p.created_at)`.as('first_post')
		])
		.where('th.assignment_id', 'is not', null)
		.where('p.status', 'not in', ['deleted', 'removed'])
		.groupBy(['th.assignment_id', 'p.author_id']);
	if (scope.userId !== undefined) discussions = discussions.where('p.author_id', '=', scope.userId);
	if (some) discussions = discussions.where(sql<boolean>`p.author_id = any(${some})`);
	if (scope.classId !== undefined)
		discussions = discussions.where('p.class_id', '=', scope.classId);
	if (scope.assignmentId !== undefined)
		discussions = discussions.where('th.assignment_id', '=', scope.assignmentId);

	let q = qc
		.selectFrom('assignments as a')
		.innerJoin('memberships as m', (j) =>
			j.onRef('m.class_id', '=', 'a.class_id').on('m.role', '!=', 'instructor')
		)
		.leftJoin('lessons as l', 'l.id', 'a.lesson_id')
		.leftJoin(checks.as('chk'), (j) =>
			j.onRef('chk.lesson_id', '=', 'a.lesson_id').onRef('chk.user_id', '=', 'm.user_id')
		)
		.leftJoin('lesson_progress as lp', (j) =>
			j.onRef('lp.lesson_id', '=', 'a.lesson_id').onRef('lp.user_id', '=', 'm.user_id')
		)
		.leftJoin(quizzes.as('qa'), (j) =>
			j.onRef('qa.assignment_id', '=', 'a.id').onRef('qa.user_id', '=', 'm.user_id')
		)
		.leftJoin(discussions.as('dp'), (j) =>
			j.onRef('dp.assignment_id', '=', 'a.id').onRef('dp.user_id', '=', 'm.user_id')
		)
		.leftJoin('discussion_scores as ds', (j) =>
			j.onRef('ds.assignment_id', '=', 'a.id').onRef('ds.user_id', '=', 'm.user_id')
		)
		.select([
			'a.id as assignment_id',
			'm.user_id as user_id',
			'a.class_id as class_id',
			'a.opens_at as opens_at',
			'a.due_at as due_at'
		])
		.select(
			sql<Date | null>`case a.kind
				when 'lesson' then case
					when a.completion = 'checks' and cardinality(l.check_ids) > 0
						then case when chk.answered >= cardinality(l.check_ids) then chk.last_first end
					else lp.completed_at
				end
				when 'quiz' then qa.first_done
				when 'discussion' then dp.first_post
			end`.as('completed_at')
		)
		.select(
			sql<Date | null>`case a.kind
				when 'lesson' then least(chk.first_answer, lp.completed_at)
				when 'quiz' then qa.first_start
				when 'discussion' then dp.first_post
			end`.as('started_at')
		)
		.select(sql<number>`coalesce(qa.submitted, 0)`.as('attempts'))
		.select(
			sql<number | null>`case a.kind
				when 'lesson' then chk.avg_score
				when 'quiz' then case a.grading
					when 'last' then qa.last when 'average' then qa.average else qa.best end
				when 'discussion' then ds.score
			end`.as('score')
		);
	if (scope.classId !== undefined) q = q.where('a.class_id', '=', scope.classId);
	if (scope.userId !== undefined) q = q.where('m.user_id', '=', scope.userId);
	if (some) q = q.where(sql<boolean>`m.user_id = any(${some})`);
	if (scope.assignmentId !== undefined) q = q.where('a.id', '=', scope.assignmentId);
	return q;
}

/**
 * The status columns over a `progress` CTE built from `assignmentProgress`: add them with
 * `.select(progressStatusColumns)` on a query that has `progress as pr` in scope.
 */
export const statusSql = sql<ProgressStatus>`case
	when pr.completed_at is not null and pr.completed_at > pr.due_at then 'late'
	when pr.completed_at is not null then 'done'
	when pr.due_at < now() then 'late'
	when pr.opens_at is not null and pr.opens_at > now() then 'upcoming'
	when pr.started_at is not null then 'in-progress'
	else 'not-started'
end`;

export const lateSql = sql<boolean>`(coalesce(pr.completed_at, now()) > pr.due_at)`;

/** The same rule in TypeScript, for a row already read (and for tests of the rule itself). */
export function statusOf(
	row: { dueAt: Date; opensAt: Date | null; completedAt: Date | null; startedAt: Date | null },
	now = new Date()
): ProgressStatus {
	const due = row.dueAt.getTime();
	if (row.completedAt) return row.completedAt.getTime() > due ? 'late' : 'done';
	if (now.getTime() > due) return 'late';
	if (row.opensAt && row.opensAt.getTime() > now.getTime()) return 'upcoming';
	if (row.startedAt) return 'in-progress';
	return 'not-started';
}

/** Records a student's answer to a lesson check (the first answer's time stays; the score is the latest). */
export async function recordCheckAnswer(
	db: Executor,
	userId: number,
	questionId: number,
	score: number
): Promise<void> {
	const s = Math.max(0, Math.min(1, Number.isFinite(score) ? score : 0));
	await db
		.insertInto('check_answers')
		.values({ user_id: userId, question_id: questionId, score: s })
		.onConflict((oc) =>
			oc.columns(['user_id', 'question_id']).doUpdateSet({ score: s, answered_at: new Date() })
		)
		.execute();
}
