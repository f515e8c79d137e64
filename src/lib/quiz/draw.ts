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
	return drawBySlot(slots, pool, seed).flatMap((s) => s.ids);
}

/** Each slot, in quiz order, with the questions it gives and how many the bank has for it. */
function drawBySlot(slots: readonly QuizSlot[], pool: readonly PoolQuestion[], seed: string) {
	const known = new Set(pool.map((q) => q.id));
	const fixed = new Set<number>();
	for (const s of slots)
		if (s.questionId !== null && known.has(s.questionId)) fixed.add(s.questionId);
	const used = new Set(fixed);
	const out: { position: number; ids: number[]; available: number }[] = [];
	for (const s of [...slots].sort((a, b) => a.position - b.position)) {
		if (s.questionId !== null) {
			const ids = known.has(s.questionId) ? [s.questionId] : [];
			out.push({ position: s.position, ids, available: ids.length });
			continue;
		}
		const matching = pool.filter(
			(q) =>
				!fixed.has(q.id) &&
				(s.actorId === null || q.actorId === s.actorId) &&
				(s.concernId === null || q.concernId === s.concernId)
		);
		const candidates = matching.filter((q) => !used.has(q.id));
		const ids = seededShuffle(candidates, `${seed}:${s.position}`)
			.slice(0, s.draw)
			.map((q) => q.id);
		for (const id of ids) used.add(id);
		out.push({ position: s.position, ids, available: matching.length });
	}
	return out;
}

/** The most questions a quiz can give (fixed ones plus each draw, as far as the bank allows). */
export function questionCount(slots: readonly QuizSlot[], pool: readonly PoolQuestion[]): number {
	return drawQuestions(slots, pool, 'count').length;
}

export interface SlotYield {
	position: number;
	/** How many questions the slot gives an attempt. */
	gets: number;
	/**
	 * How many questions of the bank the slot can take: for a draw, those matching its actor and
	 * concern that no fixed slot of the quiz holds; for a fixed question, 1 while it is in the bank.
	 */
	available: number;
}

/**
 * What each slot gives, in quiz order, for the quiz editor: a draw that asks for more than the
 * bank has gets what there is. When draws overlap (one by actor, a later one by a concern some
 * of that actor's questions have), the first may take questions the next could have had: `gets`
 * is then the count of one attempt, as questionCount gives it.
 */
export function slotYields(slots: readonly QuizSlot[], pool: readonly PoolQuestion[]): SlotYield[] {
	return drawBySlot(slots, pool, 'count').map((s) => ({
		position: s.position,
		gets: s.ids.length,
		available: s.available
	}));
}
