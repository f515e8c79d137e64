import { describe, expect, test } from 'vitest';
import { textMemo } from '../../src/lib/server/cache/text-memo.ts';
import { renderedPosts, renderPostBody } from '../../src/lib/server/discussion/render.ts';
import { renderPost } from '../../src/lib/markdown/post.ts';

describe('a memo of a text function', () => {
	test('computes an input once, keeps at most its bound, least recently used out first', () => {
		const memo = textMemo(160);
		let calls = 0;
		const upper = (s: string) => (calls++, s.toUpperCase());
		expect(memo('aaaa', upper)).toBe('AAAA');
		expect(memo('aaaa', upper)).toBe('AAAA');
		expect(calls).toBe(1);
		// Nine more entries of 8 characters each: 80 kept characters, under 160.
		for (let i = 0; i < 9; i++) memo(`k${i}xx`, upper);
		expect(memo.stats()).toEqual({ entries: 10, chars: 80 });
		memo('aaaa', upper); // used again: now the most recent
		for (let i = 0; i < 11; i++) memo(`m${i}yy`, upper);
		// 21 entries would be 168 characters: the least recently used (k0xx) went, aaaa stayed.
		expect(memo.stats().chars).toBeLessThanOrEqual(160);
		calls = 0;
		memo('aaaa', upper);
		expect(calls).toBe(0);
		memo('k0xx', upper);
		expect(calls).toBe(1);
	});

	test('an input over a sixteenth of the bound is computed each time, never kept', () => {
		const memo = textMemo(160);
		let calls = 0;
		const same = (s: string) => (calls++, s);
		memo('x'.repeat(6), same);
		memo('x'.repeat(6), same);
		expect([calls, memo.stats().entries]).toEqual([2, 0]);
	});

	test('a kept post renders exactly as a fresh one, per course address and paragraph count', () => {
		renderedPosts.clear();
		const body = 'See [¶2] and [¶9], @ada, <b>raw</b> and [a link](https://example.org).';
		const fresh = (slug: string, n: number) =>
			renderPost(body, {
				citationHref: (p) => `/courses/${slug}/article#p${p}`,
				paragraphCount: n
			});
		expect(renderPostBody(body, 'one', 4)).toBe(fresh('one', 4));
		expect(renderPostBody(body, 'one', 4)).toBe(fresh('one', 4));
		expect(renderPostBody(body, 'one', 12)).toBe(fresh('one', 12));
		expect(renderPostBody(body, 'two', 4)).toBe(fresh('two', 4));
		expect(renderPostBody(body, 'two', 4)).toContain('/courses/two/article#p2');
		expect(renderPostBody(body, 'one', 4)).not.toContain('#p9');
		expect(renderedPosts.stats().entries).toBe(3);
	});
});
