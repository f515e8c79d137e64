import type { Executor } from '../db/index.ts';

/**
 * Some paragraphs of a course's article, by number: what a page needs for the citations it
 * shows, rather than the whole article (a quiz page in an exam cites a few paragraphs or none).
 */
export async function coursePassages(
	db: Executor,
	courseSlug: string,
	numbers: number[]
): Promise<{ number: number; body: string }[]> {
	if (!numbers.length) return [];
	return await db
		.selectFrom('article_paragraphs as p')
		.innerJoin('courses as c', 'c.id', 'p.course_id')
		.select(['p.number', 'p.body'])
		.where('c.slug', '=', courseSlug)
		.where('p.number', 'in', numbers)
		.orderBy('p.number')
		.execute();
}
