import { describe, expect, it } from 'vitest';
import { MAX_MENTIONS, findMentions, mentionHandle } from '../../src/lib/discussion/mentions.ts';

const members = [
	{ id: 1, name: 'Ana López-Ruiz' },
	{ id: 2, name: 'Bob' },
	{ id: 3, name: 'Zoë O’Neil' },
	{ id: 4, name: 'Дмитрий' }
];

describe('mentionHandle', () => {
	it('folds a name to letters and digits', () => {
		expect(mentionHandle('Ana López-Ruiz')).toBe('analopezruiz');
		expect(mentionHandle('Zoë O’Neil')).toBe('zoeoneil');
		expect(mentionHandle('ＢＯＢ 2')).toBe('bob2');
		expect(mentionHandle('Дмитрий')).toBe('дмитрии');
	});
});

describe('findMentions', () => {
	it('finds members mentioned in any case, once each, in order', () => {
		expect(findMentions('@ZoeONeil and @AnaLopezRuiz, again @analopezruiz', members)).toEqual([
			3, 1
		]);
		expect(findMentions('@дмитрии', members)).toEqual([4]);
	});

	it('ignores code spans, code blocks, links, e-mail addresses and unknown handles', () => {
		const body =
			'`@bob`\n\n```\n@bob\n```\n\n    @bob\n\n[@bob](https://x.example) bob@x.example @carol';
		expect(findMentions(body, members)).toEqual([]);
	});

	it('stops at the cap', () => {
		const many = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, name: `user ${i}` }));
		const body = many.map((m) => `@${mentionHandle(m.name)}`).join(' ');
		expect(findMentions(body, many)).toEqual(many.slice(0, MAX_MENTIONS).map((m) => m.id));
	});
});
