/**
 * What a class's discussion can be anchored to and speak for: the course's lessons, its actors
 * with the concerns the article gives each, and how many paragraphs its article has. One query,
 * kept per course content version (`keptDiscussionChoices`): the class a discussion page reads
 * for its guard carries that version, so a page view asks nothing more of the database.
 */
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Executor } from '../db/index.ts';
import { courseVersion } from '../courses/queries.ts';
import { cachedPage } from '../courses/page-cache.ts';

export interface DiscussionChoices {
	lessons: { id: number; title: string }[];
	actors: {
		id: number;
		name: string;
		shortName: string;
		concerns: { id: number; label: string }[];
	}[];
	paragraphs: number;
}

export async function discussionChoices(
	db: Executor,
	courseId: number
): Promise<DiscussionChoices & { version: string }> {
	const row = await db
		.selectNoFrom((eb) => [
			eb
				.selectFrom('courses as c')
				.select(courseVersion.as('v'))
				.where('c.id', '=', courseId)
				.as('version'),
			jsonArrayFrom(
				eb
					.selectFrom('lessons')
					.select(['id', 'title'])
					.where('course_id', '=', courseId)
					.orderBy('position')
			).as('lessons'),
			jsonArrayFrom(
				eb
					.selectFrom('actors as a')
					.select((e) => [
						'a.id',
						'a.name',
						'a.short_name as shortName',
						jsonArrayFrom(
							e
								.selectFrom('actor_concerns as ac')
								.innerJoin('concerns as c', 'c.id', 'ac.concern_id')
								.select(['c.id', 'c.label'])
								.whereRef('ac.actor_id', '=', 'a.id')
								.orderBy('ac.position')
						).as('concerns')
					])
					.where('a.course_id', '=', courseId)
					.orderBy('a.position')
			).as('actors'),
			eb
				.selectFrom('article_paragraphs')
				.select(sql<number>`count(*)::int`.as('n'))
				.where('course_id', '=', courseId)
				.as('paragraphs')
		])
		.executeTakeFirstOrThrow();
	return {
		lessons: row.lessons,
		actors: row.actors,
		paragraphs: Number(row.paragraphs ?? 0),
		version: row.version ?? ''
	};
}

/**
 * `discussionChoices` kept under the course's content version (`courseVersion`, read with the
 * class): the same on every instance, read again after any authoring change to the course. Kept
 * under the version its own query read, so an edit racing the read is never kept as older.
 */
export async function keptDiscussionChoices(
	db: Executor,
	course: { id: number; version: string }
): Promise<DiscussionChoices> {
	const kept = await cachedPage(`discussion-choices:${course.id}`, course.version, async () => {
		const { version, ...value } = await discussionChoices(db, course.id);
		return { version, value };
	});
	// The build always returns a value (an undefined one is the cache's "nothing there").
	return kept as DiscussionChoices;
}
