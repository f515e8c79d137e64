import { describe, expect, it } from 'vitest';
import {
	citationLines,
	findCitations,
	matchCitationAt,
	parseCitations
} from '../../src/lib/citations/index.ts';

describe('parseCitations', () => {
	it('reads single, listed and adjacent citations in order of first appearance', () => {
		expect(parseCitations('A [¶3]. B [¶1, ¶4] and [¶1,¶2][¶5]. Again [¶3].')).toEqual([
			3, 1, 4, 2, 5
		]);
	});

	it('expands ranges written with an en dash or a hyphen', () => {
		expect(parseCitations('[¶1–3] [¶7-8] [¶10–¶11] [¶2, ¶5–6]')).toEqual([
			1, 2, 3, 7, 8, 10, 11, 5, 6
		]);
	});

	it('ignores anything that is not a citation', () => {
		const text = '¶1 [1] [¶] [¶a] [ ¶2] [¶3 ¶4] [¶5;¶6] [¶9–7] [§1] (¶8) [¶1–100000] [¶2,]';
		expect(parseCitations(text)).toEqual([]);
	});

	it('keeps paragraph 0 so that validators can report it', () => {
		expect(parseCitations('[¶0]')).toEqual([0]);
	});
});

describe('findCitations', () => {
	it('gives each match with its offset, length and paragraphs', () => {
		const text = 'See [¶2] and [¶4, ¶6–7].';
		expect(findCitations(text)).toEqual([
			{ index: 4, length: 4, text: '[¶2]', paragraphs: [2] },
			{ index: 13, length: 10, text: '[¶4, ¶6–7]', paragraphs: [4, 6, 7] }
		]);
	});

	it('does not repeat a paragraph within one citation', () => {
		expect(findCitations('[¶2, ¶1–3]')[0].paragraphs).toEqual([2, 1, 3]);
	});

	it('matches at an exact offset only', () => {
		expect(matchCitationAt('x [¶1]', 2)?.paragraphs).toEqual([1]);
		expect(matchCitationAt('x [¶1]', 0)).toBeNull();
	});
});

describe('citationLines', () => {
	it('reports the 1-based lines that cite', () => {
		const text = 'first [¶1]\nnone\r\nthird [¶2, ¶3] [¶2]\n\n[¶4]';
		expect(citationLines(text)).toEqual([
			{ line: 1, paragraphs: [1] },
			{ line: 3, paragraphs: [2, 3] },
			{ line: 5, paragraphs: [4] }
		]);
	});

	it('does not let a citation span lines', () => {
		expect(citationLines('[¶1,\n¶2]')).toEqual([]);
	});
});

describe('citations that name too many paragraphs', () => {
	it('are not citations, and cost no time', () => {
		const many = `[${Array.from({ length: 400 }, (_, i) => `¶${i * 500 + 1}-${i * 500 + 499}`).join(',')}]`;
		const started = performance.now();
		expect(parseCitations(many)).toEqual([]);
		expect(performance.now() - started).toBeLessThan(200);
		expect(parseCitations('[¶1-500]')).toHaveLength(500);
		expect(parseCitations('[¶1-300, ¶400-700]')).toEqual([]);
	});
});
