import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import type { AssignmentKind, Grading } from '../db/types.ts';
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
}

/**
 * The class's gradebook: its students (and moderators) × its assignments, each cell read from the
 * one progress model (status, lateness, the counting score). Three queries whatever the class size.
 */
export async function classGradebook(db: Executor, classId: number): Promise<Gradebook> {
	const [columns, people, cells] = await Promise.all([
		db
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
			.execute(),
		// The rows' order and names, from the class's few hundred members. Joined into the cells'
		// query instead, Postgres hashed every user of the platform for each gradebook.
		db
			.selectFrom('memberships as m')
			.innerJoin('users as u', 'u.id', 'm.user_id')
			.select(['u.id as userId', 'u.name', 'u.email'])
			.where('m.class_id', '=', classId)
			.where('m.role', '!=', 'instructor')
			.orderBy('u.name')
			.orderBy('u.id')
			.execute(),
		db
			.with('pr', (qc) => assignmentProgress(qc, { classId }))
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
			.execute()
	]);
	const rows = new Map<number, Gradebook['rows'][number]>();
	for (const p of people) rows.set(p.userId, { ...p, cells: {} });
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
		rows: columns.length ? [...rows.values()] : []
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
