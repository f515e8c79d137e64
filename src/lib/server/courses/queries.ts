import { sql, type ExpressionBuilder } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Executor } from '../db/index.ts';
import type { CoursesTable, CourseStatus, Database, QuestionType } from '../db/types.ts';
import { storedAnswer } from './questions.ts';
import { cachedPage } from './page-cache.ts';

// Each page's data comes from one query (related lists as JSON arrays), plus at most one for the
// viewer's progress. Nothing here returns an answer key.

export interface CourseSummary {
	id: number;
	slug: string;
	title: string;
	summary: string;
	status: CourseStatus;
	ownerId: number | null;
	lessonCount: number;
	actorCount: number;
	updatedAt: Date;
}

export async function listCourses(
	db: Executor,
	viewer: { id: number; role: string } | null
): Promise<CourseSummary[]> {
	let q = db.selectFrom('courses as c').select((eb) => [
		'c.id',
		'c.slug',
		'c.title',
		'c.summary',
		'c.status',
		'c.owner_id as ownerId',
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
	if (!viewer || viewer.role === 'student') q = q.where('c.status', '=', 'published');
	else if (viewer.role === 'instructor') {
		q = q.where((eb) =>
			eb.or([eb('c.status', '=', 'published'), eb('c.owner_id', '=', viewer.id)])
		);
	}
	const rows = await q.orderBy('c.title').execute();
	return rows.map((r) => ({
		...r,
		lessonCount: Number(r.lessonCount),
		actorCount: Number(r.actorCount)
	}));
}

/**
 * The version of a course's content as the database holds it: it changes with every update of
 * the course row (xmin is the updating transaction; updated_at guards against xid wrap-around),
 * and every authoring change updates that row (editCourse, touchCourse). The reading pages keep
 * what they render under it (page-cache.ts).
 */
export const courseVersion = sql<string>`c.xmin::text || '@' || c.updated_at::text`;

// What every course page needs: who may see it, its content version, and which of its optional
// pages (glossary, timeline) have anything in them, for the course navigation.
export const courseHead = [
	'c.id',
	'c.slug',
	'c.title',
	'c.status',
	'c.owner_id as ownerId',
	courseVersion.as('version'),
	sql<boolean>`exists (select 1 from glossary_terms as hg where hg.course_id = c.id)`.as(
		'hasGlossary'
	),
	sql<boolean>`exists (select 1 from timeline_events as ht where ht.course_id = c.id)`.as(
		'hasTimeline'
	)
] as const;

/** Which optional pages of a course have content (from a row with courseHead's columns). */
export function courseSections(row: { hasGlossary: boolean; hasTimeline: boolean }) {
	return { glossary: !!row.hasGlossary, timeline: !!row.hasTimeline };
}

function paragraphsOf(eb: ExpressionBuilder<Database & { c: CoursesTable }, 'c'>) {
	return jsonArrayFrom(
		eb
			.selectFrom('article_paragraphs as p')
			.select(['p.number', 'p.body'])
			.whereRef('p.course_id', '=', 'c.id')
			.orderBy('p.number')
	).as('paragraphs');
}

export async function getCourseOverview(db: Executor, slug: string) {
	return await db
		.selectFrom('courses as c')
		.select((eb) => [
			...courseHead,
			'c.summary',
			'c.article_title as articleTitle',
			'c.article_publisher as articlePublisher',
			'c.article_date as articleDate',
			'c.article_reference as articleReference',
			'c.article_note as articleNote',
			paragraphsOf(eb as never),
			jsonArrayFrom(
				eb
					.selectFrom('actors as a')
					.select([
						'a.id',
						'a.slug',
						'a.name',
						'a.short_name as short',
						'a.stance',
						'a.stance_label as stanceLabel'
					])
					.whereRef('a.course_id', '=', 'c.id')
					.orderBy('a.position')
			).as('actors'),
			jsonArrayFrom(
				eb
					.selectFrom('lessons as l')
					.select([
						'l.id',
						'l.slug',
						'l.title',
						'l.summary',
						'l.position',
						sql<number>`coalesce(array_length(regexp_split_to_array(trim(l.body), '\\s+'), 1), 0)`.as(
							'words'
						)
					])
					.whereRef('l.course_id', '=', 'c.id')
					.orderBy('l.position')
			).as('lessons')
		])
		.where('c.slug', '=', slug)
		.executeTakeFirst();
}

/** The course's glossary, with the article's paragraphs its definitions cite. */
export async function getGlossaryPage(db: Executor, slug: string) {
	return await db
		.selectFrom('courses as c')
		.select((eb) => [
			...courseHead,
			paragraphsOf(eb as never),
			jsonArrayFrom(
				eb
					.selectFrom('glossary_terms as g')
					.select([
						'g.term',
						'g.definition',
						'g.beyond_note as beyondNote',
						'g.beyond_source as beyondSource'
					])
					.whereRef('g.course_id', '=', 'c.id')
					.orderBy('g.position')
			).as('glossary')
		])
		.where('c.slug', '=', slug)
		.executeTakeFirst();
}

/** The course's timeline in reading order, with the article's paragraphs it cites. */
export async function getTimelinePage(db: Executor, slug: string) {
	return await db
		.selectFrom('courses as c')
		.select((eb) => [
			...courseHead,
			paragraphsOf(eb as never),
			jsonArrayFrom(
				eb
					.selectFrom('timeline_events as t')
					.select(['t.when_label as when', 't.event', 't.cites'])
					.whereRef('t.course_id', '=', 'c.id')
					.orderBy('t.sort')
					.orderBy('t.position')
			).as('timeline')
		])
		.where('c.slug', '=', slug)
		.executeTakeFirst();
}

export async function getArticle(db: Executor, slug: string) {
	return await db
		.selectFrom('courses as c')
		.select((eb) => [
			...courseHead,
			'c.article_title as articleTitle',
			'c.article_publisher as articlePublisher',
			'c.article_date as articleDate',
			'c.article_reference as articleReference',
			'c.article_note as articleNote',
			paragraphsOf(eb as never),
			jsonArrayFrom(
				eb
					.selectFrom('actors as a')
					.select(['a.slug', 'a.name', 'a.short_name as short', 'a.cites'])
					.whereRef('a.course_id', '=', 'c.id')
					.orderBy('a.position')
			).as('actors')
		])
		.where('c.slug', '=', slug)
		.executeTakeFirst();
}

export interface PublicCheckQuestion {
	id: number;
	externalId: string;
	type: QuestionType;
	prompt: string;
	cites: number[];
	data: unknown;
}

/** The lesson, its neighbours, the article's paragraphs and its check questions (with keys: the
 * caller strips them before anything reaches a page). */
export async function getLessonPage(db: Executor, courseSlug: string, lessonSlug: string) {
	const row = await lessonPageQuery(db, courseSlug, lessonSlug);
	if (!row) return undefined;
	const { checks, ...rest } = row;
	return {
		...rest,
		checks: checks.map(({ data, ...q }) => ({ ...q, answer: storedAnswer(q.type, data) }))
	};
}

function lessonPageQuery(db: Executor, courseSlug: string, lessonSlug: string) {
	return db
		.selectFrom('courses as c')
		.innerJoin('lessons as l', (j) =>
			j.onRef('l.course_id', '=', 'c.id').on('l.slug', '=', lessonSlug)
		)
		.select((eb) => [
			...courseHead,
			jsonObjectFrom(
				eb
					.selectFrom('lessons as x')
					.select([
						'x.id',
						'x.slug',
						'x.title',
						'x.summary',
						'x.body',
						'x.key_points as keyPoints',
						'x.actor_slugs as actorSlugs',
						'x.position'
					])
					.whereRef('x.id', '=', 'l.id')
			).as('lesson'),
			jsonArrayFrom(
				eb
					.selectFrom('lessons as o')
					.select(['o.id', 'o.slug', 'o.title', 'o.position'])
					.whereRef('o.course_id', '=', 'c.id')
					.orderBy('o.position')
			).as('outline'),
			paragraphsOf(eb as never),
			jsonArrayFrom(
				eb
					.selectFrom('actors as a')
					.select(['a.slug', 'a.short_name as short'])
					.whereRef('a.course_id', '=', 'c.id')
					.where(sql<boolean>`a.slug = any(l.actor_slugs)`)
					.orderBy('a.position')
			).as('actors'),
			jsonArrayFrom(
				eb
					.selectFrom('questions as q')
					.select([
						'q.id',
						'q.external_id as externalId',
						'q.type',
						'q.prompt',
						'q.cites',
						'q.data'
					])
					.whereRef('q.course_id', '=', 'c.id')
					.where(sql<boolean>`q.external_id = any(l.check_ids)`)
					.orderBy(sql`array_position(l.check_ids, q.external_id)`)
			).as('checks')
		])
		.where('c.slug', '=', courseSlug)
		.executeTakeFirst();
}

export async function getActorPage(db: Executor, courseSlug: string, actorSlug: string) {
	return await db
		.selectFrom('courses as c')
		.innerJoin('actors as a', (j) =>
			j.onRef('a.course_id', '=', 'c.id').on('a.slug', '=', actorSlug)
		)
		.select((eb) => [
			...courseHead,
			'a.id as actorId',
			'a.slug as actorSlug',
			'a.name as actorName',
			'a.short_name as actorShort',
			'a.stance',
			'a.stance_label as stanceLabel',
			'a.summary as actorSummary',
			'a.cites as actorCites',
			paragraphsOf(eb as never),
			jsonArrayFrom(
				eb
					.selectFrom('actor_concerns as ac')
					.innerJoin('concerns as k', 'k.id', 'ac.concern_id')
					.select((e2) => [
						'k.slug',
						'k.label',
						'ac.kind',
						'ac.summary',
						'ac.cites',
						jsonArrayFrom(
							e2
								.selectFrom('actor_concerns as o')
								.innerJoin('actors as oa', 'oa.id', 'o.actor_id')
								.select(['oa.slug', 'oa.short_name as short', 'o.kind'])
								.whereRef('o.concern_id', '=', 'ac.concern_id')
								.whereRef('o.actor_id', '!=', 'ac.actor_id')
								.orderBy('oa.position')
						).as('sharedWith')
					])
					.whereRef('ac.actor_id', '=', 'a.id')
					.orderBy('k.position')
			).as('concerns'),
			jsonArrayFrom(
				eb
					.selectFrom('lessons as l')
					.select(['l.slug', 'l.title'])
					.whereRef('l.course_id', '=', 'c.id')
					.where(sql<boolean>`a.slug = any(l.actor_slugs)`)
					.orderBy('l.position')
			).as('lessons'),
			jsonArrayFrom(
				eb
					.selectFrom('actors as n')
					.select(['n.slug', 'n.short_name as short'])
					.whereRef('n.course_id', '=', 'c.id')
					.orderBy('n.position')
			).as('allActors')
		])
		.where('c.slug', '=', courseSlug)
		.executeTakeFirst();
}

export async function getConcernMap(db: Executor, slug: string) {
	return await db
		.selectFrom('courses as c')
		.select((eb) => [
			...courseHead,
			jsonArrayFrom(
				eb
					.selectFrom('actors as a')
					.select([
						'a.id',
						'a.slug',
						'a.name',
						'a.short_name as short',
						'a.stance_label as stanceLabel'
					])
					.whereRef('a.course_id', '=', 'c.id')
					.orderBy('a.position')
			).as('actors'),
			jsonArrayFrom(
				eb
					.selectFrom('concerns as k')
					.select((e2) => [
						'k.id',
						'k.slug',
						'k.label',
						jsonArrayFrom(
							e2
								.selectFrom('actor_concerns as ac')
								.select(['ac.actor_id as actorId', 'ac.kind', 'ac.cites'])
								.whereRef('ac.concern_id', '=', 'k.id')
						).as('holders')
					])
					.whereRef('k.course_id', '=', 'c.id')
					.orderBy('k.position')
			).as('concerns')
		])
		.where('c.slug', '=', slug)
		.executeTakeFirst();
}

/** Ids of the course's lessons the user has marked done. */
export async function completedLessonIds(
	db: Executor,
	userId: number,
	courseId: number
): Promise<Set<number>> {
	const rows = await db
		.selectFrom('lesson_progress as p')
		.innerJoin('lessons as l', 'l.id', 'p.lesson_id')
		.select('p.lesson_id')
		.where('p.user_id', '=', userId)
		.where('l.course_id', '=', courseId)
		.execute();
	return new Set(rows.map((r) => r.lesson_id));
}

export async function setLessonDone(
	db: Executor,
	userId: number,
	lessonId: number,
	done: boolean
): Promise<void> {
	if (done) {
		await db
			.insertInto('lesson_progress')
			.values({ user_id: userId, lesson_id: lessonId })
			.onConflict((oc) => oc.columns(['user_id', 'lesson_id']).doNothing())
			.execute();
	} else {
		await db
			.deleteFrom('lesson_progress')
			.where('user_id', '=', userId)
			.where('lesson_id', '=', lessonId)
			.execute();
	}
}

/** A question with its key, for grading on the server. */
export async function findQuestion(db: Executor, courseId: number, questionId: number) {
	const row = await db
		.selectFrom('questions')
		.select(['id', 'external_id as externalId', 'type', 'prompt', 'data', 'explanation', 'cites'])
		.where('course_id', '=', courseId)
		.where('id', '=', questionId)
		.executeTakeFirst();
	if (!row) return undefined;
	const { data, ...q } = row;
	return { ...q, answer: storedAnswer(q.type, data) };
}

/** A course's article paragraphs and actors (for pages that render its prose outside a lesson). */
export async function courseProse(db: Executor, courseSlug: string) {
	const course = await db
		.selectFrom('courses as c')
		.select(['c.id', 'c.slug'])
		.select((eb) => [
			jsonArrayFrom(
				eb
					.selectFrom('article_paragraphs as p')
					.select(['p.number', 'p.body'])
					.whereRef('p.course_id', '=', 'c.id')
					.orderBy('p.number')
			).as('paragraphs'),
			jsonArrayFrom(
				eb
					.selectFrom('actors as a')
					.select(['a.id', 'a.slug', 'a.name', 'a.short_name as short'])
					.whereRef('a.course_id', '=', 'c.id')
					.orderBy('a.position')
			).as('actors')
		])
		.where('c.slug', '=', courseSlug)
		.executeTakeFirst();
	return course;
}

/**
 * `courseProse` kept per content version (`course.version`, the course's courseVersion, which the
 * caller's own query read): the review page, which every student opens when an exam's answers
 * are released, renders its explanations from the article without reading it every time.
 */
export async function keptCourseProse(
	db: Executor,
	course: { id: number; slug: string; version: string }
) {
	return await cachedPage(`prose:${course.id}`, course.version, async () => {
		const prose = await courseProse(db, course.slug);
		return prose && { version: course.version, value: prose };
	});
}
