import { describe, expect, test } from 'vitest';
import { resultOf } from '../../src/lib/forms/failure.ts';
import { failure } from '../../src/lib/server/web/forms.ts';

describe('the one failure shape of form actions', () => {
	test('failure() fills every field, echoes what was typed less secrets, joins repeated fields', () => {
		const posted = new FormData();
		posted.set('title', 'Draft');
		posted.set('password', 'hunter2 hunter2');
		posted.set('reset_token', 'abc');
		posted.append('actors', 'firms');
		posted.append('actors', 'rights-groups');
		const f = failure(400, { action: 'save', errors: { title: 'Too short.' }, values: posted });
		expect(f.status).toBe(400);
		expect(f.data).toEqual({
			action: 'save',
			errors: { title: 'Too short.' },
			values: { title: 'Draft', actors: 'firms\nrights-groups' },
			problems: []
		});
		expect(failure(409, { message: 'Gone.' }).data).toEqual({
			message: 'Gone.',
			errors: {},
			values: {},
			problems: []
		});
	});

	test('resultOf picks the result of one form (and one item) of a page', () => {
		const form = { action: 'save', item: 3, errors: {}, values: {}, problems: [] };
		expect(resultOf(form, 'save')).toBe(form);
		expect(resultOf(form, 'save', 3)).toBe(form);
		expect(resultOf(form, 'save', null)).toBeNull();
		expect(resultOf(form, 'delete')).toBeNull();
		expect(resultOf(null, 'save')).toBeNull();
	});
});
