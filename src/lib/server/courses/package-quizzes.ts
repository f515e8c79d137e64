/**
 * A package's quizzes (quizzes.yaml) as import-export.ts writes and reads them: matched by slug
 * on a replace, slots rewritten whole, and the quizzes a replace would drop while a class assigns
 * them.
 */
import { sql } from 'kysely';
import type { PackageQuiz } from '../../courses/package.ts';
import { insertInBatches } from '../db/batch.ts';
import type { Executor } from '../db/index.ts';
import type { ContentUse } from '../classes/usage.ts';

const notIn = (list: string[]) => sql<boolean>`<> all(${list}::text[])`;

/** Quizzes a class has assigned that `quizzes` leaves out, as the uses that refuse a replace. */
export async function assignedQuizzesLeftOut(
	db: Executor,
	courseId: number,
	quizzes: PackageQuiz[]
): Promise<ContentUse[]> {
	const { rows } = await sql<{ id: number; label: string; classes: string[] }>`
		select z.id, z.title as label, array_agg(distinct k.name order by k.name) as classes
		from quizzes z join assignments a on a.quiz_id = z.id join classes k on k.id = a.class_id
		where z.course_id = ${courseId} and z.slug ${notIn(quizzes.map((q) => q.slug))}
		group by z.id, z.title order by z.title`.execute(db);
	return rows.map((r) => ({ kind: 'quiz' as const, ...r }));
}

/**
 * The package's quizzes, in its order: matched by slug, so an assigned quiz keeps its row; the
 * slots rewritten whole; the quizzes it leaves out deleted (assignedQuizzesLeftOut has refused
 * the replace already if a class assigns one).
 */
export async function writeQuizzes(
	db: Executor,
	courseId: number,
	quizzes: PackageQuiz[],
	ids: { actorIds: Map<string, number>; concernIds: Map<string, number> }
): Promise<void> {
	await db
		.deleteFrom('quizzes')
		.where('course_id', '=', courseId)
		.where(sql<boolean>`slug ${notIn(quizzes.map((q) => q.slug))}`)
		.execute();
	if (!quizzes.length) return;
	const rows = await db
		.insertInto('quizzes')
		.values(
			quizzes.map((q, i) => ({
				course_id: courseId,
				position: i + 1,
				slug: q.slug,
				title: q.title,
				description: q.description
			}))
		)
		.onConflict((oc) =>
			oc.columns(['course_id', 'slug']).doUpdateSet((eb) => ({
				position: eb.ref('excluded.position'),
				title: eb.ref('excluded.title'),
				description: eb.ref('excluded.description')
			}))
		)
		.returning(['id', 'slug'])
		.execute();
	const quizIds = new Map(rows.map((r) => [r.slug, r.id]));
	await db
		.deleteFrom('quiz_slots')
		.where('quiz_id', 'in', [...quizIds.values()])
		.execute();
	const questionIds = new Map(
		(
			await db
				.selectFrom('questions')
				.select(['id', 'external_id'])
				.where('course_id', '=', courseId)
				.execute()
		).map((r) => [r.external_id, r.id])
	);
	const slots = quizzes.flatMap((q) =>
		q.slots.map((s, k) => ({
			quiz_id: quizIds.get(q.slug)!,
			position: k + 1,
			...('question' in s
				? { question_id: questionIds.get(s.question) ?? null, draw: 1 }
				: {
						draw: s.draw,
						actor_id: s.actor === null ? null : (ids.actorIds.get(s.actor) ?? null),
						concern_id: s.concern === null ? null : (ids.concernIds.get(s.concern) ?? null)
					})
		}))
	);
	await insertInBatches(slots, (batch) => db.insertInto('quiz_slots').values(batch).execute());
}

/** Quiz rows joined with their slots (in order) → the package's quizzes. */
export function quizzesOf(
	rows: {
		slug: string;
		title: string;
		description: string;
		position: number | null;
		draw: number | null;
		question: string | null;
		actor: string | null;
		concern: string | null;
	}[]
): PackageQuiz[] {
	const quizzes = new Map<string, PackageQuiz>();
	for (const r of rows) {
		let quiz = quizzes.get(r.slug);
		if (!quiz) {
			quiz = { slug: r.slug, title: r.title, description: r.description, slots: [] };
			quizzes.set(r.slug, quiz);
		}
		if (r.position === null) continue;
		quiz.slots.push(
			r.question !== null
				? { question: r.question }
				: { draw: Number(r.draw), actor: r.actor, concern: r.concern }
		);
	}
	return [...quizzes.values()];
}
