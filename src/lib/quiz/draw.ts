import { seededShuffle } from '../shuffle.ts';

/** One place of a quiz: a fixed question, or `draw` questions at random by actor and/or concern. */
export interface QuizSlot {
	position: number;
	questionId: number | null;
	actorId: number | null;
	concernId: number | null;
	draw: number;
}

export interface PoolQuestion {
	id: number;
	actorId: number | null;
	concernId: number | null;
}

/**
 * The questions an attempt gets, in quiz order: fixed questions where they stand, each draw
 * filled from the bank's matching questions that no other slot took, in an order fixed by
 * `seed` (a new seed per attempt gives each student their own draw). A draw that asks for more
 * questions than the bank has takes what there is. No question is given twice.
 */
export function drawQuestions(
	slots: readonly QuizSlot[],
	pool: readonly PoolQuestion[],
	seed: string
): number[] {
	const known = new Set(pool.map((q) => q.id));
	const used = new Set<number>();
	for (const s of slots)
		if (s.questionId !== null && known.has(s.questionId)) used.add(s.questionId);
	const out: number[] = [];
	for (const s of [...slots].sort((a, b) => a.position - b.position)) {
		if (s.questionId !== null) {
			if (known.has(s.questionId)) out.push(s.questionId);
			continue;
		}
		const candidates = pool.filter(
			(q) =>
				!used.has(q.id) &&
				(s.actorId === null || q.actorId === s.actorId) &&
				(s.concernId === null || q.concernId === s.concernId)
		);
		for (const q of seededShuffle(candidates, `${seed}:${s.position}`).slice(0, s.draw)) {
			used.add(q.id);
			out.push(q.id);
		}
	}
	return out;
}

/** The most questions a quiz can give (fixed ones plus each draw, as far as the bank allows). */
export function questionCount(slots: readonly QuizSlot[], pool: readonly PoolQuestion[]): number {
	return drawQuestions(slots, pool, 'count').length;
}
