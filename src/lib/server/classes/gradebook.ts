import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import type { AssignmentKind, Grading } from '../db/types.ts';
import { pageOf, type Paged } from '../db/paging.ts';
import { assignmentProgress, lateSql, statusSql, type ProgressStatus } from './progress.ts';

export interface GradebookColumn {
	id: number;
	title: string;
	kind: AssignmentKind;
	dueAt: Date;
	grading: Grading | null;
	passPercent: number | null;
}

export interface GradebookCell {
	status: ProgressStatus;
	late: boolean;
	/** 0..1: a quiz's counting score; a lesson's check score; null when there is none. */
	score: number | null;
	completedAt: Date | null;
	/** Graded attempts submitted (quizzes). */
	attempts: number;
}

export interface Gradebook {
	columns: GradebookColumn[];
	rows: { userId: number; name: string; email: string; cells: Record<number, GradebookCell> }[];
	/** Students in all, and the page shown of `pages` (one page, all of them, unless paged). */
	total: number;
	page: number;
	pages: number;
}

/** Students a page of the gradebook (Moodle's grader report pages its rows too). */
export const GRADEBOOK_PAGE_SIZE = 50;

/**
 * The class's gradebook: its students (and moderators) × its assignments, each cell read from the
 * one progress model (status, lateness, the counting score), in name order. With `page`, one
 * page of `GRADEBOOK_PAGE_SIZE` students and only their cells (the page); without, everyone (the
 * CSV). Three queries whatever the class size (a page: the columns beside its people, then their
 * cells).
 */
export async function classGradebook(
	db: Executor,
	classId: number,
	opts: { page?: number } = {}
): Promise<Gradebook> {
	const peopleQuery = (limit: number | null, offset: number) => {
		// The rows' order and names, from the class's few hundred members. Joined into the cells'
		// query instead, Postgres hashed every user of the platform for each gradebook; joined
		// plainly here, it still read them all (a hash join over 10,000 users: 3–9 ms). Each
		// member's user looked up by key (`offset 0` keeps the lateral subquery from being
		// flattened back into that join) is 1 ms.
		let q = db
			.selectFrom('memberships as m')
			.innerJoinLateral(
				(eb) =>
					eb
						.selectFrom('users')
						.select(['users.name', 'users.email'])
						.whereRef('users.id', '=', 'm.user_id')
						.offset(sql<number>`0`)
						.as('u'),
				(j) => j.onTrue()
			)
			.select([
				'm.user_id as userId',
				'u.name',
				'u.email',
				sql<string>`count(*) over ()`.as('total')
			])
			.where('m.class_id', '=', classId)
			.where('m.role', '!=', 'instructor')
			.orderBy('u.name')
			.orderBy('m.user_id');
		if (limit !== null) q = q.limit(limit).offset(offset);
		return q.execute();
	};
	const cellsQuery = (userIds?: number[]) =>
		db
			.with('pr', (qc) => assignmentProgress(qc, { classId, userIds }))
			.selectFrom('pr')
			.select([
				'pr.assignment_id as assignmentId',
				'pr.user_id as userId',
				'pr.score',
				'pr.completed_at as completedAt',
				'pr.attempts',
				statusSql.as('status'),
				lateSql.as('late')
			])
			.execute();
	const columnsQuery = db
		.selectFrom('assignments')
		.select([
			'id',
			'title',
			'kind',
			'due_at as dueAt',
			sql<Grading | null>`case when kind = 'quiz' then grading end`.as('grading'),
			'pass_percent as passPercent'
		])
		.where('class_id', '=', classId)
		.orderBy('due_at')
		.orderBy('id')
		.execute();
	let columns: Awaited<typeof columnsQuery>;
	let people: Paged<{ userId: number; name: string; email: string }>;
	let cells: Awaited<ReturnType<typeof cellsQuery>>;
	if (opts.page === undefined) {
		// Everyone: the three at once.
		let all;
		[columns, all, cells] = await Promise.all([columnsQuery, peopleQuery(null, 0), cellsQuery()]);
		people = { rows: all.map(({ total: _t, ...r }) => r), total: all.length, page: 1, pages: 1 };
	} else {
		// A page: its people first, then only their cells.
		[columns, people] = await Promise.all([
			columnsQuery,
			pageOf(GRADEBOOK_PAGE_SIZE, opts.page, peopleQuery)
		]);
		cells =
			columns.length && people.rows.length
				? await cellsQuery(people.rows.map((p) => p.userId))
				: [];
	}
	const rows = new Map<number, Gradebook['rows'][number]>();
	for (const p of people.rows) rows.set(p.userId, { ...p, cells: {} });
	for (const c of cells) {
		const row = rows.get(c.userId);
		// A member who joined between the two reads has no row yet: shown on the next load.
		if (!row) continue;
		row.cells[c.assignmentId] = {
			status: c.status,
			late: c.late,
			score: c.score === null ? null : Number(c.score),
			completedAt: c.completedAt ? new Date(c.completedAt) : null,
			attempts: Number(c.attempts ?? 0)
		};
	}
	return {
		columns: columns.map((c) => ({
			...c,
			dueAt: new Date(c.dueAt),
			passPercent: c.passPercent === null ? null : Number(c.passPercent)
		})),
		// Every member has a cell per assignment; without assignments there is nothing to show.
		rows: columns.length ? [...rows.values()] : [],
		total: people.total,
		page: people.page,
		pages: people.pages
	};
}

const STATUS_WORDS: Record<ProgressStatus, string> = {
	done: 'done',
	late: 'late',
	'in-progress': 'in progress',
	'not-started': 'not started',
	upcoming: 'upcoming'
};

/** A cell in words, as the CSV and the table's text alternative give it. */
export function cellText(col: GradebookColumn, cell: GradebookCell | undefined): string {
	if (!cell) return '';
	// A prompt shows its participation score once the instructor has given one.
	if (col.kind === 'quiz' || (col.kind === 'discussion' && cell.score !== null)) {
		if (cell.score === null) return STATUS_WORDS[cell.status];
		return `${Math.round(cell.score * 100)}%${cell.late ? ' (late)' : ''}`;
	}
	if (cell.completedAt) return cell.late ? 'done late' : 'done';
	return STATUS_WORDS[cell.status];
}

/**
 * The marks the table gives a cell, as space-separated words (its `data-marks`): `late` (handed in after the due date, or
 * not handed in and the due date has passed) and `failed` (a quiz's counting score below its pass
 * mark). Null when it has neither.
 */
export function cellMarks(col: GradebookColumn, cell: GradebookCell | undefined): string | null {
	if (!cell) return null;
	const failed =
		col.kind === 'quiz' &&
		col.passPercent !== null &&
		cell.score !== null &&
		cell.score * 100 < col.passPercent;
	return cell.late && failed ? 'late failed' : cell.late ? 'late' : failed ? 'failed' : null;
}
