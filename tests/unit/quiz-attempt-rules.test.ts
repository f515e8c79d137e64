import { describe, expect, test } from 'vitest';
import {
	drawQuestions,
	questionCount,
	slotYields,
	type PoolQuestion
} from '../../src/lib/quiz/draw.ts';
import {
	attemptDeadline,
	countingScore,
	presetOf,
	revealedNow
} from '../../src/lib/quiz/policy.ts';
import { actorMastery, describeResponse, verdictOf } from '../../src/lib/quiz/review.ts';
import { parseRaw, rawFromForm, responseFromRaw } from '../../src/lib/quiz/score.ts';

const pool: PoolQuestion[] = [
	{ id: 1, actorId: 10, concernId: 100 },
	{ id: 2, actorId: 10, concernId: 101 },
	{ id: 3, actorId: 10, concernId: 100 },
	{ id: 4, actorId: 20, concernId: 100 },
	{ id: 5, actorId: 20, concernId: null },
	{ id: 6, actorId: null, concernId: null }
];
const slot = (position: number, over: Partial<Parameters<typeof drawQuestions>[0][0]>) => ({
	position,
	questionId: null,
	actorId: null,
	concernId: null,
	draw: 1,
	...over
});

describe('drawing an attempt’s questions', () => {
	test('fixed questions stay in place; draws take matching questions no other slot took', () => {
		const slots = [
			slot(1, { questionId: 3 }),
			slot(2, { actorId: 10, draw: 5 }),
			slot(3, { questionId: 6 })
		];
		const ids = drawQuestions(slots, pool, 'seed');
		expect(ids[0]).toBe(3);
		expect(ids.at(-1)).toBe(6);
		expect(ids.slice(1, -1).sort()).toEqual([1, 2]);
	});

	test('by actor and concern at once; never a question twice across draws', () => {
		const slots = [slot(1, { concernId: 100, draw: 2 }), slot(2, { concernId: 100, draw: 9 })];
		const ids = drawQuestions(slots, pool, 'x');
		expect([...ids].sort()).toEqual([1, 3, 4]);
		expect(new Set(ids).size).toBe(ids.length);
		expect(drawQuestions([slot(1, { actorId: 20, concernId: 100, draw: 3 })], pool, 'x')).toEqual([
			4
		]);
	});

	test('the same seed gives the same draw; seeds differ, draws differ', () => {
		const slots = [slot(1, { draw: 3 })];
		expect(drawQuestions(slots, pool, 'a')).toEqual(drawQuestions(slots, pool, 'a'));
		const seen = new Set(
			Array.from({ length: 20 }, (_, i) => drawQuestions(slots, pool, `s${i}`).join())
		);
		expect(seen.size).toBeGreaterThan(5);
	});

	test('a question no longer in the bank is skipped; the count says what an attempt gets', () => {
		expect(
			drawQuestions([slot(1, { questionId: 99 }), slot(2, { actorId: 20, draw: 5 })], pool, 's')
		).toHaveLength(2);
		expect(questionCount([slot(1, { actorId: 10, draw: 2 }), slot(2, { draw: 100 })], pool)).toBe(
			6
		);
	});
});

describe('what each slot of a quiz gives (the quiz editor)', () => {
	test('a draw asking for more than the bank has gets what there is', () => {
		const slots = [
			slot(1, { questionId: 1 }),
			slot(2, { actorId: 10, draw: 5 }),
			slot(3, { questionId: 99 }),
			slot(4, { actorId: 20, concernId: 100, draw: 1 })
		];
		expect(slotYields(slots, pool)).toEqual([
			{ position: 1, gets: 1, available: 1 },
			// Actor 10 has three questions; the fixed one is not drawn again.
			{ position: 2, gets: 2, available: 2 },
			// A fixed question no longer in the bank gives nothing.
			{ position: 3, gets: 0, available: 0 },
			{ position: 4, gets: 1, available: 1 }
		]);
		expect(slotYields(slots, pool).reduce((n, s) => n + s.gets, 0)).toBe(
			questionCount(slots, pool)
		);
	});

	test('overlapping draws: the later one gets what the earlier left', () => {
		const [a, b] = slotYields(
			[slot(1, { actorId: 10, draw: 3 }), slot(2, { concernId: 100, draw: 3 })],
			pool
		);
		expect([a.gets, b.gets, b.available]).toEqual([3, 1, 3]);
	});
});

describe('review policy', () => {
	const due = new Date('2027-01-10T12:00:00Z');
	const before = new Date('2027-01-09T12:00:00Z');
	const after = new Date('2027-01-11T12:00:00Z');
	const ctx = { submitted: true, staff: false, dueAt: due, closesAt: null };

	test('nothing while the attempt is open, even for staff', () => {
		const all = {
			marks: 'after-attempt',
			answers: 'after-attempt',
			feedback: 'after-attempt'
		} as const;
		expect(revealedNow(all, { ...ctx, submitted: false, staff: true, now: after })).toEqual({
			marks: false,
			answers: false,
			feedback: false
		});
	});

	test('after the attempt, after the due date, never; staff see a finished attempt whole', () => {
		const custom = { marks: 'after-attempt', answers: 'after-due', feedback: 'never' } as const;
		expect(revealedNow(custom, { ...ctx, now: before })).toEqual({
			marks: true,
			answers: false,
			feedback: false
		});
		expect(revealedNow(custom, { ...ctx, now: after })).toEqual({
			marks: true,
			answers: true,
			feedback: false
		});
		expect(revealedNow(custom, { ...ctx, staff: true, now: before })).toEqual({
			marks: true,
			answers: true,
			feedback: true
		});
		expect(presetOf(custom)).toBe('custom');
		expect(presetOf({ marks: 'never', answers: 'never', feedback: 'never' })).toBe('never');
	});

	test('"after the due date" waits for a later close date', () => {
		const p = { marks: 'after-due', answers: 'after-due', feedback: 'after-due' } as const;
		const closesAt = new Date('2027-01-12T12:00:00Z');
		expect(revealedNow(p, { ...ctx, closesAt, now: after }).marks).toBe(false);
	});
});

