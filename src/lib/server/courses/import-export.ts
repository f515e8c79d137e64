import { ensureDefaultQuizzes } from '../quizzes/quizzes.ts';
import { sql } from 'kysely';
import { insertInBatches } from '../db/batch.ts';
import { assignedQuizzesLeftOut, quizzesOf, writeQuizzes } from './package-quizzes.ts';
import type { Executor } from '../db/index.ts';
import {
	classUseOfContent,
	describeUse,
	forgetSelfStudy,
	type ContentUse
} from '../classes/usage.ts';
import type { CourseStatus } from '../db/types.ts';
import type {
	CoursePackage,
	PackageConcern,
	PackageQuestion,
	Stance
} from '../../courses/package.ts';
import type { GiftAnswer, GiftQuestion } from '../../gift/index.ts';

export class CourseExistsError extends Error {
	constructor(readonly slug: string) {
		super(`A course with the address “${slug}” already exists.`);
	}
}

/** The answer part of a question (what `questions.data` stores), without its type tag. */
export function answerData(q: GiftQuestion): Record<string, unknown> {
	const {
		id: _id,
		actor: _a,
		concern: _c,
		cites: _ci,
		category: _cat,
		points: _pts,
		title: _t,
		prompt: _p,
		explanation: _e,
		line: _l,
		type: _ty,
		...rest
	} = q;
	return rest;
}

/** Replacing a package would drop content that classes use; nothing was written. */
export class CourseInUseError extends Error {
	constructor(
		readonly slug: string,
		readonly uses: ContentUse[]
	) {
		super(
			`This package leaves out content that classes use: ${describeUse(uses)}. ` +
				'Keep those in the package (same lesson slug, same question id) and upload it again.'
		);
	}
}

const notIn = (list: string[]) => sql<boolean>`<> all(${list}::text[])`;

/**
 * Writes a validated package as a course, in the caller's transaction: all of it lands or none
 * does. With `replace`, an existing course with the same slug is updated in place: lessons,
 * actors and concerns matched by slug and questions by id keep their rows (and so the
 * assignments, progress and answers that point at them); what the package no longer has is
 * deleted — unless a class uses it, in which case nothing is written and CourseInUseError says
 * which classes use what.
 */
