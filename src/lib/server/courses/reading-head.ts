import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Executor } from '../db/index.ts';
import type { CourseStatus } from '../db/types.ts';
import { courseHead } from './queries.ts';

export interface ReadingHead {
	id: number;
	slug: string;
	title: string;
	status: CourseStatus;
	ownerId: number | null;
	/** The course's content version (courseVersion): what the page cache is keyed on. */
	version: string;
	hasGlossary: boolean;
	hasTimeline: boolean;
	/** The viewer's lessons of this course marked done (empty for a visitor). */
	doneLessonIds: number[];
	/** The viewer's classes of this course that are not archived, latest joined first. */
	classes: { id: number; name: string }[];
}

/**
 * What a reading page asks the database on every request, in one query: who may see the course,
 * its content version (the rest of the page comes from the page cache while it holds), and the
 * viewer's own progress and classes of the course, which are never cached.
 */
export async function getReadingHead(
	db: Executor,
	slug: string,
	viewerId: number | null
): Promise<ReadingHead | undefined> {
	if (viewerId === null) {
		const row = await db
			.selectFrom('courses as c')
			.select([...courseHead])
			.where('c.slug', '=', slug)
			.executeTakeFirst();
		return row && ({ ...row, doneLessonIds: [], classes: [] } as ReadingHead);
	}
	const row = await db
		.selectFrom('courses as c')
		.select((eb) => [
			...courseHead,
			sql<number[]>`array(
				select p.lesson_id from lesson_progress as p
				inner join lessons as l on l.id = p.lesson_id
				where p.user_id = ${viewerId} and l.course_id = c.id)`.as('doneLessonIds'),
			// The viewer's classes of the course that are not archived, latest joined first.
			jsonArrayFrom(
				eb
					.selectFrom('memberships as m')
					.innerJoin('classes as k', 'k.id', 'm.class_id')
					.select(['k.id', 'k.name'])
					.where('m.user_id', '=', viewerId)
					.whereRef('k.course_id', '=', 'c.id')
					.where('k.archived_at', 'is', null)
					.orderBy('m.joined_at', 'desc')
			).as('classes')
		])
		.where('c.slug', '=', slug)
		.executeTakeFirst();
	if (!row) return undefined;
	return { ...row, doneLessonIds: row.doneLessonIds.map(Number) } as ReadingHead;
}
