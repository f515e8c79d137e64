// Ordering questions: our GIFT extension, how they are shown, read from a form and scored.
import { describe, expect, it } from 'vitest';
import { parseGift, serializeGift } from '../../src/lib/gift/index.ts';
import {
	publicQuestion,
	responseFromForm,
	rightAnswerText,
	scoreResponse,
	storedResponse
} from '../../src/lib/quiz/score.ts';

const SOURCE = `// [id:q-order] [cite:1] [type:ordering]
::Order::Put the events in order.{
=Russia proposes the treaty
=Firms raise concerns
=Groups issue a statement
####In the order of the article [¶1].
}
`;

function only(source: string) {
	const { questions, errors } = parseGift(source);
	expect(errors).toEqual([]);
	return questions[0];
}

function ordering(source: string) {
	const q = only(source);
	if (q.type !== 'ordering') throw new Error(`expected an ordering question, got ${q.type}`);
	return q;
}

describe('ordering questions', () => {
	it('parse from [type:ordering] with the items in their right order, and write back the same', () => {
		const q = only(SOURCE);
		expect(q).toMatchObject({
			type: 'ordering',
			items: ['Russia proposes the treaty', 'Firms raise concerns', 'Groups issue a statement']
		});
		expect(parseGift(serializeGift([q])).questions).toEqual([q]);
		expect(rightAnswerText(q)).toBe(
			'Russia proposes the treaty → Firms raise concerns → Groups issue a statement'
		);
	});

	it('without the tag the same block is a short answer, as Moodle reads it', () => {
		expect(only(SOURCE.replace(' [type:ordering]', '')).type).toBe('short');
	});

	it('refuse wrong items, duplicates, a single item and unknown types, each at its line', () => {
		const errorsOf = (s: string) => parseGift(s).errors.map((e) => [e.line, e.message]);
		expect(errorsOf(SOURCE.replace('=Firms', '~Firms'))).toEqual([
			[4, 'an ordering question lists its items as =item lines, in the right order']
		]);
		expect(errorsOf(SOURCE.replace('=Groups issue a statement', '=firms raise concerns'))).toEqual([
			[5, 'item "firms raise concerns" appears twice']
		]);
		expect(
			errorsOf('// [id:q] [cite:1] [type:ordering]\nOne?{\n=Only one\n}\n').map(([, m]) => m)
		).toEqual(['an ordering question needs at least 2 items']);
		expect(errorsOf(SOURCE.replace('[type:ordering]', '[type:essay]'))).toEqual([
			[1, 'type "essay" is not one we add to GIFT (known: ordering)']
		]);
	});

	it('show the items shuffled, stably per seed, and map the places chosen back to stored items', () => {
		const q = ordering(SOURCE);
		const shown = publicQuestion(q, 'seed-a');
		if (shown.type !== 'ordering') throw new Error('expected an ordering question');
		expect(shown.items.map((i) => i.text).sort()).toEqual([...q.items].sort());
		expect(publicQuestion(q, 'seed-a')).toEqual(shown);
		expect(JSON.stringify(shown)).not.toMatch(/"order"|correct/);

		// The student puts each item in its right place, by the positions they were shown at.
		const shownAt = (text: string) => shown.items.find((i) => i.text === text)!.index;
		const form = new FormData();
		q.items.forEach((text, place) => form.set(`answer-${place}`, String(shownAt(text))));
		const response = storedResponse(q, 'seed-a', responseFromForm('ordering', form, 3));
		expect(scoreResponse(q, response)).toMatchObject({ score: 1, correct: true });
	});

	it('give each item in its right place its share, never count an item twice, and 0 for nothing', () => {
		const q = only(SOURCE);
		const score = (order: (number | null)[]) => scoreResponse(q, { type: 'ordering', order }).score;
		expect(score([0, 1, 2])).toBe(1);
		expect(score([0, 2, 1])).toBe(0.333);
		expect(score([1, 2, 0])).toBe(0);
		expect(score([0, 0, 0])).toBe(0.333);
		expect(score([null, 1, null])).toBe(0.333);
		expect(score([])).toBe(0);
		expect(scoreResponse(q, { type: 'short', text: 'Russia proposes the treaty' }).score).toBe(0);
	});

	it('read a form: missing, non-numeric and out-of-range places are empty or wrong, never an error', () => {
		const form = new FormData();
		form.set('answer-0', '2');
		form.set('answer-1', 'x');
		form.set('answer-2', '99');
		expect(responseFromForm('ordering', form, 4)).toEqual({
			type: 'ordering',
			order: [2, null, 99, null]
		});
		const q = only(SOURCE);
		const stored = storedResponse(q, 'seed', { type: 'ordering', order: [99, null, 0, 1] });
		expect(stored.type === 'ordering' && stored.order[0]).toBe(-1);
	});
});
