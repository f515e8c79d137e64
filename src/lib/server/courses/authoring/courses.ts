/** Courses as a whole: the author's list, the editor home, creating, details, deleting. */
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Executor } from '../../db/index.ts';
import type { CourseStatus } from '../../db/types.ts';
import { canEditCourse } from '../access.ts';
import { insertParagraphs } from './paragraphs.ts';
import { editCourse } from './publish.ts';
import {
	atomically,
	failed,
	hasErrors,
	isUniqueViolation,
	paragraphCount,
	type FieldErrors,
	type Positioned,
	type Saved,
	type Viewer
} from './shared.ts';
import { checkProse, isSlug, slugify, splitArticle } from './text.ts';

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
			await insertParagraphs(trx, id, article.paragraphs);
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
	return await editCourse(db, courseId, async (trx) => {
		const count = await paragraphCount(trx, courseId);
		const errors: FieldErrors = {};
		checkProse(errors, 'summary', input.summary, count);
		checkProse(errors, 'note', input.note, count);
		if (hasErrors(errors)) return failed(errors);
		await trx
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
		return { ok: true as const };
	});
}
/** How many classes are taught from the course: such a course cannot be deleted or replaced. */
export async function classesUsingCourse(db: Executor, courseId: number): Promise<number> {
	const row = await db
		.selectFrom('classes')
		.select(sql<number>`count(*)::int`.as('n'))
		.where('course_id', '=', courseId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Deletes the course and everything in it (the foreign keys cascade), students' progress too. */
export async function deleteCourse(db: Executor, courseId: number): Promise<boolean> {
	const res = await db.deleteFrom('courses').where('id', '=', courseId).executeTakeFirst();
	return Number(res.numDeletedRows) > 0;
}
