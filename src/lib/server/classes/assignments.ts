import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Executor } from '../db/index.ts';
import type { AssignmentKind } from '../db/types.ts';

export type AssignmentStatus = 'not-started' | 'in-progress' | 'done' | 'late';

export interface AssignmentInput {
	kind: AssignmentKind;
	lessonId: number | null;
	title: string;
	instructions: string;
	opensAt: Date | null;
	dueAt: Date;
}

/** The lesson must belong to the class's course. Returns the new id, or undefined if it does not. */
export async function createAssignment(
	db: Executor,
	classId: number,
	input: AssignmentInput,
	createdBy: number
): Promise<number | undefined> {
	if (input.kind === 'lesson' && !(await lessonInClassCourse(db, classId, input.lessonId)))
		return undefined;
	const row = await db
		.insertInto('assignments')
		.values({
			class_id: classId,
			kind: input.kind,
			lesson_id: input.lessonId,
			title: input.title.trim(),
			instructions: input.instructions.trim(),
			opens_at: input.opensAt,
			due_at: input.dueAt,
			created_by: createdBy
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function updateAssignment(
	db: Executor,
	classId: number,
	assignmentId: number,
	input: AssignmentInput
): Promise<boolean> {
	if (input.kind === 'lesson' && !(await lessonInClassCourse(db, classId, input.lessonId)))
		return false;
	const r = await db
		.updateTable('assignments')
		.set({
			kind: input.kind,
			lesson_id: input.lessonId,
			title: input.title.trim(),
			instructions: input.instructions.trim(),
			opens_at: input.opensAt,
			due_at: input.dueAt
		})
		.where('id', '=', assignmentId)
		.where('class_id', '=', classId)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}

export async function deleteAssignment(
	db: Executor,
	classId: number,
	assignmentId: number
): Promise<boolean> {
	const r = await db
		.deleteFrom('assignments')
		.where('id', '=', assignmentId)
		.where('class_id', '=', classId)
		.executeTakeFirst();
	return Number(r.numDeletedRows) > 0;
}

async function lessonInClassCourse(
	db: Executor,
	classId: number,
	lessonId: number | null
): Promise<boolean> {
	if (lessonId === null) return false;
	const row = await db
		.selectFrom('lessons as l')
		.innerJoin('classes as k', 'k.course_id', 'l.course_id')
		.select('l.id')
		.where('k.id', '=', classId)
		.where('l.id', '=', lessonId)
		.executeTakeFirst();
	return !!row;
}

/** Lessons of the class's course, for the assignment form. */
export async function lessonsForClass(db: Executor, classId: number) {
	return await db
		.selectFrom('lessons as l')
		.innerJoin('classes as k', 'k.course_id', 'l.course_id')
		.select(['l.id', 'l.title', 'l.position'])
		.where('k.id', '=', classId)
		.orderBy('l.position')
		.execute();
}

export function statusOf(dueAt: Date, doneAt: Date | null, now = new Date()): AssignmentStatus {
	if (doneAt) return doneAt.getTime() > dueAt.getTime() ? 'late' : 'done';
	return now.getTime() > dueAt.getTime() ? 'late' : 'not-started';
}

export interface StudentAssignment {
	id: number;
	classId: number;
	className: string;
	kind: AssignmentKind;
	title: string;
	instructions: string;
	lessonSlug: string | null;
	courseSlug: string;
	opensAt: Date | null;
	dueAt: Date;
	doneAt: Date | null;
	status: AssignmentStatus;
	score: number | null;
}

/**
 * A student's assignments (in one class, or in all their classes), ordered by due date, with
 * their status. One query.
 */
export async function listStudentAssignments(
	db: Executor,
	userId: number,
	opts: { classId?: number } = {}
): Promise<StudentAssignment[]> {
	let q = db
		.selectFrom('assignments as a')
		.innerJoin('classes as k', 'k.id', 'a.class_id')
		.innerJoin('courses as c', 'c.id', 'k.course_id')
		.innerJoin('memberships as m', (j) =>
			j.onRef('m.class_id', '=', 'k.id').on('m.user_id', '=', userId)
		)
		.leftJoin('lessons as l', 'l.id', 'a.lesson_id')
		.leftJoin('lesson_progress as p', (j) =>
			j.onRef('p.lesson_id', '=', 'a.lesson_id').on('p.user_id', '=', userId)
		)
		.select([
			'a.id',
			'a.class_id as classId',
			'k.name as className',
			'a.kind',
			'a.title',
			'a.instructions',
			'l.slug as lessonSlug',
			'c.slug as courseSlug',
			'a.opens_at as opensAt',
			'a.due_at as dueAt',
			'p.completed_at as doneAt'
		])
		.where('k.archived_at', 'is', null);
	if (opts.classId !== undefined) q = q.where('a.class_id', '=', opts.classId);
	const rows = await q.orderBy('a.due_at').orderBy('a.id').execute();
	const now = new Date();
	return rows.map((r) => ({ ...r, status: statusOf(r.dueAt, r.doneAt, now), score: null }));
}

export interface AssignmentCompletion {
	id: number;
	kind: AssignmentKind;
	title: string;
	lessonId: number | null;
	lessonSlug: string | null;
	lessonTitle: string | null;
	instructions: string;
	opensAt: Date | null;
	dueAt: Date;
	done: number;
	late: number;
	total: number;
	missing: { id: number; name: string }[];
}

/**
 * Completion of every assignment of the class among its students (moderators included): counts
 * and the names of those who have not done it. One query, whatever the class size.
 */
export async function classCompletion(
	db: Executor,
	classId: number
): Promise<AssignmentCompletion[]> {
	const rows = await db
		.selectFrom('assignments as a')
		.leftJoin('lessons as l', 'l.id', 'a.lesson_id')
		.select((eb) => [
			'a.id',
			'a.kind',
			'a.title',
			'a.lesson_id as lessonId',
			'l.slug as lessonSlug',
			'l.title as lessonTitle',
			'a.instructions',
			'a.opens_at as opensAt',
			'a.due_at as dueAt',
			eb
				.selectFrom('memberships as m')
				.select(sql<number>`count(*)::int`.as('n'))
				.whereRef('m.class_id', '=', 'a.class_id')
				.where('m.role', '!=', 'instructor')
				.as('total'),
			eb
				.selectFrom('memberships as m')
				.innerJoin('lesson_progress as p', (j) =>
					j.onRef('p.user_id', '=', 'm.user_id').onRef('p.lesson_id', '=', 'a.lesson_id')
				)
				.select(sql<number>`count(*)::int`.as('n'))
				.whereRef('m.class_id', '=', 'a.class_id')
				.where('m.role', '!=', 'instructor')
				.as('done'),
			eb
				.selectFrom('memberships as m')
				.innerJoin('lesson_progress as p', (j) =>
					j.onRef('p.user_id', '=', 'm.user_id').onRef('p.lesson_id', '=', 'a.lesson_id')
				)
				.select(sql<number>`count(*)::int`.as('n'))
				.whereRef('m.class_id', '=', 'a.class_id')
				.where('m.role', '!=', 'instructor')
				.whereRef('p.completed_at', '>', 'a.due_at')
				.as('late'),
			jsonArrayFrom(
				eb
					.selectFrom('memberships as m')
					.innerJoin('users as u', 'u.id', 'm.user_id')
					.select(['u.id', 'u.name'])
					.whereRef('m.class_id', '=', 'a.class_id')
					.where('m.role', '!=', 'instructor')
					.where(({ not, exists, selectFrom }) =>
						not(
							exists(
								selectFrom('lesson_progress as p')
									.select('p.user_id')
									.whereRef('p.user_id', '=', 'm.user_id')
									.whereRef('p.lesson_id', '=', 'a.lesson_id')
							)
						)
					)
					.orderBy('u.name')
			).as('missing')
		])
		.where('a.class_id', '=', classId)
		.orderBy('a.due_at')
		.orderBy('a.id')
		.execute();
	return rows.map((r) => ({
		...r,
		total: Number(r.total),
		done: Number(r.done),
		late: Number(r.late)
	}));
}

export interface ActivityItem {
	kind: 'joined' | 'completed' | 'assigned';
	at: Date;
	who: string | null;
	what: string | null;
}

/** The latest happenings in a class: joins, lesson completions of assigned lessons, new assignments. */
export async function recentActivity(
	db: Executor,
	classId: number,
	limit = 12
): Promise<ActivityItem[]> {
	const { rows } = await sql<{
		kind: ActivityItem['kind'];
		at: Date;
		who: string | null;
		what: string | null;
	}>`
		select * from (
			select 'joined' as kind, m.joined_at as at, u.name as who, null as what
			from memberships m join users u on u.id = m.user_id
			where m.class_id = ${classId} and m.role <> 'instructor'
			union all
			select 'completed', p.completed_at, u.name, a.title
			from assignments a
			join memberships m on m.class_id = a.class_id and m.role <> 'instructor'
			join lesson_progress p on p.lesson_id = a.lesson_id and p.user_id = m.user_id
			join users u on u.id = m.user_id
			where a.class_id = ${classId}
			union all
			select 'assigned', a.created_at, null, a.title
			from assignments a where a.class_id = ${classId}
		) t
		order by at desc
		limit ${limit}`.execute(db);
	return rows.map((r) => ({ ...r, at: new Date(r.at) }));
}

/** New assignments in the student's classes during the last two weeks. */
export async function whatsNew(db: Executor, userId: number, classId?: number) {
	let q = db
		.selectFrom('assignments as a')
		.innerJoin('classes as k', 'k.id', 'a.class_id')
		.innerJoin('memberships as m', (j) =>
			j.onRef('m.class_id', '=', 'k.id').on('m.user_id', '=', userId)
		)
		.select([
			'a.id',
			'a.title',
			'a.created_at as createdAt',
			'k.name as className',
			'k.id as classId'
		])
		.where('a.created_at', '>', new Date(Date.now() - 14 * 24 * 3600 * 1000))
		.where('k.archived_at', 'is', null);
	if (classId !== undefined) q = q.where('k.id', '=', classId);
	return await q.orderBy('a.created_at', 'desc').limit(8).execute();
}
