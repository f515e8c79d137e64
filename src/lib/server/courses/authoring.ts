/**
 * Authoring: every change an instructor makes to a course, one verb per form. Who may edit is
 * settled by findEditableCourse; the other functions trust the course id they are given.
 *
 * Functions that write more than one row are atomic on their own (they open a transaction, or
 * join the caller's), so a route cannot forget to wrap them and a test can call them directly.
 * Checks that need the database (a slug already used, a citation past the last paragraph) come
 * back as field messages; the package-wide rules are applied by publishCourse, through the same
 * reader that validates uploads, so a published course is always a valid package.
 */
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { parseCitations } from '../../citations/index.ts';
import type {
	ConcernKind,
	CoursePackage,
	PackageError,
	PackageFiles,
	Stance
} from '../../courses/package.ts';
import { parseArticle, readPackage } from '../../courses/read.ts';
import { SLUG } from '../../courses/schemas.ts';
import { writePackage } from '../../courses/write.ts';
import type { SessionUser } from '../auth/session.ts';
import { inTransaction, type Db, type Executor } from '../db/index.ts';
import type { CourseStatus } from '../db/types.ts';
import { canEditCourse } from './access.ts';
import { CourseInUseError, exportCourse, importCourse } from './import-export.ts';

export type FieldErrors = Record<string, string>;
/** A save either lands (with what the caller needs next) or explains itself field by field. */
export type Saved<T extends object = object> =
	({ ok: true } & T) | { ok: false; errors: FieldErrors };
type Viewer = Pick<SessionUser, 'id' | 'role'>;

function atomically<T>(db: Executor, fn: (trx: Executor) => Promise<T>): Promise<T> {
	// Kysely cannot open a transaction inside another; the caller's one is atomic already.
	return db.isTransaction ? fn(db) : inTransaction(db as Db, fn);
}

