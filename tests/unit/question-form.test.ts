import { describe, expect, test } from 'vitest';
import {
	answerFromForm,
	formValuesOfAnswer,
	rowsToShow,
	sameKey
} from '../../src/lib/quiz/question-form.ts';
import type { GiftAnswer } from '../../src/lib/gift/index.ts';

const EVERY_TYPE: GiftAnswer[] = [
	{
		type: 'mc',
		choices: [
			{ text: 'Russia', correct: false, feedback: 'No [¶1].' },
			{ text: 'The U.S. administration', correct: true, feedback: null }
		]
	},
	{
		type: 'multi',
		options: [
			{ text: 'Safeguards', weight: 50, feedback: null },
			{ text: 'Engagement', weight: 50, feedback: 'Yes.' },
			{ text: 'Withdrawal', weight: -50, feedback: null }
		]
	},
	{ type: 'tf', answer: true, feedbackIfWrong: 'See ¶2.', feedbackIfRight: null },
	{ type: 'short', answers: ['Budapest Convention', 'Budapest'] },
	{
		type: 'matching',
		pairs: [
			{ left: 'Security research', right: 'Tech firms' },
			{ left: 'Vague language', right: 'Rights groups' },
			{ left: 'Whistleblowers', right: 'Tech firms' }
		]
	},
	{ type: 'ordering', items: ['Proposed', 'Negotiated', 'Adopted'] },
	{ type: 'numerical', answer: { kind: 'exact', value: 2017, tolerance: 1 } },
	{ type: 'numerical', answer: { kind: 'range', min: 100, max: 150 } }
];

describe('the question editor form', () => {
	test.each(EVERY_TYPE.map((a) => [a.type, a] as const))(
		'%s: a stored answer shown in the form reads back the same',
		(_, answer) => {
			expect(answerFromForm(answer.type, formValuesOfAnswer(answer))).toEqual({
				ok: true,
				answer
			});
		}
	);

	test('empty rows are no answer; spaces and Windows line ends are trimmed', () => {
		const values = {
			'opt-0-text': '  Russia ',
			'opt-0-feedback': '',
			'opt-1-text': '',
			'opt-1-feedback': '',
			'opt-2-text': 'The firms\r\n',
			right: '2'
		};
		expect(answerFromForm('mc', values)).toEqual({
			ok: true,
			answer: {
				type: 'mc',
				choices: [
					{ text: 'Russia', correct: false, feedback: null },
					{ text: 'The firms', correct: true, feedback: null }
				]
			}
		});
	});

	test.each([
		['mc', { 'opt-0-text': 'A', 'opt-1-text': 'B' }, 'answer', /Mark the right option/],
		['mc', { 'opt-0-text': 'A', right: '0' }, 'answer', /at least two options/],
		['mc', { 'opt-0-text': 'A', 'opt-1-text': 'a', right: '0' }, 'opt-1-text', /already/],
		['mc', { 'opt-0-text': 'a -> b', 'opt-1-text': 'c', right: '1' }, 'opt-0-text', /->/],
		['mc', { 'opt-0-text': '%50% A', 'opt-1-text': 'c', right: '1' }, 'opt-0-text', /%/],
		[
			'mc',
			{ 'opt-0-text': '', 'opt-0-feedback': 'orphan', 'opt-1-text': 'x' },
			'opt-0-text',
			/Write the option/
		],
		[
			'multi',
			{ 'opt-0-text': 'A', 'opt-0-weight': '50', 'opt-1-text': 'B', 'opt-1-weight': '40' },
			'answer',
			/add up to 90%/
		],
		[
			'multi',
			{ 'opt-0-text': 'A', 'opt-0-weight': 'lots', 'opt-1-text': 'B' },
			'opt-0-weight',
			/percentage/
		],
		[
			'multi',
			{ 'opt-0-text': 'A', 'opt-0-weight': '150', 'opt-1-text': 'B' },
			'opt-0-weight',
			/percentage/
		],
		['tf', {}, 'truth', /true or false/],
		['short', { 'accept-0': ' ' }, 'answer', /at least one/],
		['matching', { 'pair-0-left': 'A', 'pair-0-right': '' }, 'pair-0-right', /what it matches/],
		['matching', { 'pair-0-left': 'A', 'pair-0-right': 'B' }, 'answer', /at least two pairs/],
		['ordering', { 'item-0': 'Only one' }, 'answer', /at least two items/],
		['numerical', { numValue: '20l7' }, 'numValue', /right number/],
		['numerical', { numValue: '2017', numTolerance: '-1' }, 'numTolerance', /0 or more/],
		['numerical', { numKind: 'range', numMin: '5', numMax: '1' }, 'numMax', /below the lowest/]
	] as const)('%s %j: a message next to %s', (type, values, field, message) => {
		const r = answerFromForm(type, values as Record<string, string>);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors[field]).toMatch(message);
	});

	test('at most 100 options, and 1,000 characters an option', () => {
		const many: Record<string, string> = { right: '0' };
		for (let i = 0; i < 101; i++) many[`opt-${i}-text`] = `Option ${i}`;
		const r = answerFromForm('mc', many);
		expect(!r.ok && r.errors.answer).toMatch(/at most 100/);
		const long = answerFromForm('mc', {
			'opt-0-text': 'x'.repeat(1001),
			'opt-1-text': 'y',
			right: '1'
		});
		expect(!long.ok && long.errors['opt-0-text']).toMatch(/1,000/);
	});

	test('the form always has blank rows after the filled ones', () => {
		expect(rowsToShow({}, /^item-(\d+)$/, 4)).toBe(4);
		expect(rowsToShow({ 'item-0': 'a', 'item-4': 'b', 'item-5': ' ' }, /^item-(\d+)$/, 4)).toBe(7);
	});

	test('a key change is told apart from a wording change', () => {
		const [mc] = EVERY_TYPE;
		if (mc.type !== 'mc') throw new Error();
		const reworded = { ...mc, choices: mc.choices.map((c) => ({ ...c, feedback: 'New.' })) };
		const rekeyed = { ...mc, choices: mc.choices.map((c) => ({ ...c, correct: !c.correct })) };
		expect(sameKey(mc, reworded)).toBe(true);
		expect(sameKey(mc, rekeyed)).toBe(false);
		expect(sameKey(EVERY_TYPE[6], EVERY_TYPE[7])).toBe(false);
	});
});
