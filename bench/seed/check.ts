import { sql } from 'kysely';
import type { Db } from '../../src/lib/server/db/connect.ts';
import { attemptQuestions, scoreSaved } from '../../src/lib/server/quizzes/attempt-data.ts';

/**
 * Re-scores a sample of the seeded finished attempts with the app's own code (as a regrade would)
 * and throws if any stored answer score or attempt total differs: the seeded scores must be the
 * ones the keys give.
 */
export async function rescoreSample(db: Db, n = 200): Promise<number> {
	const { rows } = await sql<{ id: number; seed: string; shuffle_options: boolean; score: number }>`
		select t.id, t.seed, a.shuffle_options, t.score from attempts t
		join assignments a on a.id = t.assignment_id
		where t.status = 'submitted' order by hashint4(t.id) limit ${n}`.execute(db);
	for (const t of rows) {
		const questions = await attemptQuestions(db, t.id);
		let total = 0;
		for (const q of questions) {
			const expected = q.raw
				? scoreSaved(q, { seed: t.seed, shuffleOptions: t.shuffle_options }).score
				: 0;
			if (q.raw && Math.abs((q.score ?? -1) - expected) > 1e-9)
				throw new Error(
					`attempt ${t.id} position ${q.position}: stored ${q.score}, key gives ${expected}`
				);
			total += q.points * expected;
		}
		if (Math.abs(Math.round(total * 1000) / 1000 - Number(t.score)) > 1e-6)
			throw new Error(`attempt ${t.id}: stored total ${t.score}, key gives ${total}`);
	}
	return rows.length;
}
