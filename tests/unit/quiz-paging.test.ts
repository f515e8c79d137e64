import { describe, expect, test } from 'vitest';
import { quizPage } from '../../src/lib/quiz/paging.ts';
import {
	parseAssignmentForm,
	quizSettingsValues
} from '../../src/lib/server/web/assignment-form.ts';
import { DEFAULT_QUIZ_SETTINGS } from '../../src/lib/server/quizzes/settings.ts';

describe('a new page every N questions', () => {
	test('16 questions two to a page make 8 pages, each of its two positions', () => {
		expect(quizPage(16, 2, 1)).toEqual({ page: 1, pages: 8, positions: [1, 2] });
		expect(quizPage(16, 2, 5)).toEqual({ page: 5, pages: 8, positions: [9, 10] });
		expect(quizPage(16, 2, 8).positions).toEqual([15, 16]);
	});

	test('the last page holds what is left', () => {
		expect(quizPage(7, 3, 3)).toEqual({ page: 3, pages: 3, positions: [7] });
	});

	test('0 shows every question on one page, whatever page is asked for', () => {
		expect(quizPage(4, 0, 3)).toEqual({ page: 1, pages: 1, positions: [1, 2, 3, 4] });
	});

	test('one per page is N = 1', () => {
		expect(quizPage(3, 1, 2)).toEqual({ page: 2, pages: 3, positions: [2] });
	});

	test('a page out of range is brought into range', () => {
		expect(quizPage(16, 2, 99).page).toBe(8);
		expect(quizPage(16, 2, 0).page).toBe(1);
		expect(quizPage(16, 2, null).page).toBe(1);
	});
});

const quizzes = [{ id: 3, title: 'Exam', questionCount: 16 }];
function quizForm(fields: Record<string, string>): FormData {
	const f = new FormData();
	for (const [k, v] of Object.entries({
		kind: 'quiz',
		quiz: '3',
		due: '2027-03-01T09:00',
		...fields
	}))
		f.set(k, v);
	return f;
}

describe('the questions-per-page setting of the assignment form', () => {
	const perPage = (fields: Record<string, string>) => {
		const r = parseAssignmentForm(quizForm(fields), [], 'UTC', quizzes);
		return r.ok ? r.input.quiz?.questionsPerPage : r.errors;
	};

	test('all on one page, one per page, or several', () => {
		expect(perPage({ layout: 'all' })).toBe(0);
		expect(perPage({ layout: 'paged' })).toBe(1);
		expect(perPage({ layout: 'several', perPage: '2' })).toBe(2);
	});

	test('several needs a number from 2 to 50, said beside the field', () => {
		expect(perPage({ layout: 'several', perPage: '' })).toMatchObject({
			perPage: expect.stringMatching(/from 2 to 50/)
		});
		expect(perPage({ layout: 'several', perPage: '51' })).toMatchObject({
			perPage: expect.stringMatching(/from 2 to 50/)
		});
	});

	test('at and past its limits, and odd input, the number is refused beside the field', () => {
		expect(perPage({ layout: 'several', perPage: '50' })).toBe(50);
		expect(perPage({ layout: 'several', perPage: ' 7 ' })).toBe(7);
		for (const bad of ['1', '0', '-2', '2.5', '1e1', '\u0663', '4\u00005', '9'.repeat(400)])
			expect(perPage({ layout: 'several', perPage: bad })).toMatchObject({
				perPage: expect.stringMatching(/from 2 to 50/)
			});
	});

	test('an existing setting is shown back in the form', () => {
		const values = quizSettingsValues({ ...DEFAULT_QUIZ_SETTINGS, questionsPerPage: 2 });
		expect(values).toMatchObject({ layout: 'several', perPage: '2' });
		expect(quizSettingsValues({ ...DEFAULT_QUIZ_SETTINGS, questionsPerPage: 1 }).layout).toBe(
			'paged'
		);
	});
});
