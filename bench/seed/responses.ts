import type { GiftAnswer } from '../../src/lib/gift/index.ts';
import type { RawAnswer } from '../../src/lib/quiz/score.ts';
import { displayOrder } from '../../src/lib/quiz/score.ts';
import { optionSeed, scoreSaved } from '../../src/lib/server/quizzes/attempt-data.ts';

// What a student's browser sends for a question (display positions, typed text), right and
// wrong, for one attempt seed and position; the scores are the app's own (scoreSaved), so a
// seeded answer's score is what submitting it would have given.

export interface SeededResponse {
	raw: RawAnswer;
	score: number;
}

const raw = (answer: string[], slots: (string | null)[] = []): RawAnswer => ({ answer, slots });

function rightRaw(q: GiftAnswer, order: number[]): RawAnswer {
	const shown = (stored: number) => String(order.indexOf(stored));
	switch (q.type) {
		case 'mc':
			return raw([shown(q.choices.findIndex((c) => c.correct))]);
		case 'multi':
			return raw(q.options.flatMap((o, i) => (o.weight > 0 ? [shown(i)] : [])));
		case 'tf':
			return raw([String(q.answer)]);
		case 'short':
			return raw([q.answers[0] ?? '']);
		case 'matching':
			return raw(
				[],
				q.pairs.map((p) => p.right)
			);
		case 'numerical':
			return raw([String(q.answer.kind === 'range' ? q.answer.min : q.answer.value)]);
		case 'ordering':
			// Place i holds the display position of the item written i-th.
			return raw(
				[],
				q.items.map((_, i) => shown(i))
			);
	}
}

function wrongRaw(q: GiftAnswer, order: number[]): RawAnswer {
	const shown = (stored: number) => String(order.indexOf(stored));
	switch (q.type) {
		case 'mc': {
			const wrong = q.choices.findIndex((c) => !c.correct);
			return raw([shown(wrong < 0 ? 0 : wrong)]);
		}
		case 'multi': {
			// One right option and one wrong: partial or no credit, as the weights say.
			const right = q.options.findIndex((o) => o.weight > 0);
			const wrong = q.options.findIndex((o) => o.weight <= 0);
			return raw([right, wrong].filter((i) => i >= 0).map(shown));
		}
		case 'tf':
			return raw([String(!q.answer)]);
		case 'short':
			return raw(['I am not sure']);
		case 'matching': {
			// Two answers swapped: partial credit.
			const rights = q.pairs.map((p) => p.right);
			if (rights.length > 1) [rights[0], rights[1]] = [rights[1], rights[0]];
			return raw([], rights);
		}
		case 'numerical': {
			const a = q.answer;
			return raw([String(a.kind === 'range' ? a.max + 1000 : a.value + a.tolerance + 1000)]);
		}
		case 'ordering':
			return raw(
				[],
				q.items.map((_, i) => shown(q.items.length - 1 - i))
			);
	}
}

/** A right and a wrong answer to the question at `position` of an attempt with this seed. */
export function seededResponses(
	answer: GiftAnswer,
	seed: string,
	position: number
): { right: SeededResponse; wrong: SeededResponse } {
	const attempt = { seed, shuffleOptions: true };
	const order = displayOrder(answer, optionSeed(attempt, position));
	const scored = (r: RawAnswer): SeededResponse => ({
		raw: r,
		score: scoreSaved({ answer, raw: r, position }, attempt).score
	});
	const right = scored(rightRaw(answer, order));
	const wrong = scored(wrongRaw(answer, order));
	if (right.score < 0.999)
		throw new Error(`seeded right answer scores ${right.score} (${answer.type})`);
	return { right, wrong };
}
