import { describe, expect, test } from 'vitest';
import { itemStatistics, itemWarning, randomGuessScore } from '../../src/lib/quiz/statistics.ts';

// Five attempts at three one-point questions, worked by hand:
//        q1 q2 q3
//   A     1  1  1
//   B     1  1  0
//   C     1  0  0
//   D     0  1  0
//   E     0  0  0
// q1: x = 1 1 1 0 0, rest (q2 + q3, out of 2) = 1 .5 0 .5 0.
//   facility 60 %; SD = sqrt(1.2 / 4) = 54.8 %;
//   Σdx·dr = .3, Σdx² = 1.2, Σdr² = .7 → D = .3 / sqrt(.84) = 32.7 %;
//   sorted pairs give Σ = .8 → DE = .3 / .8 = 37.5 %.
// q3: x = 1 0 0 0 0, rest (q1 + q2) = 1 1 .5 .5 0 → D = .4 / sqrt(.8 · .7) = 53.5 %, DE = 100 %.
const grid = [
	[1, 1, 1],
	[1, 1, 0],
	[1, 0, 0],
	[0, 1, 0],
	[0, 0, 0]
];
const attempts = grid.map((row) => ({
	items: row.map((score, i) => ({ questionId: i + 1, points: 1, score }))
}));

describe('item statistics as Moodle computes them', () => {
	test('facility, standard deviation, discrimination index and efficiency, against a hand-worked example', () => {
		const stats = new Map(itemStatistics(attempts).map((s) => [s.questionId, s]));
		expect(stats.get(1)).toEqual({
			questionId: 1,
			attempts: 5,
			facility: 60,
			sd: 54.8,
			discrimination: 32.7,
			efficiency: 37.5
		});
		expect(stats.get(3)).toMatchObject({ facility: 20, discrimination: 53.5, efficiency: 100 });
	});

	test('points weigh the rest of the attempt; a question everyone got right has no discrimination', () => {
		const all = [1, 0.5, 0].map((s) => ({
			items: [
				{ questionId: 1, points: 1, score: 1 },
				{ questionId: 2, points: 4, score: s }
			]
		}));
		const q1 = itemStatistics(all).find((s) => s.questionId === 1)!;
		expect([q1.facility, q1.discrimination, q1.efficiency]).toEqual([100, null, null]);
	});

	test('random guess scores by type', () => {
		const mc = {
			type: 'mc' as const,
			choices: [1, 2, 3, 4].map((n) => ({ text: String(n), correct: n === 1, feedback: null }))
		};
		expect(randomGuessScore(mc)).toBe(25);
		expect(
			randomGuessScore({ type: 'tf', answer: true, feedbackIfRight: null, feedbackIfWrong: null })
		).toBe(50);
		expect(randomGuessScore({ type: 'ordering', items: ['a', 'b', 'c'] })).toBe(33.3);
		expect(randomGuessScore({ type: 'short', answers: ['x'] })).toBe(0);
	});

	test('a plain sentence for questions that look broken', () => {
		const base = {
			questionId: 1,
			attempts: 30,
			facility: 60,
			sd: 40,
			discrimination: 45,
			efficiency: 50
		};
		expect(itemWarning(base, 25)).toBeNull();
		expect(itemWarning({ ...base, discrimination: 12 }, 25)).toMatch(/below 20%/);
		expect(itemWarning({ ...base, discrimination: -30 }, 25)).toMatch(/key may be wrong/);
		expect(itemWarning({ ...base, facility: 10 }, 25)).toMatch(/than guessing/);
		expect(itemWarning({ ...base, attempts: 3, discrimination: -30 }, 25)).toBeNull();
	});
});
