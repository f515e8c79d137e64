import { describe, expect, test } from 'vitest';
import { parseAssignmentForm } from '../../src/lib/server/web/assignment-form.ts';

const lessons = [{ id: 7, title: 'Washington’s case', checkCount: 2 }];

function form(fields: Record<string, string>): FormData {
	const f = new FormData();
	for (const [k, v] of Object.entries({ lesson: '7', completion: 'marked', ...fields }))
		f.set(k, v);
	return f;
}

describe('the assignment form’s dates', () => {
	test('30 February is refused beside the field, with what was typed kept', () => {
		const result = parseAssignmentForm(form({ due: '2027-02-30T09:00' }), lessons);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors.due).toMatch(/^That is not a real date and time/);
		expect(result.values.due).toBe('2027-02-30T09:00');
	});

	test('an impossible open date says it may also be left empty', () => {
		const result = parseAssignmentForm(
			form({ due: '2027-03-01T09:00', opens: '2027-02-29T24:00' }),
			lessons
		);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors.opens).toMatch(/not a real date.*Or leave it empty\.$/);
	});

	test('a real date in the class’s zone is accepted', () => {
		const result = parseAssignmentForm(form({ due: '2027-02-28T09:00' }), lessons, 'Europe/Paris');
		expect(result.ok).toBe(true);
		if (result.ok) expect(result.input.dueAt.toISOString()).toBe('2027-02-28T08:00:00.000Z');
	});
});

describe('a discussion prompt', () => {
	test('needs a title and the prompt, and keeps how it runs', () => {
		const refused = parseAssignmentForm(
			form({ kind: 'discussion', due: '2027-02-28T09:00' }),
			lessons
		);
		expect(refused.ok).toBe(false);
		if (!refused.ok) {
			expect(refused.errors.title).toMatch(/title/);
			expect(refused.errors.instructions).toMatch(/Write the prompt/);
		}
		const ok = parseAssignmentForm(
			form({
				kind: 'discussion',
				title: 'Should the U.S. keep supporting it?',
				instructions: 'Argue it, citing the article.',
				postFirst: 'on',
				actorMode: 'assigned',
				due: '2027-02-28T09:00'
			}),
			lessons
		);
		expect(ok.ok && ok.input).toMatchObject({
			kind: 'discussion',
			lessonId: null,
			quizId: null,
			discussion: { postFirst: true, anonymous: false, actorMode: 'assigned' }
		});
	});

	test('refuses an unknown way of arguing as an actor', () => {
		const r = parseAssignmentForm(
			form({
				kind: 'discussion',
				title: 'T',
				instructions: 'P',
				actorMode: 'everyone',
				due: '2027-02-28T09:00'
			}),
			lessons
		);
		expect(!r.ok && r.errors.actorMode).toMatch(/actor/);
	});
});
