/** The article of a course: its numbered paragraphs. */
import { insertInBatches } from '../../db/batch.ts';
import type { Executor } from '../../db/index.ts';
import { editCourse } from './publish.ts';
import { failed, touchCourse, type Saved } from './shared.ts';
import { splitArticle } from './text.ts';

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
/** Stores `paragraphs` as the course's article, numbered from 1 (the article must be empty). */
export async function insertParagraphs(
	db: Executor,
	courseId: number,
	paragraphs: string[]
): Promise<void> {
	await insertInBatches(
		paragraphs.map((body, i) => ({ course_id: courseId, number: i + 1, body })),
		(batch) => db.insertInto('article_paragraphs').values(batch).execute()
	);
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
	return await editCourse(db, courseId, async (trx) => {
		await trx.deleteFrom('article_paragraphs').where('course_id', '=', courseId).execute();
		await insertParagraphs(trx, courseId, article.paragraphs);
		await touchCourse(trx, courseId);
		return { ok: true as const, count: article.paragraphs.length };
	});
}
