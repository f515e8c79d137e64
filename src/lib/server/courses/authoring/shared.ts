/**
 * What every authoring module shares: the result shape of a save, transactions that join the
 * caller's, and the SQL of positioned rows (actors, concerns, lessons, glossary terms, timeline
 * events), including the one insert-or-update every item form goes through.
 */
import { sql, type Generated, type Insertable, type Kysely } from 'kysely';
import type { SessionUser } from '../../auth/session.ts';
import { inTransaction, type Db, type Executor } from '../../db/index.ts';
import type { Database } from '../../db/types.ts';

export type FieldErrors = Record<string, string>;

/**
 * A publish problem in the author's words, with the editor page where it is fixed (`href`
 * null when no page holds it) and the package file and line it was found at.
 */
export interface CourseProblem {
	message: string;
	where: string;
	href: string | null;
	file: string;
	line: number | null;
}

/** A refused change: field messages, and the problems it would give a published course. */
export type Refused = { ok: false; errors: FieldErrors; problems?: CourseProblem[] };

/** A save either lands (with what the caller needs next) or explains itself field by field. */
export type Saved<T extends object = object> = ({ ok: true } & T) | Refused;

export type Viewer = Pick<SessionUser, 'id' | 'role'>;

export function atomically<T>(db: Executor, fn: (trx: Executor) => Promise<T>): Promise<T> {
	// Kysely cannot open a transaction inside another; the caller's one is atomic already.
	return db.isTransaction ? fn(db) : inTransaction(db as Db, fn);
}

export { isUniqueViolation } from '../../db/errors.ts';

export const failed = (errors: FieldErrors): Refused => ({ ok: false as const, errors });
export const hasErrors = (errors: FieldErrors) => Object.keys(errors).length > 0;

export type Positioned =
	'actors' | 'concerns' | 'lessons' | 'glossary_terms' | 'timeline_events' | 'quizzes';

export async function nextPosition(
	db: Executor,
	table: Positioned,
	courseId: number
): Promise<number> {
	const { rows } = await sql<{ n: number }>`
		select coalesce(max(position), 0)::int + 1 as n from ${sql.table(table)}
		where course_id = ${courseId}`.execute(db);
	return Number(rows[0].n);
}

/** Keeps positions 1..n after the row at `position` is gone. */
export async function closeGap(
	db: Executor,
	table: Positioned,
	courseId: number,
	position: number
) {
	await sql`
		update ${sql.table(table)} set position = position - 1
		where course_id = ${courseId} and position > ${position}`.execute(db);
}

/**
 * Deletes one positioned row of the course and closes the gap it leaves, so positions stay
 * 1..n; returns the deleted row's position, or undefined when there was no such row.
 */
export async function deletePositioned(
	db: Executor,
	table: Positioned,
	courseId: number,
	id: number
): Promise<number | undefined> {
	const { rows } = await sql<{ position: number }>`
		delete from ${sql.table(table)} where id = ${id} and course_id = ${courseId}
		returning position`.execute(db);
	if (!rows.length) return undefined;
	await closeGap(db, table, courseId, rows[0].position);
	await touchCourse(db, courseId);
	return rows[0].position;
}

/** The columns an item form sets: the course and the position are the helper's to fill. */
export type ItemValues<T extends Positioned> = Omit<
	Insertable<Database[T]>,
	'id' | 'course_id' | 'position'
>;

/** The shape every positioned table has, which is all upsertItem needs to know of it. */
type PositionedTables = {
	[T in Positioned]: { id: Generated<number>; course_id: number; position: number };
};

/**
 * The insert-or-update of every item form: a new row (`id` null) goes last; an existing one is
 * changed only if it belongs to the course. Returns the row's id, or undefined when there was no
 * such row to change. Typed per table: `values` must be that table's own columns.
 */
export async function upsertItem<T extends Positioned>(
	db: Executor,
	table: T,
	courseId: number,
	id: number | null,
	values: ItemValues<T>
): Promise<number | undefined> {
	// Kysely cannot check a builder over a table chosen by a type parameter; the signature above
	// has already checked `values` against that table, so this view only needs the shared columns.
	const q = db as unknown as Kysely<PositionedTables>;
	const t = table as Positioned;
	let saved: number | undefined;
	if (id === null) {
		const position = await nextPosition(db, table, courseId);
		const row = await q
			.insertInto(t)
			.values({ ...values, course_id: courseId, position } as Insertable<
				PositionedTables[Positioned]
			>)
			.returning('id')
			.executeTakeFirstOrThrow();
		saved = row.id;
	} else {
		const row = await q
			.updateTable(t)
			.set(values as Partial<Insertable<PositionedTables[Positioned]>>)
			.where('id', '=', id)
			.where('course_id', '=', courseId)
			.returning('id')
			.executeTakeFirst();
		saved = row?.id;
	}
	if (saved !== undefined) await touchCourse(db, courseId);
	return saved;
}

export async function touchCourse(db: Executor, courseId: number): Promise<void> {
	await db
		.updateTable('courses')
		.set({ updated_at: new Date() })
		.where('id', '=', courseId)
		.execute();
}

export async function paragraphCount(db: Executor, courseId: number): Promise<number> {
	const row = await db
		.selectFrom('article_paragraphs')
		.select(sql<number>`count(*)::int`.as('n'))
		.where('course_id', '=', courseId)
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

/** The slug of another row of the course's `table` than `id`, if one has `slug` already. */
export async function slugClash(
	db: Executor,
	table: 'actors' | 'concerns' | 'lessons' | 'quizzes',
	courseId: number,
	id: number | null,
	slug: string
): Promise<boolean> {
	const row = await db
		.selectFrom(table)
		.select('id')
		.where('course_id', '=', courseId)
		.where('slug', '=', slug)
		.where('id', '!=', id ?? 0)
		.executeTakeFirst();
	return row !== undefined;
}

/** A change with nothing to return: it lands, or says why not (the item is gone, a class needs it). */
export type Changed = { ok: true } | Refused;
export type Deleted = Changed;

export const gone = (what: string): Refused => failed({ form: `That ${what} no longer exists.` });
