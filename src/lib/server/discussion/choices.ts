/**
 * What a class's discussion can be anchored to and speak for: the course's lessons, its actors
 * with the concerns the article gives each, and how many paragraphs its article has. One query.
 */
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Executor } from '../db/index.ts';

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
): Promise<DiscussionChoices> {
	const row = await db
		.selectNoFrom((eb) => [
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
	return { lessons: row.lessons, actors: row.actors, paragraphs: Number(row.paragraphs ?? 0) };
}
