import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { parseGift, type GiftAnswer } from '../../src/lib/gift/index.ts';
import {
	displayOrder,
	normaliseShort,
	publicQuestion,
	responseFromForm,
	scoreResponse,
	storedResponse
} from '../../src/lib/quiz/score.ts';

const mc: GiftAnswer = {
	type: 'mc',
	choices: [
		{ text: 'Right', correct: true, feedback: 'Yes.' },
		{ text: 'Wrong A', correct: false, feedback: 'No A.' },
		{ text: 'Wrong B', correct: false, feedback: null },
		{ text: 'Wrong C', correct: false, feedback: null }
	]
};

function form(fields: [string, string][]): FormData {
	const f = new FormData();
	for (const [k, v] of fields) f.append(k, v);
	return f;
}

describe('what a browser sees of a question', () => {
	it('carries display positions, not stored indices, and no key', () => {
		const pub = publicQuestion(mc, 'q-1');
		const json = JSON.stringify(pub);
		expect(json).not.toMatch(/correct|feedback|Yes\./);
		if (pub.type !== 'mc') throw new Error('mc expected');
		expect(pub.options.map((o) => o.index)).toEqual([0, 1, 2, 3]);
		expect(pub.options.map((o) => o.text).sort()).toEqual([
			'Right',
			'Wrong A',
			'Wrong B',
			'Wrong C'
		]);
	});

	it('in the shipped bank, the right answer is not always at the same position', () => {
		const { questions } = parseGift(
			fs.readFileSync('content/un-cybercrime-treaty/questions.gift', 'utf8')
		);
		const positions = questions
			.filter((q) => q.type === 'mc')
			.map((q) => {
				const order = displayOrder(q, q.id);
				return order.findIndex((stored) => q.type === 'mc' && q.choices[stored].correct);
			});
		expect(positions.length).toBeGreaterThan(5);
		expect(new Set(positions).size).toBeGreaterThan(1);
	});

	it('a submitted position is scored against the option shown there', () => {
		const pub = publicQuestion(mc, 'seed');
		if (pub.type !== 'mc') throw new Error('mc expected');
		const rightAt = pub.options.find((o) => o.text === 'Right')!.index;
		const wrongAt = pub.options.find((o) => o.text === 'Wrong A')!.index;
		const right = storedResponse(
			mc,
			'seed',
			responseFromForm('mc', form([['answer', String(rightAt)]]))
		);
		expect(scoreResponse(mc, right)).toMatchObject({ correct: true, score: 1, feedback: 'Yes.' });
		const wrong = storedResponse(
			mc,
			'seed',
			responseFromForm('mc', form([['answer', String(wrongAt)]]))
		);
		expect(scoreResponse(mc, wrong)).toMatchObject({
			correct: false,
			score: 0,
			feedback: 'No A.',
			rightAnswer: 'Right'
		});
		const bogus = storedResponse(mc, 'seed', responseFromForm('mc', form([['answer', '99']])));
		expect(scoreResponse(mc, bogus).score).toBe(0);
	});
});

describe('scoring', () => {
	it('multiple answer: weights add up, wrong picks subtract, never below 0', () => {
		const q: GiftAnswer = {
			type: 'multi',
			options: [
				{ text: 'a', weight: 50, feedback: null },
				{ text: 'b', weight: 50, feedback: null },
				{ text: 'c', weight: -50, feedback: null }
			]
		};
		expect(scoreResponse(q, { type: 'multi', choices: [0, 1] })).toMatchObject({
			score: 1,
			correct: true
		});
		expect(scoreResponse(q, { type: 'multi', choices: [0, 2] }).score).toBe(0);
		expect(scoreResponse(q, { type: 'multi', choices: [2] }).score).toBe(0);
		expect(scoreResponse(q, { type: 'multi', choices: [0] })).toMatchObject({
			score: 0.5,
			correct: false
		});
	});

	it('short answers ignore case, spacing, curly quotes and final punctuation', () => {
		const q: GiftAnswer = { type: 'short', answers: ['Human Rights Watch'] };
		expect(scoreResponse(q, { type: 'short', text: '  human   rights watch. ' }).correct).toBe(
			true
		);
		expect(scoreResponse(q, { type: 'short', text: 'Amnesty' }).correct).toBe(false);
		expect(normaliseShort('It’s')).toBe("it's");
	});

	it('true/false, numerical with tolerance and range, matching by pairs', () => {
		expect(
			scoreResponse(
				{ type: 'tf', answer: false, feedbackIfWrong: 'x', feedbackIfRight: 'y' },
				{ type: 'tf', answer: false }
			)
		).toMatchObject({ correct: true, feedback: 'y' });
		const num: GiftAnswer = {
			type: 'numerical',
			answer: { kind: 'exact', value: 2017, tolerance: 0 }
		};
		expect(
			scoreResponse(num, responseFromForm('numerical', form([['answer', ' 2017 ']]))).correct
		).toBe(true);
		expect(scoreResponse(num, { type: 'numerical', value: 2018 }).correct).toBe(false);
		const range: GiftAnswer = { type: 'numerical', answer: { kind: 'range', min: 100, max: 150 } };
		expect(scoreResponse(range, { type: 'numerical', value: 120 }).correct).toBe(true);
		const match: GiftAnswer = {
			type: 'matching',
			pairs: [
				{ left: 'US', right: 'supports' },
				{ left: 'HRW', right: 'opposes' }
			]
		};
		const r = responseFromForm(
			'matching',
			form([
				['answer-0', 'supports'],
				['answer-1', 'supports']
			]),
			2
		);
		expect(scoreResponse(match, r)).toMatchObject({ score: 0.5, correct: false });
	});
});
