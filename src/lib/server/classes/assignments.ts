import { sql } from 'kysely';
import { inTransaction, type Executor } from '../db/index.ts';
import type { AssignmentKind, CompletionRule, PromptActorMode } from '../db/types.ts';
import { recordEvent } from '../discussion/events.ts';
import { formatInZone } from '../../zoned-time.ts';
import { settingsColumns, type QuizSettingsInput } from '../quizzes/settings.ts';
import { SETTINGS_COLUMNS, settingsOf, type QuizRunSettings } from '../quizzes/attempt-data.ts';
import { assignmentProgress, lateSql, statusSql, type ProgressStatus } from './progress.ts';

export type AssignmentStatus = ProgressStatus;

export interface AssignmentInput {
	kind: AssignmentKind;
	lessonId: number | null;
	/** For a lesson: done when the student marks it (default), or when its checks are answered. */
	completion?: CompletionRule;
	title: string;
	instructions: string;
	opensAt: Date | null;
	dueAt: Date;
	/** For a quiz: which quiz of the class's course, and how it runs. */
	quizId?: number | null;
	quiz?: QuizSettingsInput | null;
	/** For a discussion prompt: how it runs (its thread is made with it). */
	discussion?: DiscussionSettingsInput | null;
}

export interface DiscussionSettingsInput {
	/** A student sees classmates' replies only after posting. */
	postFirst: boolean;
	/** Names hidden from classmates (never from the class's instructors and moderators). */
	anonymous: boolean;
	/** Students argue as an actor: none, one the instructor assigns, or one they choose. */
	actorMode: PromptActorMode;
}

const NO_DISCUSSION: DiscussionSettingsInput = {
	postFirst: false,
	anonymous: false,
	actorMode: 'none'
};

function discussionColumns(input: AssignmentInput) {
	const d = input.kind === 'discussion' ? (input.discussion ?? NO_DISCUSSION) : NO_DISCUSSION;
	return { post_first: d.postFirst, anonymous: d.anonymous, actor_mode: d.actorMode };
}

/**
 * The lesson or quiz must belong to the class's course. Returns the new id, or undefined if it
 * does not.
 */
