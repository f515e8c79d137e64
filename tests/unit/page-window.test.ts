import { describe, expect, test } from 'vitest';
import { pageWindow } from '../../src/lib/page-window.ts';

describe('the page numbers a pager shows', () => {
	test('few pages: all of them', () => {
		expect(pageWindow(1, 1)).toEqual([1]);
		expect(pageWindow(3, 5)).toEqual([1, 2, 3, 4, 5]);
	});

	test('many pages: the first, the last and two either side of the current, gaps as null', () => {
		expect(pageWindow(1, 18)).toEqual([1, 2, 3, null, 18]);
		expect(pageWindow(9, 18)).toEqual([1, null, 7, 8, 9, 10, 11, null, 18]);
		expect(pageWindow(18, 18)).toEqual([1, null, 16, 17, 18]);
	});

	test('a gap of one page shows the page, not an ellipsis', () => {
		expect(pageWindow(4, 18)).toEqual([1, 2, 3, 4, 5, 6, null, 18]);
		expect(pageWindow(5, 18)).toEqual([1, 2, 3, 4, 5, 6, 7, null, 18]);
		expect(pageWindow(15, 18)).toEqual([1, null, 13, 14, 15, 16, 17, 18]);
		expect(pageWindow(14, 18)).toEqual([1, null, 12, 13, 14, 15, 16, 17, 18]);
	});

	test('never more than nine entries, whatever the count', () => {
		for (const pages of [1, 7, 40, 1000])
			for (let page = 1; page <= pages; page += 7)
				expect(pageWindow(page, pages).length).toBeLessThanOrEqual(9);
	});
});