export async function importCourse(
	db: Executor,
	pkg: CoursePackage,
	opts: { ownerId: number | null; status: CourseStatus; replace?: boolean }
): Promise<number> {
	const existing = await db
		.selectFrom('courses')
		.select(['id', 'status', 'published_at'])
		.where('slug', '=', pkg.course.slug)
		.executeTakeFirst();
	if (existing && !opts.replace) throw new CourseExistsError(pkg.course.slug);

	const lessonSlugs = pkg.lessons.map((l) => l.slug);
	const questionIds = pkg.questions.map((q) => q.id);
	if (existing) {
		// Check before writing anything, so a refusal leaves even an outer transaction untouched.
		const [goneLessons, goneQuestions] = await Promise.all([
			db
				.selectFrom('lessons')
				.select('id')
				.where('course_id', '=', existing.id)
				.where(sql<boolean>`slug ${notIn(lessonSlugs)}`)
				.execute(),
			db
				.selectFrom('questions')
				.select('id')
				.where('course_id', '=', existing.id)
				.where(sql<boolean>`external_id ${notIn(questionIds)}`)
				.execute()
		]);
		const gone = {
			lessonIds: goneLessons.map((r) => r.id),
			questionIds: goneQuestions.map((r) => r.id)
		};
		const uses = [
			...(await classUseOfContent(db, gone)),
			...(pkg.quizzes ? await assignedQuizzesLeftOut(db, existing.id, pkg.quizzes) : [])
		];
		if (uses.length) throw new CourseInUseError(pkg.course.slug, uses);
		await forgetSelfStudy(db, gone);
		if (gone.lessonIds.length)
			await db.deleteFrom('lessons').where('id', 'in', gone.lessonIds).execute();
		if (gone.questionIds.length)
			await db.deleteFrom('questions').where('id', 'in', gone.questionIds).execute();
	}

	const a = pkg.course.article;
	const courseValues = {
		slug: pkg.course.slug,
		title: pkg.course.title,
		summary: pkg.course.summary,
		article_title: a.title,
		article_publisher: a.publisher,
		article_date: a.date,
		article_reference: a.reference,
		article_note: a.note,
		status: opts.status,
		owner_id: opts.ownerId,
		published_at:
			opts.status === 'published'
				? existing?.status === 'published'
					? existing.published_at
					: new Date()
				: null
	};
	let courseId: number;
	if (existing) {
		courseId = existing.id;
		await db
			.updateTable('courses')
			.set({ ...courseValues, updated_at: new Date() })
			.where('id', '=', courseId)
			.execute();
		// Nothing class-side points at these: they are rewritten whole.
		for (const t of ['article_paragraphs', 'glossary_terms', 'timeline_events'] as const)
			await db.deleteFrom(t).where('course_id', '=', courseId).execute();
		await db
			.deleteFrom('actor_concerns')
			.where('concern_id', 'in', (eb) =>
				eb.selectFrom('concerns').select('id').where('course_id', '=', courseId)
			)
			.execute();
		await db
			.deleteFrom('actors')
			.where('course_id', '=', courseId)
			.where(sql<boolean>`slug ${notIn(pkg.actors.map((x) => x.slug))}`)
			.execute();
		await db
			.deleteFrom('concerns')
			.where('course_id', '=', courseId)
			.where(sql<boolean>`slug ${notIn(pkg.concerns.map((c) => c.slug))}`)
			.execute();
	} else {
		courseId = (
			await db.insertInto('courses').values(courseValues).returning('id').executeTakeFirstOrThrow()
		).id;
	}

	if (pkg.paragraphs.length) {
		await insertInBatches(
			pkg.paragraphs.map((body, i) => ({ course_id: courseId, number: i + 1, body })),
			(batch) => db.insertInto('article_paragraphs').values(batch).execute()
		);
	}
	const actorIds = new Map<string, number>();
	if (pkg.actors.length) {
		const rows = await db
			.insertInto('actors')
			.values(
				pkg.actors.map((x, i) => ({
					course_id: courseId,
					position: i + 1,
					slug: x.slug,
					name: x.name,
					short_name: x.short,
					stance: x.stance,
					stance_label: x.stance_label,
					summary: x.summary,
					cites: x.cites
				}))
			)
			.onConflict((oc) =>
				oc.columns(['course_id', 'slug']).doUpdateSet((eb) => ({
					position: eb.ref('excluded.position'),
					name: eb.ref('excluded.name'),
					short_name: eb.ref('excluded.short_name'),
					stance: eb.ref('excluded.stance'),
					stance_label: eb.ref('excluded.stance_label'),
					summary: eb.ref('excluded.summary'),
					cites: eb.ref('excluded.cites')
				}))
			)
			.returning(['id', 'slug'])
			.execute();
		for (const r of rows) actorIds.set(r.slug, r.id);
	}
	const concernIds = new Map<string, number>();
	if (pkg.concerns.length) {
		const rows = await db
			.insertInto('concerns')
			.values(
				pkg.concerns.map((c, i) => ({
					course_id: courseId,
					position: i + 1,
					slug: c.slug,
					label: c.label,
					description: c.description
				}))
			)
			.onConflict((oc) =>
				oc.columns(['course_id', 'slug']).doUpdateSet((eb) => ({
					position: eb.ref('excluded.position'),
					label: eb.ref('excluded.label'),
					description: eb.ref('excluded.description')
				}))
			)
			.returning(['id', 'slug'])
			.execute();
		for (const r of rows) concernIds.set(r.slug, r.id);
	}
	const links = pkg.concerns.flatMap((c) =>
		c.held_by.map((h, i) => ({
			concern_id: concernIds.get(c.slug)!,
			actor_id: actorIds.get(h.actor)!,
			position: i + 1,
			kind: h.kind,
			summary: h.summary,
			cites: h.cites
		}))
	);
	await insertInBatches(links, (batch) => db.insertInto('actor_concerns').values(batch).execute());
	if (pkg.lessons.length) {
		await db
			.insertInto('lessons')
			.values(
				pkg.lessons.map((l, i) => ({
					course_id: courseId,
					position: i + 1,
					slug: l.slug,
					title: l.title,
					summary: l.summary,
					body: l.body,
					key_points: l.key_points,
					actor_slugs: l.actors,
					check_ids: l.check
				}))
			)
			.onConflict((oc) =>
				oc.columns(['course_id', 'slug']).doUpdateSet((eb) => ({
					position: eb.ref('excluded.position'),
					title: eb.ref('excluded.title'),
					summary: eb.ref('excluded.summary'),
					body: eb.ref('excluded.body'),
					key_points: eb.ref('excluded.key_points'),
					actor_slugs: eb.ref('excluded.actor_slugs'),
					check_ids: eb.ref('excluded.check_ids')
				}))
			)
			.execute();
	}
	if (pkg.glossary.length) {
		await db
			.insertInto('glossary_terms')
			.values(
				pkg.glossary.map((g, i) => ({
					course_id: courseId,
					position: i + 1,
					term: g.term,
					definition: g.definition,
					beyond_note: g.beyond_article?.note ?? null,
					beyond_source: g.beyond_article?.source ?? null
				}))
			)
			.execute();
	}
	if (pkg.timeline.length) {
		await db
			.insertInto('timeline_events')
			.values(
				pkg.timeline.map((t, i) => ({
					course_id: courseId,
					position: i + 1,
					when_label: t.when,
					sort: t.sort,
					event: t.event,
					cites: t.cites
				}))
			)
			.execute();
	}
	if (pkg.questions.length) {
		await db
			.insertInto('questions')
			.values(
				pkg.questions.map((q, i) => ({
					course_id: courseId,
					position: i + 1,
					external_id: q.id,
					type: q.type,
					title: q.title,
					prompt: q.prompt,
					data: JSON.stringify(answerData(q)),
					explanation: q.explanation,
					cites: q.cites,
					category: q.category,
					points: q.points ?? 1,
					actor_id: q.actor ? (actorIds.get(q.actor) ?? null) : null,
					concern_id: q.concern ? (concernIds.get(q.concern) ?? null) : null
				}))
			)
			.onConflict((oc) =>
				oc.columns(['course_id', 'external_id']).doUpdateSet((eb) => ({
					position: eb.ref('excluded.position'),
					type: eb.ref('excluded.type'),
					title: eb.ref('excluded.title'),
					prompt: eb.ref('excluded.prompt'),
					data: eb.ref('excluded.data'),
					explanation: eb.ref('excluded.explanation'),
					cites: eb.ref('excluded.cites'),
					category: eb.ref('excluded.category'),
					points: eb.ref('excluded.points'),
					actor_id: eb.ref('excluded.actor_id'),
					concern_id: eb.ref('excluded.concern_id')
				}))
			)
			.execute();
	}
	if (pkg.quizzes) await writeQuizzes(db, courseId, pkg.quizzes, { actorIds, concernIds });
	else await ensureDefaultQuizzes(db, courseId);
	return courseId;
}