function isUniqueViolation(e: unknown): boolean {
	return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

const failed = (errors: FieldErrors) => ({ ok: false as const, errors });
const hasErrors = (errors: FieldErrors) => Object.keys(errors).length > 0;

// ---------------------------------------------------------------------------------------------
// Text rules shared by the forms

/**
 * A URL-safe slug made from a title: "Washington's case" → "washingtons-case". Empty when the
 * title has no latin letters or digits to make one from.
 */
export function slugify(text: string, max = 60): string {
	const base = text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/['’]/g, '')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
	if (base.length <= max) return base;
	const cut = base.slice(0, max);
	const wordEnd = cut.lastIndexOf('-');
	return (wordEnd > max / 2 ? cut.slice(0, wordEnd) : cut).replace(/-+$/, '');
}

export const isSlug = (s: string) => SLUG.test(s);

export type CitesParse = { ok: true; cites: number[] } | { ok: false; message: string };

/**
 * A `cites` list as typed in a form: "1, 4" (or "1 4", "¶1, ¶4", "[1, 4]") → [1, 4], sorted and
 * without repeats, since it names the paragraphs a record rests on rather than an order.
 */
export function parseCites(text: string): CitesParse {
	const inner = text.trim().replace(/^\[([^\]]*)\]$/, '$1');
	const cites: number[] = [];
	for (const item of inner.split(/[\s,]+/).filter(Boolean)) {
		const m = /^¶?(\d{1,6})$/.exec(item);
		if (!m)
			return {
				ok: false,
				message: `“${item}” is not a paragraph number: write numbers separated by commas, e.g. 1, 4.`
			};
		const n = Number(m[1]);
		if (n < 1) return { ok: false, message: 'Paragraph numbers start at 1.' };
		if (!cites.includes(n)) cites.push(n);
	}
	return { ok: true, cites: cites.sort((a, b) => a - b) };
}

export const formatCites = (cites: number[]) => cites.join(', ');

function missingParagraphs(bad: number[], count: number): string {
	const which = bad.map((n) => `¶${n}`).join(', ');
	const article =
		count === 0
			? 'the article has no paragraphs'
			: `the article has ${count} paragraph${count === 1 ? '' : 's'}`;
	return `${which} ${bad.length === 1 ? 'does' : 'do'} not exist: ${article}.`;
}

/** The message for prose whose `[¶n]` citations point past the article, if any do. */
export function citationProblem(text: string, count: number): string | undefined {
	const bad = parseCitations(text).filter((n) => n < 1 || n > count);
	return bad.length ? missingParagraphs(bad, count) : undefined;
}

function checkProse(errors: FieldErrors, field: string, text: string | null, count: number) {
	if (!text || errors[field]) return;
	const problem = citationProblem(text, count);
	if (problem) errors[field] = problem;
}

function checkCites(errors: FieldErrors, field: string, cites: number[], count: number) {
	if (errors[field]) return;
	const bad = cites.filter((n) => n > count);
	if (bad.length) errors[field] = missingParagraphs(bad, count);
}

export type ArticleSplit = { ok: true; paragraphs: string[] } | { ok: false; message: string };

/**
 * Pasted article text → paragraphs, by the rule article.txt follows (blocks separated by blank
 * lines, a block's lines joined), so that what is stored exports and re-imports unchanged.
 */
export function splitArticle(text: string): ArticleSplit {
	const { paragraphs, errors } = parseArticle(text);
	if (errors.length)
		return {
			ok: false,
			message:
				'The last line starts with “Reference:”, which is not part of the article: remove it ' +
				'and put the reference in the course details instead.'
		};
	if (paragraphs.length === 0) return { ok: false, message: 'Paste the text of the article.' };
	return { ok: true, paragraphs };
}

// ---------------------------------------------------------------------------------------------
// Shared SQL

type Positioned = 'actors' | 'concerns' | 'lessons' | 'glossary_terms' | 'timeline_events';

async function nextPosition(db: Executor, table: Positioned, courseId: number): Promise<number> {
	const { rows } = await sql<{ n: number }>`
		select coalesce(max(position), 0)::int + 1 as n from ${sql.table(table)}
		where course_id = ${courseId}`.execute(db);
	return Number(rows[0].n);
}

/** Keeps positions 1..n after the row at `position` is gone. */
async function closeGap(db: Executor, table: Positioned, courseId: number, position: number) {
	await sql`
		update ${sql.table(table)} set position = position - 1
		where course_id = ${courseId} and position > ${position}`.execute(db);
}

/**
 * Deletes one positioned row of the course and closes the gap it leaves, so positions stay
 * 1..n; returns the deleted row's position, or undefined when there was no such row.
 */
async function deletePositioned(
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

async function touchCourse(db: Executor, courseId: number): Promise<void> {
	await db
		.updateTable('courses')
		.set({ updated_at: new Date() })
		.where('id', '=', courseId)
		.execute();
}

async function paragraphCount(db: Executor, courseId: number): Promise<number> {
	const row = await db
		.selectFrom('article_paragraphs')
		.select(sql<number>`count(*)::int`.as('n'))
		.where('course_id', '=', courseId)
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Courses

export interface AuthoredCourse {
	id: number;
	slug: string;
	title: string;
	status: CourseStatus;
	ownerName: string | null;
	mine: boolean;
	updatedAt: Date;
	lessonCount: number;
	actorCount: number;
}

/** The courses the viewer may edit: their own, or every course for an admin. */
export async function listAuthoredCourses(db: Executor, viewer: Viewer): Promise<AuthoredCourse[]> {
	let q = db
		.selectFrom('courses as c')
		.leftJoin('users as u', 'u.id', 'c.owner_id')
		.select((eb) => [
			'c.id',
			'c.slug',
			'c.title',
			'c.status',
			'c.owner_id as ownerId',
			'u.name as ownerName',
			'c.updated_at as updatedAt',
			eb
				.selectFrom('lessons')
				.select(sql<number>`count(*)::int`.as('n'))
				.whereRef('lessons.course_id', '=', 'c.id')
				.as('lessonCount'),
			eb
				.selectFrom('actors')
				.select(sql<number>`count(*)::int`.as('n'))
				.whereRef('actors.course_id', '=', 'c.id')
				.as('actorCount')
		]);
	if (viewer.role !== 'admin') q = q.where('c.owner_id', '=', viewer.id);
	const rows = await q.orderBy('c.updated_at', 'desc').orderBy('c.id', 'desc').execute();
	return rows.map(({ ownerId, ...r }) => ({
		...r,
		mine: ownerId === viewer.id,
		lessonCount: Number(r.lessonCount),
		actorCount: Number(r.actorCount)
	}));
}

export interface EditableCourse {
	id: number;
	slug: string;
	title: string;
	status: CourseStatus;
	ownerId: number | null;
	paragraphCount: number;
}

/** The course if `viewer` may change it (its owner or an admin); undefined otherwise. */
export async function findEditableCourse(
	db: Executor,
	viewer: Viewer | null,
	slug: string
): Promise<EditableCourse | undefined> {
	const row = await db
		.selectFrom('courses as c')
		.select((eb) => [
			'c.id',
			'c.slug',
			'c.title',
			'c.status',
			'c.owner_id as ownerId',
			eb
				.selectFrom('article_paragraphs as p')
				.select(sql<number>`count(*)::int`.as('n'))
				.whereRef('p.course_id', '=', 'c.id')
				.as('paragraphCount')
		])
		.where('c.slug', '=', slug)
		.executeTakeFirst();
	if (!row || !canEditCourse(viewer, row)) return undefined;
	return { ...row, paragraphCount: Number(row.paragraphCount) };
}

export interface Paragraph {
	number: number;
	body: string;
}

export async function listParagraphs(db: Executor, courseId: number): Promise<Paragraph[]> {
	return await db
		.selectFrom('article_paragraphs')
		.select(['number', 'body'])
		.where('course_id', '=', courseId)
		.orderBy('number')
		.execute();
}

/** Everything the course's editor home shows. */
export async function getCourseDetails(db: Executor, courseId: number) {
	const count = (table: Positioned | 'questions') =>
		sql<number>`(select count(*)::int from ${sql.table(table)} where course_id = c.id)`;
	const row = await db
		.selectFrom('courses as c')
		.select((eb) => [
			'c.id',
			'c.slug',
			'c.title',
			'c.summary',
			'c.status',
			'c.owner_id as ownerId',
			'c.article_title as articleTitle',
			'c.article_publisher as articlePublisher',
			'c.article_date as articleDate',
			'c.article_reference as articleReference',
			'c.article_note as articleNote',
			'c.updated_at as updatedAt',
			'c.published_at as publishedAt',
			jsonArrayFrom(
				eb
					.selectFrom('article_paragraphs as p')
					.select(['p.number', 'p.body'])
					.whereRef('p.course_id', '=', 'c.id')
					.orderBy('p.number')
			).as('paragraphs'),
			count('actors').as('actors'),
			count('concerns').as('concerns'),
			count('lessons').as('lessons'),
			count('glossary_terms').as('glossary'),
			count('timeline_events').as('timeline'),
			count('questions').as('questions')
		])
		.where('c.id', '=', courseId)
		.executeTakeFirst();
	if (!row) return undefined;
	const { actors, concerns, lessons, glossary, timeline, questions, ...course } = row;
	return {
		...course,
		counts: {
			actors: Number(actors),
			concerns: Number(concerns),
			lessons: Number(lessons),
			glossary: Number(glossary),
			timeline: Number(timeline),
			questions: Number(questions)
		}
	};
}

export interface NewCourseInput {
	title: string;
	/** Null: made from the title. */
	slug: string | null;
	articleTitle: string;
	publisher: string | null;
	date: string | null;
	/** The article as pasted: paragraphs separated by blank lines. */
	text: string;
}

function slugTaken(slug: string, derived: boolean): string {
	return derived
		? `The address “${slug}” (made from the title) is already used by another course: choose another.`
		: `The address “${slug}” is already used by another course: choose another.`;
}

/** A new draft owned by `ownerId`, with the article split into numbered paragraphs. */
export async function createCourseFromArticle(
	db: Executor,
	ownerId: number,
	input: NewCourseInput
): Promise<Saved<{ id: number; slug: string }>> {
	const errors: FieldErrors = {};
	const article = splitArticle(input.text);
	if (!article.ok) errors.text = article.message;
	const derived = !input.slug;
	const slug = input.slug || slugify(input.title);
	if (!slug)
		errors.slug = 'Type an address: the title has no letters a–z or digits to make one from.';
	else if (!isSlug(slug))
		errors.slug = 'Use a–z, 0–9 and single hyphens, e.g. un-cybercrime-treaty.';
	if (hasErrors(errors) || !article.ok) return failed(errors);
	try {
		return await atomically(db, async (trx) => {
			const taken = await trx
				.selectFrom('courses')
				.select('id')
				.where('slug', '=', slug)
				.executeTakeFirst();
			if (taken) return failed({ slug: slugTaken(slug, derived) });
			const { id } = await trx
				.insertInto('courses')
				.values({
					slug,
					title: input.title,
					article_title: input.articleTitle,
					article_publisher: input.publisher,
					article_date: input.date,
					owner_id: ownerId,
					status: 'draft'
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx
				.insertInto('article_paragraphs')
				.values(article.paragraphs.map((body, i) => ({ course_id: id, number: i + 1, body })))
				.execute();
			return { ok: true as const, id, slug };
		});
	} catch (e) {
		// Another course took the slug between the check and the insert.
		if (isUniqueViolation(e)) return failed({ slug: slugTaken(slug, derived) });
		throw e;
	}
}

export interface CourseDetailsInput {
	title: string;
	summary: string;
	articleTitle: string;
	publisher: string | null;
	date: string | null;
	reference: string | null;
	note: string | null;
}

export async function updateCourseDetails(
	db: Executor,
	courseId: number,
	input: CourseDetailsInput
): Promise<Saved> {
	const count = await paragraphCount(db, courseId);
	const errors: FieldErrors = {};
	checkProse(errors, 'summary', input.summary, count);
	checkProse(errors, 'note', input.note, count);
	if (hasErrors(errors)) return failed(errors);
	await db
		.updateTable('courses')
		.set({
			title: input.title,
			summary: input.summary,
			article_title: input.articleTitle,
			article_publisher: input.publisher,
			article_date: input.date,
			article_reference: input.reference,
			article_note: input.note,
			updated_at: new Date()
		})
		.where('id', '=', courseId)
		.execute();
	return { ok: true };
}

/**
 * Replaces the article's paragraphs with `text` split anew. Citations are not rewritten: they
 * keep their numbers, which is why the editor warns before renumbering.
 */
export async function replaceParagraphs(
	db: Executor,
	courseId: number,
	text: string
): Promise<Saved<{ count: number }>> {
	const article = splitArticle(text);
	if (!article.ok) return failed({ paragraphs: article.message });
	return await atomically(db, async (trx) => {
		await trx.deleteFrom('article_paragraphs').where('course_id', '=', courseId).execute();
		await trx
			.insertInto('article_paragraphs')
			.values(article.paragraphs.map((body, i) => ({ course_id: courseId, number: i + 1, body })))
			.execute();
		await touchCourse(trx, courseId);
		return { ok: true as const, count: article.paragraphs.length };
	});
}

export type PublishResult = { ok: true } | { ok: false; errors: PackageError[] };

/**
 * The course as stored, written out as a package and read back by the importer's validator:
 * the problems a download of it would have if uploaded again, by file and line.
 */
export async function checkCourse(db: Executor, courseId: number): Promise<PackageError[]> {
	const files = await exportCourseFiles(db, courseId);
	if (!files) return [{ file: '', line: null, message: 'there is no such course' }];
	return readPackage(files).errors;
}

/** Publishes the course if, and only if, it is a valid package; otherwise says every problem. */
export async function publishCourse(db: Executor, courseId: number): Promise<PublishResult> {
	return await atomically(db, async (trx) => {
		// Locked so that no edit lands between the check and the status change.
		await trx.selectFrom('courses').select('id').where('id', '=', courseId).forUpdate().execute();
		const errors = await checkCourse(trx, courseId);
		if (errors.length) return { ok: false as const, errors };
		await trx
			.updateTable('courses')
			// Publishing again keeps the first date; unpublishing clears it.
			.set({
				status: 'published',
				published_at: sql<Date>`coalesce(published_at, now())`,
				updated_at: new Date()
			})
			.where('id', '=', courseId)
			.execute();
		return { ok: true as const };
	});
}

export async function unpublishCourse(db: Executor, courseId: number): Promise<void> {
	await db
		.updateTable('courses')
		.set({ status: 'draft', published_at: null, updated_at: new Date() })
		.where('id', '=', courseId)
		.execute();
}

/** Deletes the course and everything in it (the foreign keys cascade), students' progress too. */
/** How many classes are taught from the course: such a course cannot be deleted or replaced. */
export async function classesUsingCourse(db: Executor, courseId: number): Promise<number> {
	const row = await db
		.selectFrom('classes')
		.select(sql<number>`count(*)::int`.as('n'))
		.where('course_id', '=', courseId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function deleteCourse(db: Executor, courseId: number): Promise<boolean> {
	const res = await db.deleteFrom('courses').where('id', '=', courseId).executeTakeFirst();
	return Number(res.numDeletedRows) > 0;
}

/** The course as package files (content/<slug>/ layout), for downloads and for checking. */
export async function exportCourseFiles(
	db: Executor,
	courseId: number
): Promise<PackageFiles | undefined> {
	const pkg = await exportCourse(db, courseId);
	return pkg && writePackage(pkg);
}

export type ImportResult =
	| { ok: true; id: number; slug: string }
	| { ok: false; exists: true; slug: string; canReplace: boolean; message?: string };

/**
 * Imports a validated package as a draft owned by the viewer. A course with the same slug is
 * replaced only when asked and only when it is the viewer's own; a course taught in classes is
 * updated in place, and refused (with `message` naming the classes and items) when the package
 * would drop a lesson or question a class uses.
 */
export async function importCoursePackage(
	db: Executor,
	viewer: Viewer,
	pkg: CoursePackage,
	opts: { replace: boolean }
): Promise<ImportResult> {
	const slug = pkg.course.slug;
	try {
		return await atomically(db, async (trx) => {
			const existing = await trx
				.selectFrom('courses')
				.select(['id', 'owner_id as ownerId', 'status'])
				.where('slug', '=', slug)
				.executeTakeFirst();
			const canReplace = existing?.ownerId === viewer.id;
			if (existing && !(opts.replace && canReplace))
				return { ok: false as const, exists: true as const, slug, canReplace };
			// A replaced course keeps its status: the package passed the checks publishing runs, and
			// the students of a class taught from it keep their lessons.
			const id = await importCourse(trx, pkg, {
				ownerId: viewer.id,
				status: existing?.status ?? 'draft',
				replace: !!existing
			});
			return { ok: true as const, id, slug };
		});
	} catch (e) {
		// importCourse refuses before it writes anything, so the transaction has nothing to undo.
		if (e instanceof CourseInUseError)
			return { ok: false, exists: true, slug, canReplace: true, message: e.message };
		throw e;
	}
}

// ---------------------------------------------------------------------------------------------
// Actors

export interface ActorInput {
	slug: string;
	name: string;
	short: string;
	stance: Stance;
	stanceLabel: string;
	summary: string;
	cites: number[];
}

export interface Actor extends ActorInput {
	id: number;
	position: number;
	concernCount: number;
}

export async function listActors(db: Executor, courseId: number): Promise<Actor[]> {
	const rows = await db
		.selectFrom('actors as a')
		.select((eb) => [
			'a.id',
			'a.position',
			'a.slug',
			'a.name',
			'a.short_name as short',
			'a.stance',
			'a.stance_label as stanceLabel',
			'a.summary',
			'a.cites',
			eb
				.selectFrom('actor_concerns as ac')
				.select(sql<number>`count(*)::int`.as('n'))
				.whereRef('ac.actor_id', '=', 'a.id')
				.as('concernCount')
		])
		.where('a.course_id', '=', courseId)
		.orderBy('a.position')
		.execute();
	return rows.map((r) => ({
		...r,
		stance: r.stance as Stance,
		concernCount: Number(r.concernCount)
	}));
}

/** Adds (`actorId` null) or changes an actor. A changed slug is followed in the lessons. */
export async function saveActor(
	db: Executor,
	courseId: number,
	actorId: number | null,
	input: ActorInput
): Promise<Saved<{ id: number }>> {
	return await atomically(db, async (trx) => {
		const count = await paragraphCount(trx, courseId);
		const errors: FieldErrors = {};
		const clash = await trx
			.selectFrom('actors')
			.select('id')
			.where('course_id', '=', courseId)
			.where('slug', '=', input.slug)
			.where('id', '!=', actorId ?? 0)
			.executeTakeFirst();
		if (clash) errors.slug = `Another actor already has the address “${input.slug}”.`;
		checkProse(errors, 'summary', input.summary, count);
		checkCites(errors, 'cites', input.cites, count);
		if (hasErrors(errors)) return failed(errors);

		const values = {
			slug: input.slug,
			name: input.name,
			short_name: input.short,
			stance: input.stance,
			stance_label: input.stanceLabel,
			summary: input.summary,
			cites: input.cites
		};
		let id: number;
		if (actorId === null) {
			const position = await nextPosition(trx, 'actors', courseId);
			({ id } = await trx
				.insertInto('actors')
				.values({ ...values, course_id: courseId, position })
				.returning('id')
				.executeTakeFirstOrThrow());
		} else {
			const before = await trx
				.selectFrom('actors')
				.select('slug')
				.where('id', '=', actorId)
				.where('course_id', '=', courseId)
				.executeTakeFirst();
			if (!before) return failed({ form: 'That actor no longer exists.' });
			await trx.updateTable('actors').set(values).where('id', '=', actorId).execute();
			if (before.slug !== input.slug) {
				await trx
					.updateTable('lessons')
					.set({ actor_slugs: sql`array_replace(actor_slugs, ${before.slug}, ${input.slug})` })
					.where('course_id', '=', courseId)
					.execute();
			}
			id = actorId;
		}
		await touchCourse(trx, courseId);
		return { ok: true as const, id };
	});
}

/**
 * Deletes an actor with its holder links (the foreign key cascades), drops it from lessons'
 * actor lists, and keeps the positions of the rest dense.
 */
export async function deleteActor(
	db: Executor,
	courseId: number,
	actorId: number
): Promise<boolean> {
	return await atomically(db, async (trx) => {
		const gone = await trx
			.deleteFrom('actors')
			.where('id', '=', actorId)
			.where('course_id', '=', courseId)
			.returning(['slug', 'position'])
			.executeTakeFirst();
		if (!gone) return false;
		await closeGap(trx, 'actors', courseId, gone.position);
		await sql`
			update actor_concerns as ac set position = r.n
			from (
				select concern_id, actor_id, row_number() over (partition by concern_id order by position) as n
				from actor_concerns
				where concern_id in (select id from concerns where course_id = ${courseId})
			) as r
			where ac.concern_id = r.concern_id and ac.actor_id = r.actor_id and ac.position <> r.n`.execute(
			trx
		);
		await trx
			.updateTable('lessons')
			.set({ actor_slugs: sql`array_remove(actor_slugs, ${gone.slug})` })
			.where('course_id', '=', courseId)
			.execute();
		await touchCourse(trx, courseId);
		return true;
	});
}

// ---------------------------------------------------------------------------------------------
// Concerns

export interface HolderInput {
	actorId: number;
	kind: ConcernKind;
	summary: string;
	cites: number[];
}

export interface ConcernInput {
	slug: string;
	label: string;
	description: string;
	/** In display order; replaces the concern's holders. */
	holders: HolderInput[];
}

export interface Holder extends HolderInput {
	actorSlug: string;
	actorName: string;
}

export interface Concern {
	id: number;
	position: number;
	slug: string;
	label: string;
	description: string;
	holders: Holder[];
}

function concernsQuery(db: Executor, courseId: number) {
	return db
		.selectFrom('concerns as k')
		.select((eb) => [
			'k.id',
			'k.position',
			'k.slug',
			'k.label',
			'k.description',
			jsonArrayFrom(
				eb
					.selectFrom('actor_concerns as ac')
					.innerJoin('actors as a', 'a.id', 'ac.actor_id')
					.select([
						'ac.actor_id as actorId',
						'a.slug as actorSlug',
						'a.name as actorName',
						'ac.kind',
						'ac.summary',
						'ac.cites'
					])
					.whereRef('ac.concern_id', '=', 'k.id')
					.orderBy('ac.position')
			).as('holders')
		])
		.where('k.course_id', '=', courseId);
}

export async function listConcerns(db: Executor, courseId: number): Promise<Concern[]> {
	return await concernsQuery(db, courseId).orderBy('k.position').execute();
}

export async function findConcern(
	db: Executor,
	courseId: number,
	slug: string
): Promise<Concern | undefined> {
	return await concernsQuery(db, courseId).where('k.slug', '=', slug).executeTakeFirst();
}

/**
 * Adds (`concernId` null) or changes a concern and replaces its holders, all at once. Errors on
 * a holder are keyed `holders.<index>.<field>`.
 */
export async function saveConcern(
	db: Executor,
	courseId: number,
	concernId: number | null,
	input: ConcernInput
): Promise<Saved<{ id: number; slug: string }>> {
	return await atomically(db, async (trx) => {
		const count = await paragraphCount(trx, courseId);
		const errors: FieldErrors = {};
		const clash = await trx
			.selectFrom('concerns')
			.select('id')
			.where('course_id', '=', courseId)
			.where('slug', '=', input.slug)
			.where('id', '!=', concernId ?? 0)
			.executeTakeFirst();
		if (clash) errors.slug = `Another concern already has the address “${input.slug}”.`;
		checkProse(errors, 'description', input.description, count);

		const actors = new Set(
			(await trx.selectFrom('actors').select('id').where('course_id', '=', courseId).execute()).map(
				(a) => a.id
			)
		);
		const seen = new Set<number>();
		input.holders.forEach((h, i) => {
			const at = `holders.${i}`;
			if (!actors.has(h.actorId)) errors[`${at}.actor`] = 'Choose an actor of this course.';
			else if (seen.has(h.actorId))
				errors[`${at}.actor`] = 'This actor already holds the concern: one entry per actor.';
			seen.add(h.actorId);
			if (h.cites.length === 0)
				errors[`${at}.cites`] = 'Cite at least one paragraph the link rests on, e.g. 1.';
			checkCites(errors, `${at}.cites`, h.cites, count);
			checkProse(errors, `${at}.summary`, h.summary, count);
		});
		if (hasErrors(errors)) return failed(errors);

		const values = { slug: input.slug, label: input.label, description: input.description };
		let id: number;
		if (concernId === null) {
			const position = await nextPosition(trx, 'concerns', courseId);
			({ id } = await trx
				.insertInto('concerns')
				.values({ ...values, course_id: courseId, position })
				.returning('id')
				.executeTakeFirstOrThrow());
		} else {
			const res = await trx
				.updateTable('concerns')
				.set(values)
				.where('id', '=', concernId)
				.where('course_id', '=', courseId)
				.executeTakeFirst();
			if (Number(res.numUpdatedRows) === 0)
				return failed({ form: 'That concern no longer exists.' });
			id = concernId;
			await trx.deleteFrom('actor_concerns').where('concern_id', '=', id).execute();
		}
		if (input.holders.length) {
			await trx
				.insertInto('actor_concerns')
				.values(
					input.holders.map((h, i) => ({
						concern_id: id,
						actor_id: h.actorId,
						position: i + 1,
						kind: h.kind,
						summary: h.summary,
						cites: h.cites
					}))
				)
				.execute();
		}
		await touchCourse(trx, courseId);
		return { ok: true as const, id, slug: input.slug };
	});
}

export async function deleteConcern(
	db: Executor,
	courseId: number,
	concernId: number
): Promise<boolean> {
	return await atomically(
		db,
		async (trx) => (await deletePositioned(trx, 'concerns', courseId, concernId)) !== undefined
	);
}

// ---------------------------------------------------------------------------------------------
// Lessons

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

/** The ids lessons can name as check questions (questions come from an imported package). */
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
	return await atomically(db, async (trx) => {
		const [count, clash, actorRows, questionIds] = await Promise.all([
			paragraphCount(trx, courseId),
			trx
				.selectFrom('lessons')
				.select('id')
				.where('course_id', '=', courseId)
				.where('slug', '=', input.slug)
				.where('id', '!=', lessonId ?? 0)
				.executeTakeFirst(),
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
				: 'This course has no questions yet (they come with an imported package): leave this empty.';
		checkProse(errors, 'summary', input.summary, count);
		input.keyPoints.forEach((point, i) => {
			const problem = errors.keyPoints ? undefined : citationProblem(point, count);
			if (problem) errors.keyPoints = `Point ${i + 1}: ${problem}`;
		});
		checkProse(errors, 'body', input.body, count);
		if (hasErrors(errors)) return failed(errors);

		const values = {
			slug: input.slug,
			title: input.title,
			summary: input.summary,
			body: input.body,
			key_points: input.keyPoints,
			actor_slugs: input.actors,
			check_ids: input.check
		};
		let id: number;
		if (lessonId === null) {
			const position = await nextPosition(trx, 'lessons', courseId);
			({ id } = await trx
				.insertInto('lessons')
				.values({ ...values, course_id: courseId, position })
				.returning('id')
				.executeTakeFirstOrThrow());
		} else {
			const res = await trx
				.updateTable('lessons')
				.set(values)
				.where('id', '=', lessonId)
				.where('course_id', '=', courseId)
				.executeTakeFirst();
			if (Number(res.numUpdatedRows) === 0)
				return failed({ form: 'That lesson no longer exists.' });
			id = lessonId;
		}
		await touchCourse(trx, courseId);
		return { ok: true as const, id, slug: input.slug };
	});
}

export async function deleteLesson(
	db: Executor,
	courseId: number,
	lessonId: number
): Promise<boolean> {
	return await atomically(
		db,
		async (trx) => (await deletePositioned(trx, 'lessons', courseId, lessonId)) !== undefined
	);
}

/** Swaps a lesson with its neighbour; false when it is already first (up) or last (down). */
export async function moveLesson(
	db: Executor,
	courseId: number,
	lessonId: number,
	direction: 'up' | 'down'
): Promise<boolean> {
	return await atomically(db, async (trx) => {
		const lesson = await trx
			.selectFrom('lessons')
			.select('position')
			.where('id', '=', lessonId)
			.where('course_id', '=', courseId)
			.executeTakeFirst();
		if (!lesson) return false;
		const target = lesson.position + (direction === 'up' ? -1 : 1);
		const neighbour = await trx
			.selectFrom('lessons')
			.select('id')
			.where('course_id', '=', courseId)
			.where('position', '=', target)
			.executeTakeFirst();
		if (!neighbour) return false;
		await trx
			.updateTable('lessons')
			.set({ position: lesson.position })
			.where('id', '=', neighbour.id)
			.execute();
		await trx.updateTable('lessons').set({ position: target }).where('id', '=', lessonId).execute();
		await touchCourse(trx, courseId);
		return true;
	});
}

// ---------------------------------------------------------------------------------------------
// Glossary

export interface TermInput {
	term: string;
	definition: string;
	/** Context from outside the article: both or neither. */
	beyondNote: string | null;
	beyondSource: string | null;
}

export interface Term extends TermInput {
	id: number;
	position: number;
}

export async function listGlossary(db: Executor, courseId: number): Promise<Term[]> {
	return await db
		.selectFrom('glossary_terms')
		.select([
			'id',
			'position',
			'term',
			'definition',
			'beyond_note as beyondNote',
			'beyond_source as beyondSource'
		])
		.where('course_id', '=', courseId)
		.orderBy('position')
		.execute();
}

export async function saveTerm(
	db: Executor,
	courseId: number,
	termId: number | null,
	input: TermInput
): Promise<Saved<{ id: number }>> {
	return await atomically(db, async (trx) => {
		const count = await paragraphCount(trx, courseId);
		const errors: FieldErrors = {};
		const clash = await trx
			.selectFrom('glossary_terms')
			.select('id')
			.where('course_id', '=', courseId)
			.where(sql<boolean>`lower(trim(term)) = ${input.term.trim().toLowerCase()}`)
			.where('id', '!=', termId ?? 0)
			.executeTakeFirst();
		if (clash) errors.term = `“${input.term}” is already in the glossary.`;
		if (input.beyondNote && !input.beyondSource)
			errors.beyondSource = 'Say where the note comes from (publisher, title, year).';
		if (input.beyondSource && !input.beyondNote)
			errors.beyondNote = 'Write the note, or leave the source empty too.';
		checkProse(errors, 'definition', input.definition, count);
		checkProse(errors, 'beyondNote', input.beyondNote, count);
		if (hasErrors(errors)) return failed(errors);

		const values = {
			term: input.term,
			definition: input.definition,
			beyond_note: input.beyondNote,
			beyond_source: input.beyondSource
		};
		let id: number;
		if (termId === null) {
			const position = await nextPosition(trx, 'glossary_terms', courseId);
			({ id } = await trx
				.insertInto('glossary_terms')
				.values({ ...values, course_id: courseId, position })
				.returning('id')
				.executeTakeFirstOrThrow());
		} else {
			const res = await trx
				.updateTable('glossary_terms')
				.set(values)
				.where('id', '=', termId)
				.where('course_id', '=', courseId)
				.executeTakeFirst();
			if (Number(res.numUpdatedRows) === 0) return failed({ form: 'That term no longer exists.' });
			id = termId;
		}
		await touchCourse(trx, courseId);
		return { ok: true as const, id };
	});
}

export async function deleteTerm(db: Executor, courseId: number, termId: number): Promise<boolean> {
	return await atomically(
		db,
		async (trx) => (await deletePositioned(trx, 'glossary_terms', courseId, termId)) !== undefined
	);
}

// ---------------------------------------------------------------------------------------------
// Timeline

export interface EventInput {
	when: string;
	sort: number;
	event: string;
	cites: number[];
}

export interface TimelineEvent extends EventInput {
	id: number;
	position: number;
}

/** In reading order: by `sort`, then as entered. */
export async function listTimeline(db: Executor, courseId: number): Promise<TimelineEvent[]> {
	return await db
		.selectFrom('timeline_events')
		.select(['id', 'position', 'when_label as when', 'sort', 'event', 'cites'])
		.where('course_id', '=', courseId)
		.orderBy('sort')
		.orderBy('position')
		.execute();
}

export async function saveEvent(
	db: Executor,
	courseId: number,
	eventId: number | null,
	input: EventInput
): Promise<Saved<{ id: number }>> {
	return await atomically(db, async (trx) => {
		const count = await paragraphCount(trx, courseId);
		const errors: FieldErrors = {};
		checkProse(errors, 'event', input.event, count);
		checkCites(errors, 'cites', input.cites, count);
		if (hasErrors(errors)) return failed(errors);

		const values = {
			when_label: input.when,
			sort: input.sort,
			event: input.event,
			cites: input.cites
		};
		let id: number;
		if (eventId === null) {
			const position = await nextPosition(trx, 'timeline_events', courseId);
			({ id } = await trx
				.insertInto('timeline_events')
				.values({ ...values, course_id: courseId, position })
				.returning('id')
				.executeTakeFirstOrThrow());
		} else {
			const res = await trx
				.updateTable('timeline_events')
				.set(values)
				.where('id', '=', eventId)
				.where('course_id', '=', courseId)
				.executeTakeFirst();
			if (Number(res.numUpdatedRows) === 0) return failed({ form: 'That event no longer exists.' });
			id = eventId;
		}
		await touchCourse(trx, courseId);
		return { ok: true as const, id };
	});
}

export async function deleteEvent(
	db: Executor,
	courseId: number,
	eventId: number
): Promise<boolean> {
	return await atomically(
		db,
		async (trx) => (await deletePositioned(trx, 'timeline_events', courseId, eventId)) !== undefined
	);
}
