import type { GiftAnswer } from '../gift/index.ts';

// Item statistics as Moodle's quiz statistics report computes them (docs: "Quiz statistics
// calculations"), over each student's first finished graded attempt:
// - facility index: the mean score on the item, as a percentage of its maximum;
// - standard deviation of those scores (sample, n − 1);
// - random guess score: what answering at random would score on average;
// - discrimination index: the correlation between the item's score and the score on the rest of
//   the attempt (each as a fraction of its maximum, since drawn quizzes differ in length), × 100;
// - discriminative efficiency: that covariance over the largest one the same scores could give
//   (both lists sorted the same way), × 100.

export interface ItemAttempt {
	/** Per question of the attempt: which question, its points, and the score 0..1. */
	items: { questionId: number; points: number; score: number }[];
}

export interface ItemStatistics {
	questionId: number;
	/** How many attempts had this question. */
	attempts: number;
	facility: number;
	sd: number | null;
	discrimination: number | null;
	efficiency: number | null;
}

function mean(xs: number[]): number {
	return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function covariance(xs: number[], ys: number[]): number {
	const mx = mean(xs);
	const my = mean(ys);
	return xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0);
}

export function itemStatistics(attempts: readonly ItemAttempt[]): ItemStatistics[] {
	const by = new Map<number, { x: number[]; rest: number[] }>();
	for (const a of attempts) {
		const total = a.items.reduce((s, it) => s + it.points * it.score, 0);
		const max = a.items.reduce((s, it) => s + it.points, 0);
		for (const it of a.items) {
			const restMax = max - it.points;
			const e = by.get(it.questionId) ?? { x: [], rest: [] };
			e.x.push(it.score);
			e.rest.push(restMax > 0 ? (total - it.points * it.score) / restMax : 0);
			by.set(it.questionId, e);
		}
	}
	return [...by.entries()].map(([questionId, { x, rest }]) => {
		const n = x.length;
		const sxx = covariance(x, x);
		const srr = covariance(rest, rest);
		const sxr = covariance(x, rest);
		const sortedMax = covariance(
			[...x].sort((a, b) => a - b),
			[...rest].sort((a, b) => a - b)
		);
		return {
			questionId,
			attempts: n,
			facility: round(mean(x) * 100),
			sd: n > 1 ? round(Math.sqrt(sxx / (n - 1)) * 100) : null,
			discrimination: sxx > 0 && srr > 0 ? round((sxr / Math.sqrt(sxx * srr)) * 100) : null,
			efficiency: sortedMax > 0 ? round((sxr / sortedMax) * 100) : null
		};
	});
}

function round(n: number): number {
	return Math.round(n * 10) / 10;
}

/** The score answering at random gives on average, in percent (null where it is not defined). */
export function randomGuessScore(q: GiftAnswer): number | null {
	switch (q.type) {
		case 'mc':
			return q.choices.length ? round(100 / q.choices.length) : null;
		case 'tf':
			return 50;
		case 'matching': {
			const rights = new Set(q.pairs.map((p) => p.right)).size;
			return rights ? round(100 / rights) : null;
		}
		case 'ordering':
			// Each item lands in its right place with probability 1/n.
			return q.items.length ? round(100 / q.items.length) : null;
		case 'short':
		case 'numerical':
			return 0;
		case 'multi':
			return null;
	}
}

/**
 * A plain sentence for a question that looks broken, or null: too easy to tell anything, harder
 * than guessing, or not telling the students who know from those who do not.
 */
export function itemWarning(s: ItemStatistics, guess: number | null): string | null {
	if (s.attempts < 5) return null;
	if (guess !== null && s.facility < guess)
		return 'Fewer students get this right than guessing would: check the key and the wording.';
	if (s.discrimination !== null && s.discrimination < 0)
		return 'Students who did well on the rest of the quiz did worse on this one: the key may be wrong.';
	if (s.discrimination !== null && s.discrimination < 20)
		return 'This question hardly tells apart students who know the article from those who do not (discrimination below 20%): check that it asks what the passage says.';
	if (s.facility > 95) return 'Almost everyone gets this right: it tells you little.';
	return null;
}

/** How often each option of a single-choice or true/false question was chosen (stored order). */
export function optionLabels(q: GiftAnswer): string[] | null {
	if (q.type === 'mc') return q.choices.map((c) => c.text);
	if (q.type === 'tf') return ['True', 'False'];
	if (q.type === 'multi') return q.options.map((o) => o.text);
	return null;
}