/** Reads a course back as a package: what importCourse wrote, in the same order. */
export async function exportCourse(
	db: Executor,
	courseId: number
): Promise<CoursePackage | undefined> {
	const course = await db
		.selectFrom('courses')
		.selectAll()
		.where('id', '=', courseId)
		.executeTakeFirst();
	if (!course) return undefined;
	const [paragraphs, actors, concerns, links, lessons, glossary, timeline, questions, slots] =
		await Promise.all([
			db
				.selectFrom('article_paragraphs')
				.select('body')
				.where('course_id', '=', courseId)
				.orderBy('number')
				.execute(),
			db
				.selectFrom('actors')
				.selectAll()
				.where('course_id', '=', courseId)
				.orderBy('position')
				.execute(),
			db
				.selectFrom('concerns')
				.selectAll()
				.where('course_id', '=', courseId)
				.orderBy('position')
				.execute(),
			db
				.selectFrom('actor_concerns')
				.innerJoin('concerns', 'concerns.id', 'actor_concerns.concern_id')
				.innerJoin('actors', 'actors.id', 'actor_concerns.actor_id')
				.select([
					'actor_concerns.concern_id',
					'actors.slug as actor',
					'actor_concerns.kind',
					'actor_concerns.summary',
					'actor_concerns.cites'
				])
				.where('concerns.course_id', '=', courseId)
				.orderBy('actor_concerns.concern_id')
				.orderBy('actor_concerns.position')
				.execute(),
			db
				.selectFrom('lessons')
				.selectAll()
				.where('course_id', '=', courseId)
				.orderBy('position')
				.execute(),
			db
				.selectFrom('glossary_terms')
				.selectAll()
				.where('course_id', '=', courseId)
				.orderBy('position')
				.execute(),
			db
				.selectFrom('timeline_events')
				.selectAll()
				.where('course_id', '=', courseId)
				.orderBy('position')
				.execute(),
			db
				.selectFrom('questions')
				.leftJoin('actors', 'actors.id', 'questions.actor_id')
				.leftJoin('concerns', 'concerns.id', 'questions.concern_id')
				.select([
					'questions.external_id',
					'questions.type',
					'questions.title',
					'questions.prompt',
					'questions.data',
					'questions.explanation',
					'questions.cites',
					'questions.category',
					'questions.points',
					'actors.slug as actor',
					'concerns.slug as concern'
				])
				.where('questions.course_id', '=', courseId)
				.orderBy('questions.position')
				.execute(),
			db
				.selectFrom('quizzes as z')
				.leftJoin('quiz_slots as s', 's.quiz_id', 'z.id')
				.leftJoin('questions as q', 'q.id', 's.question_id')
				.leftJoin('actors as a', 'a.id', 's.actor_id')
				.leftJoin('concerns as c', 'c.id', 's.concern_id')
				.select([
					'z.slug',
					'z.title',
					'z.description',
					's.position',
					's.draw',
					'q.external_id as question',
					'a.slug as actor',
					'c.slug as concern'
				])
				.where('z.course_id', '=', courseId)
				.orderBy('z.position')
				.orderBy('s.position')
				.execute()
		]);
	const holders = new Map<number, PackageConcern['held_by']>();
	for (const l of links) {
		const list = holders.get(l.concern_id) ?? [];
		list.push({ actor: l.actor, kind: l.kind, summary: l.summary, cites: l.cites });
		holders.set(l.concern_id, list);
	}
	return {
		course: {
			slug: course.slug,
			title: course.title,
			summary: course.summary,
			article: {
				title: course.article_title,
				publisher: course.article_publisher,
				date: course.article_date,
				reference: course.article_reference,
				note: course.article_note
			}
		},
		paragraphs: paragraphs.map((p) => p.body),
		actors: actors.map((x) => ({
			slug: x.slug,
			name: x.name,
			short: x.short_name,
			stance: x.stance as Stance,
			stance_label: x.stance_label,
			summary: x.summary,
			cites: x.cites
		})),
		concerns: concerns.map((c) => ({
			slug: c.slug,
			label: c.label,
			description: c.description,
			held_by: holders.get(c.id) ?? []
		})),
		glossary: glossary.map((g) => ({
			term: g.term,
			definition: g.definition,
			beyond_article:
				g.beyond_note !== null || g.beyond_source !== null
					? { note: g.beyond_note ?? '', source: g.beyond_source ?? '' }
					: null
		})),
		timeline: timeline.map((t) => ({
			when: t.when_label,
			sort: t.sort,
			event: t.event,
			cites: t.cites
		})),
		lessons: lessons.map((l) => ({
			slug: l.slug,
			title: l.title,
			summary: l.summary,
			actors: l.actor_slugs,
			key_points: l.key_points,
			check: l.check_ids,
			body: l.body
		})),
		questions: questions.map(
			(q, i) =>
				({
					id: q.external_id,
					actor: q.actor,
					concern: q.concern,
					cites: q.cites,
					category: q.category,
					...(Number(q.points) === 1 ? {} : { points: Number(q.points) }),
					title: q.title,
					prompt: q.prompt,
					explanation: q.explanation,
					line: i + 1,
					type: q.type,
					...(q.data as object)
				}) as PackageQuestion & GiftAnswer
		),
		quizzes: quizzesOf(slots)
	};
}
