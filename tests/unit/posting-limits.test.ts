import { describe, expect, test } from 'vitest';
import {
	checkBody,
	checkTitle,
	MAX_BODY,
	MAX_TITLE
} from '../../src/lib/server/discussion/posting-rules.ts';

describe('what a post and a title may hold', () => {
	test('a post at the limit is kept, one past it is refused with its length', () => {
		expect(checkBody('a'.repeat(MAX_BODY))).toEqual({ body: 'a'.repeat(MAX_BODY) });
		const over = checkBody('a'.repeat(MAX_BODY + 1));
		expect('refusal' in over && over.refusal).toMatchObject({ status: 400, field: 'body' });
		expect('refusal' in over && over.refusal.message).toMatch(/20,001/);
	});

	test('NUL and other control characters go; tabs, newlines and odd Unicode stay', () => {
		expect(checkBody('a\u0000b\u0007c\r\nd\te 🏳️‍🌈 \u202e')).toEqual({ body: 'abc\nd\te 🏳️‍🌈 \u202e' });
		const blank = checkBody('\u0000 \n\t ');
		expect('refusal' in blank && blank.refusal.message).toBe('Write something before posting.');
	});

	test('titles fold whitespace and control characters, and stop at their limit', () => {
		expect(checkTitle('  A\u0000title\n\nhere ')).toEqual({ title: 'A title here' });
		expect(checkTitle('x'.repeat(MAX_TITLE))).toEqual({ title: 'x'.repeat(MAX_TITLE) });
		const long = checkTitle('x'.repeat(MAX_TITLE + 1));
		expect('refusal' in long && long.refusal.field).toBe('title');
	});
});