export async function createAssignment(
	db: Executor,
	classId: number,
	input: AssignmentInput,
	createdBy: number
): Promise<number | undefined> {
	if (!(await contentInClassCourse(db, classId, input))) return undefined;
	return await inTransaction(db, async (trx) => {
		const row = await trx
			.insertInto('assignments')
			.values({
				class_id: classId,
				kind: input.kind,
				lesson_id: input.lessonId,
				completion: input.completion ?? 'marked',
				title: input.title.trim(),
				instructions: input.instructions.trim(),
				opens_at: input.opensAt,
				due_at: input.dueAt,
				created_by: createdBy,
				quiz_id: input.kind === 'quiz' ? (input.quizId ?? null) : null,
				...settingsColumns(input.kind === 'quiz' ? input.quiz : null),
				...discussionColumns(input)
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		// A prompt is discussed in a thread of its own, started with it.
		if (input.kind === 'discussion') {
			const thread = await trx
				.insertInto('threads')
				.values({
					class_id: classId,
					title: input.title.trim(),
					anchor: 'prompt',
					assignment_id: row.id,
					created_by: createdBy
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await recordEvent(trx, { classId, kind: 'thread', threadId: thread.id });
		}
		return row.id;
	});
}

export async function updateAssignment(
	db: Executor,
	classId: number,
	assignmentId: number,
	input: AssignmentInput
): Promise<boolean> {
	if (!(await contentInClassCourse(db, classId, input))) return false;
	return await inTransaction(db, async (trx) => {
		const before = await trx
			.selectFrom('assignments')
			.select('kind')
			.where('id', '=', assignmentId)
			.where('class_id', '=', classId)
			.forUpdate()
			.executeTakeFirst();
		// A prompt stays a prompt (its thread holds the students' posts), and nothing else becomes one.
		if (!before || (before.kind === 'discussion') !== (input.kind === 'discussion')) return false;
		await trx
			.updateTable('assignments')
			.set({
				kind: input.kind,
				lesson_id: input.lessonId,
				completion: input.completion ?? 'marked',
				title: input.title.trim(),
				instructions: input.instructions.trim(),
				opens_at: input.opensAt,
				due_at: input.dueAt,
				quiz_id: input.kind === 'quiz' ? (input.quizId ?? null) : null,
				...settingsColumns(input.kind === 'quiz' ? input.quiz : null),
				...discussionColumns(input)
			})
			.where('id', '=', assignmentId)
			.execute();
		if (input.kind === 'discussion') {
			const thread = await trx
				.updateTable('threads')
				.set({ title: input.title.trim() })
				.where('assignment_id', '=', assignmentId)
				.returning('id')
				.executeTakeFirst();
			if (thread) await recordEvent(trx, { classId, kind: 'thread', threadId: thread.id });
		}
		return true;
	});
}

export async function deleteAssignment(
	db: Executor,
	classId: number,
	assignmentId: number
): Promise<boolean> {
	// A prompt whose thread has posts is kept: deleting it would delete the students' posts.
	const r = await db
		.deleteFrom('assignments as a')
		.where('a.id', '=', assignmentId)
		.where('a.class_id', '=', classId)
		.where((w) =>
			w.not(
				w.exists(
					w
						.selectFrom('threads as t')
						.innerJoin('posts as p', 'p.thread_id', 't.id')
						.select('p.id')
						.whereRef('t.assignment_id', '=', 'a.id')
				)
			)
		)
		.executeTakeFirst();
	return Number(r.numDeletedRows) > 0;
}

/** How many posts a prompt's thread holds (0 for other assignments). */
export async function countPromptPosts(db: Executor, assignmentId: number): Promise<number> {
	const row = await db
		.selectFrom('threads as t')
		.innerJoin('posts as p', 'p.thread_id', 't.id')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('t.assignment_id', '=', assignmentId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/**
 * What an instructor should know before assigning: the lesson is already assigned in the class,
 * or the due date has passed. Dates are written on the class's clock. Empty: nothing to warn of.
 */
export async function assignmentWarnings(
	db: Executor,
	classId: number,
	input: AssignmentInput,
	opts: { exceptId?: number; timeZone: string; now?: Date }
): Promise<string[]> {
	const warnings: string[] = [];
	if (input.lessonId !== null) {
		let q = db
			.selectFrom('assignments as a')
			.innerJoin('lessons as l', 'l.id', 'a.lesson_id')
			.select(['a.title', 'a.due_at as dueAt', 'l.title as lessonTitle'])
			.where('a.class_id', '=', classId)
			.where('a.lesson_id', '=', input.lessonId);
		if (opts.exceptId !== undefined) q = q.where('a.id', '!=', opts.exceptId);
		for (const a of await q.orderBy('a.due_at').execute()) {
			warnings.push(
				`“${a.lessonTitle}” is already assigned in this class as “${a.title}”, due ${formatInZone(a.dueAt, opts.timeZone)}.`
			);
		}
	}
	if (input.dueAt.getTime() < (opts.now ?? new Date()).getTime()) {
		warnings.push(
			`The due date, ${formatInZone(input.dueAt, opts.timeZone)}, is in the past: students will see the assignment as late at once.`
		);
	}
	return warnings;
}

/** One assignment of the class with what its page shows, or undefined. */
export async function findAssignment(db: Executor, classId: number, assignmentId: number) {
	const row = await db
		.selectFrom('assignments as a')
		.innerJoin('classes as k', 'k.id', 'a.class_id')
		.innerJoin('courses as c', 'c.id', 'k.course_id')
		.leftJoin('lessons as l', 'l.id', 'a.lesson_id')
		.leftJoin('quizzes as z', 'z.id', 'a.quiz_id')
		.select([
			'a.id',
			'a.kind',
			'a.completion',
			'a.title',
			'a.instructions',
			'a.opens_at as opensAt',
			'a.due_at as dueAt',
			'a.lesson_id as lessonId',
			'l.slug as lessonSlug',
			'l.title as lessonTitle',
			sql<number>`coalesce(cardinality(l.check_ids), 0)`.as('checkCount'),
			'c.slug as courseSlug',
			'z.title as quizTitle',
			'z.description as quizDescription',
			'a.post_first as postFirst',
			'a.anonymous',
			'a.actor_mode as actorMode',
			(eb) =>
				eb
					.selectFrom('threads as th')
					.select('th.id')
					.whereRef('th.assignment_id', '=', 'a.id')
					.as('threadId'),
			...SETTINGS_COLUMNS
		])
		.where('a.class_id', '=', classId)
		.where('a.id', '=', assignmentId)
		.executeTakeFirst();
	if (!row) return undefined;
	const { s_quizId, ...rest } = row;
	return {
		...Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith('s_'))),
		quizId: s_quizId,
		quiz: row.kind === 'quiz' ? settingsOf(row) : null
	} as Omit<typeof rest, `s_${string}`> & { quizId: number | null; quiz: QuizRunSettings | null };
}

async function contentInClassCourse(
	db: Executor,
	classId: number,
	input: AssignmentInput
): Promise<boolean> {
	if (input.kind === 'lesson') return lessonInClassCourse(db, classId, input.lessonId);
	if (input.kind === 'quiz') {
		if (!input.quizId) return false;
		const row = await db
			.selectFrom('quizzes as z')
			.innerJoin('classes as k', 'k.course_id', 'z.course_id')
			.select('z.id')
			.where('k.id', '=', classId)
			.where('z.id', '=', input.quizId)
			.executeTakeFirst();
		return !!row;
	}
	return true;
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

/** Lessons of the class's course, for the assignment form (with how many checks each has). */
export async function lessonsForClass(db: Executor, classId: number) {
	return await db
		.selectFrom('lessons as l')
		.innerJoin('classes as k', 'k.course_id', 'l.course_id')
		.select(['l.id', 'l.title', 'l.position'])
		.select(sql<number>`cardinality(l.check_ids)`.as('checkCount'))
		.where('k.id', '=', classId)
		.orderBy('l.position')
		.execute();
}

export interface StudentAssignment {
	id: number;
	classId: number;
	className: string;
	kind: AssignmentKind;
	completion: CompletionRule;
	title: string;
	instructions: string;
	lessonSlug: string | null;
	courseSlug: string;
	opensAt: Date | null;
	dueAt: Date;
	/** When it counted as done under its rule (null: not done). */
	doneAt: Date | null;
	status: AssignmentStatus;
	late: boolean;
	score: number | null;
}

/**
 * A student's assignments (in one class, or in all their classes), ordered by due date, with
 * their status from the progress model. Only classes where the user is a student or moderator:
 * what an instructor teaches is never their own to-do. One query.
 */
export async function listStudentAssignments(
	db: Executor,
	userId: number,
	opts: { classId?: number } = {}
): Promise<StudentAssignment[]> {
	const rows = await db
		.with('pr', (qc) => assignmentProgress(qc, { userId, classId: opts.classId }))
		.selectFrom('pr')
		.innerJoin('assignments as a', 'a.id', 'pr.assignment_id')
		.innerJoin('classes as k', 'k.id', 'a.class_id')
		.innerJoin('courses as c', 'c.id', 'k.course_id')
		.leftJoin('lessons as l', 'l.id', 'a.lesson_id')
		.select([
			'a.id',
			'a.class_id as classId',
			'k.name as className',
			'a.kind',
			'a.completion',
			'a.title',
			'a.instructions',
			'l.slug as lessonSlug',
			'c.slug as courseSlug',
			'a.opens_at as opensAt',
			'a.due_at as dueAt',
			'pr.completed_at as doneAt',
			'pr.score',
			statusSql.as('status'),
			lateSql.as('late')
		])
		.where('k.archived_at', 'is', null)
		.orderBy('a.due_at')
		.orderBy('a.id')
		.execute();
	return rows.map((r) => ({
		...r,
		doneAt: r.doneAt ? new Date(r.doneAt) : null,
		score: r.score === null ? null : Number(r.score)
	}));
}

export interface AssignmentCompletion {
	id: number;
	kind: AssignmentKind;
	completion: CompletionRule;
	title: string;
	lessonId: number | null;
	lessonSlug: string | null;
	lessonTitle: string | null;
	quizTitle: string | null;
	instructions: string;
	opensAt: Date | null;
	dueAt: Date;
	done: number;
	late: number;
	total: number;
	missing: { id: number; name: string }[];
}

/**
 * Completion of every assignment of the class among its students (moderators included), from
 * the progress model: counts and the names of those who have not done it. One query, whatever
 * the class size.
 */
export async function classCompletion(
	db: Executor,
	classId: number,
	opts: { assignmentId?: number } = {}
): Promise<AssignmentCompletion[]> {
	// The progress rows are aggregated once per assignment (one pass), not re-scanned per column.
	let q = db
		.with('pr', (qc) => assignmentProgress(qc, { classId, assignmentId: opts.assignmentId }))
		.with('agg', (qc) =>
			qc
				.selectFrom('pr')
				.innerJoin('users as u', 'u.id', 'pr.user_id')
				.select([
					'pr.assignment_id',
					sql<number>`count(*)::int`.as('total'),
					sql<number>`count(pr.completed_at)::int`.as('done'),
					sql<number>`(count(*) filter (where pr.completed_at > pr.due_at))::int`.as('late'),
					sql<{ id: number; name: string }[]>`coalesce(
						json_agg(json_build_object('id', u.id, 'name', u.name) order by u.name)
							filter (where pr.completed_at is null),
						'[]')`.as('missing')
				])
				.groupBy('pr.assignment_id')
		)
		.selectFrom('assignments as a')
		.leftJoin('lessons as l', 'l.id', 'a.lesson_id')
		.leftJoin('quizzes as z', 'z.id', 'a.quiz_id')
		.leftJoin('agg', 'agg.assignment_id', 'a.id')
		.select([
			'a.id',
			'a.kind',
			'a.completion',
			'a.title',
			'a.lesson_id as lessonId',
			'l.slug as lessonSlug',
			'l.title as lessonTitle',
			'z.title as quizTitle',
			'a.instructions',
			'a.opens_at as opensAt',
			'a.due_at as dueAt',
			sql<number>`coalesce(agg.total, 0)`.as('total'),
			sql<number>`coalesce(agg.done, 0)`.as('done'),
			sql<number>`coalesce(agg.late, 0)`.as('late'),
			sql<{ id: number; name: string }[]>`coalesce(agg.missing, '[]')`.as('missing')
		])
		.where('a.class_id', '=', classId);
	if (opts.assignmentId !== undefined) q = q.where('a.id', '=', opts.assignmentId);
	const rows = await q.orderBy('a.due_at').orderBy('a.id').execute();
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
	const rows = await db
		.with('pr', (qc) => assignmentProgress(qc, { classId }))
		.selectFrom((eb) =>
			eb
				.selectFrom('memberships as m')
				.innerJoin('users as u', 'u.id', 'm.user_id')
				.select([
					sql<ActivityItem['kind']>`'joined'`.as('kind'),
					'm.joined_at as at',
					sql<string | null>`u.name`.as('who'),
					sql<string | null>`null`.as('what')
				])
				.where('m.class_id', '=', classId)
				.where('m.role', '!=', 'instructor')
				.unionAll(
					eb
						.selectFrom('pr')
						.innerJoin('assignments as a', 'a.id', 'pr.assignment_id')
						.innerJoin('users as u', 'u.id', 'pr.user_id')
						.select([
							sql<ActivityItem['kind']>`'completed'`.as('kind'),
							sql<Date>`pr.completed_at`.as('at'),
							'u.name as who',
							'a.title as what'
						])
						.where('pr.completed_at', 'is not', null)
				)
				.unionAll(
					eb
						.selectFrom('assignments as a')
						.select([
							sql<ActivityItem['kind']>`'assigned'`.as('kind'),
							'a.created_at as at',
							sql<string | null>`null`.as('who'),
							'a.title as what'
						])
						.where('a.class_id', '=', classId)
				)
				.as('t')
		)
		.selectAll()
		.orderBy('at', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({ ...r, at: new Date(r.at) }));
}

/** New assignments in the student's classes during the last two weeks. */
export async function whatsNew(db: Executor, userId: number, classId?: number) {
	let q = db
		.selectFrom('assignments as a')
		.innerJoin('classes as k', 'k.id', 'a.class_id')
		.innerJoin('memberships as m', (j) =>
			j
				.onRef('m.class_id', '=', 'k.id')
				.on('m.user_id', '=', userId)
				.on('m.role', '!=', 'instructor')
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