describe('which attempt counts, and when an attempt ends', () => {
	test('best, last, average; none when there is no finished attempt', () => {
		expect(countingScore('best', [0.5, 1, 0.25])).toBe(1);
		expect(countingScore('last', [0.5, 1, 0.25])).toBe(0.25);
		expect(countingScore('average', [0.5, 1, 0])).toBe(0.5);
		expect(countingScore('best', [])).toBeNull();
	});

	test('the time limit, stretched by a multiplier and extra minutes, never past the close date', () => {
		const startedAt = new Date('2027-01-10T12:00:00Z');
		const at = (d: Date | null) => d?.toISOString() ?? null;
		expect(at(attemptDeadline({ startedAt, timeLimitSeconds: 600, closesAt: null }))).toBe(
			'2027-01-10T12:10:00.000Z'
		);
		expect(
			at(
				attemptDeadline({
					startedAt,
					timeLimitSeconds: 600,
					closesAt: null,
					multiplier: 1.5,
					extraMinutes: 5
				})
			)
		).toBe('2027-01-10T12:20:00.000Z');
		expect(
			at(
				attemptDeadline({
					startedAt,
					timeLimitSeconds: 3600,
					closesAt: new Date('2027-01-10T12:30:00Z')
				})
			)
		).toBe('2027-01-10T12:30:00.000Z');
		expect(attemptDeadline({ startedAt, timeLimitSeconds: null, closesAt: null })).toBeNull();
	});
});

describe('raw answers as a page sends them', () => {
	test('prefixed fields are read per question, bounded in count and length', () => {
		const form = new FormData();
		form.append('q2-answer', 'x'.repeat(600));
		for (let i = 0; i < 150; i++) form.append('q3-answer', String(i));
		form.append('q4-answer-1', 'B');
		form.append('q4-answer-0', 'A');
		expect(rawFromForm(form, 'q2-').answer[0]).toHaveLength(500);
		expect(rawFromForm(form, 'q3-').answer).toHaveLength(100);
		expect(rawFromForm(form, 'q4-')).toEqual({ answer: [], slots: ['A', 'B'] });
		expect(rawFromForm(form, 'q5-')).toEqual({ answer: [], slots: [] });
	});

	test('JSON that is not a raw answer is refused', () => {
		for (const bad of [
			null,
			'x',
			{ answer: 'a', slots: [] },
			{ answer: [1], slots: [] },
			{ answer: [], slots: [{}] },
			{ answer: Array(101).fill('a'), slots: [] }
		])
			expect(parseRaw(bad)).toBeUndefined();
		expect(parseRaw({ answer: ['1'], slots: [null, 'x'] })).toEqual({
			answer: ['1'],
			slots: [null, 'x']
		});
	});

	test('a repeated multiple-response choice counts once; out-of-range places are no answer', () => {
		expect(responseFromRaw('multi', { answer: ['1', '1', '2'], slots: [] })).toEqual({
			type: 'multi',
			choices: [1, 2]
		});
		expect(responseFromRaw('ordering', { answer: [], slots: ['0', 'x'] }, 3)).toEqual({
			type: 'ordering',
			order: [0, null, null]
		});
	});
});

describe('the review in words', () => {
	test('each type’s answer as the student gave it', () => {
		const mc = {
			type: 'mc' as const,
			choices: [
				{ text: 'Yes', correct: true, feedback: null },
				{ text: 'No', correct: false, feedback: null }
			]
		};
		expect(describeResponse(mc, { type: 'mc', choice: 1 })).toBe('No');
		expect(describeResponse(mc, { type: 'mc', choice: null })).toBeNull();
		const match = {
			type: 'matching' as const,
			pairs: [
				{ left: 'Wants it', right: 'A' },
				{ left: 'Fears it', right: 'B' }
			]
		};
		expect(describeResponse(match, { type: 'matching', matches: ['B', null] })).toBe(
			'Wants it → B; Fears it → (none)'
		);
		const order = { type: 'ordering' as const, items: ['first', 'second'] };
		expect(describeResponse(order, { type: 'ordering', order: [1, 0] })).toBe('second → first');
		expect(verdictOf(0.5, true)).toBe('partly');
		expect(verdictOf(null, false)).toBe('unanswered');
	});

	test('mastery per actor weighs points; untagged questions are left out', () => {
		const m = actorMastery(
			[
				{ actorId: 1, points: 1, score: 1 },
				{ actorId: 1, points: 3, score: 1 },
				{ actorId: 2, points: 2, score: 0.25 },
				{ actorId: null, points: 5, score: 0 }
			],
			new Map([
				[1, 'Russia'],
				[2, 'Rights groups']
			])
		);
		expect(m.map((x) => [x.name, x.fraction, x.level])).toEqual([
			['Russia', 1, 'knows'],
			['Rights groups', 0.25, 'review']
		]);
	});
});
