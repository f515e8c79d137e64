import { describe, expect, it } from 'vitest';
import {
	applyWatchedWords,
	checkWatchedWord,
	type WatchedWord
} from '../../src/lib/discussion/watched-words.ts';
import { renderPost } from '../../src/lib/markdown/post.ts';

const replace = (word: string, replacement: string | null = 'beep'): WatchedWord => ({
	word,
	action: 'replace',
	replacement
});
const block = (word: string): WatchedWord => ({ word, action: 'block', replacement: null });
const hold = (word: string): WatchedWord => ({ word, action: 'hold', replacement: null });

describe('applyWatchedWords: matching', () => {
	it('matches whole words only, in any case', () => {
		expect(applyWatchedWords('Hate it. HATE. hated, whatever', [block('hate')]).blocked).toEqual([
			'hate'
		]);
		expect(applyWatchedWords('hated, whatever, chateau', [block('hate')]).blocked).toEqual([]);
	});

	it('sees through zero-width characters, soft hyphens, full-width letters and accents', () => {
		for (const body of [
			'h\u200date',
			'ha\u200bte',
			'ha\u00adte',
			'ＨＡＴＥ',
			'Hâte',
			'ha\u0301te'
		]) {
			expect(applyWatchedWords(`so ${body}!`, [hold('hate')]).held, body).toEqual(['hate']);
		}
		expect(applyWatchedWords('so hâte', [hold('HÂTE')]).held).toEqual(['HÂTE']);
	});

	it('treats * as letters at the start or end', () => {
		const words = [block('idiot*'), hold('*head')];
		expect(applyWatchedWords('idiots and Idiotic; blockhead', words)).toMatchObject({
			blocked: ['idiot*'],
			held: ['*head']
		});
		expect(applyWatchedWords('idiot2 idi head2', words)).toMatchObject({ blocked: [], held: [] });
		expect(applyWatchedWords('an idiot', words).blocked).toEqual(['idiot*']);
		expect(applyWatchedWords('xxbadxx', [block('*bad*')]).blocked).toEqual(['*bad*']);
	});

	it('matches phrases across any separator', () => {
		expect(applyWatchedWords('go  Away now', [hold('go away')]).held).toEqual(['go away']);
		expect(applyWatchedWords('go to away', [hold('go away')]).held).toEqual([]);
	});
});

describe('applyWatchedWords: replacing', () => {
	it('replaces exactly what the author typed, despite normalisation', () => {
		const body = 'A h\u200date, ＨＡＴＥ and Ha\u0301te; e\u0301cole hate.';
		expect(applyWatchedWords(body, [replace('hate')]).body).toBe(
			'A beep, beep and beep; e\u0301cole beep.'
		);
		expect(applyWatchedWords('Idiots! idiot', [replace('idiot*', 'x')]).body).toBe('x! x');
		expect(
			applyWatchedWords('a bad word here', [replace('bad'), replace('bad word', 'X')]).body
		).toBe('a X here');
	});

	it('uses a default mask without a replacement, and escapes Markdown in a replacement', () => {
		expect(applyWatchedWords('hate', [replace('hate', null)]).body).toBe('■■■');
		const out = applyWatchedWords('hate (https://x.example)', [replace('hate', '[removed]')]).body;
		expect(out).toBe('\\[removed\\] (https://x.example)');
		expect(renderPost(out, { citationHref: () => '#', paragraphCount: 0 })).toContain('[removed]');
	});

	it('keeps Markdown and links intact, holding a word found inside a URL instead', () => {
		const body = '**hate** and [hate speech](https://example.org/hate) or https://hate.example/x';
		const result = applyWatchedWords(body, [replace('hate')]);
		expect(result.body).toBe(
			'**beep** and [beep speech](https://example.org/hate) or https://hate.example/x'
		);
		expect(result.held).toEqual(['hate']);
		const html = renderPost(result.body, { citationHref: () => '#', paragraphCount: 0 });
		expect(html).toContain('<strong>beep</strong>');
		expect(html).toContain(
			'<a href="https://example.org/hate" rel="nofollow ugc noopener">beep speech</a>'
		);
	});

	it('leaves a body without watched words as it was', () => {
		const body = 'Nothing to see [¶1] `code` **here**';
		expect(applyWatchedWords(body, [replace('hate'), block('idiot*')])).toEqual({
			blocked: [],
			held: [],
			body
		});
	});
});

describe('applyWatchedWords: cost', () => {
	// A pattern that backtracks takes seconds here; a normal check is a few ms (best of 5 runs,
	// because a loaded CI machine stretched one run of three to over 100 ms).
	it('checks 500 words against a 20 KB body well under 300 ms', () => {
		const kinds = ['', '*', 'pre*'];
		const words: WatchedWord[] = Array.from({ length: 500 }, (_, i) => {
			const kind = kinds[i % 3];
			const word = kind === 'pre*' ? `*w${i}ord` : `w${i}ord${kind}`;
			return i % 2 ? replace(word) : hold(word);
		});
		words.push(block('*zz*'), hold('two words'));
		const body = 'Lorem ipsum w10ord dolor sít amet, h\u200date ＨＡＴＥ w31ordy two words '
			.repeat(400)
			.slice(0, 20_000);
		applyWatchedWords(body, words);
		let best = Infinity;
		for (let run = 0; run < 5; run++) {
			const start = performance.now();
			applyWatchedWords(body, words);
			best = Math.min(best, performance.now() - start);
		}
		expect(best).toBeLessThan(300);
		const result = applyWatchedWords(body, words);
		expect(result.held).toContain('two words');
		expect(result.body).toContain('beep');
	});

	it('handles one 20 KB word without slowing down', () => {
		const start = performance.now();
		applyWatchedWords('a'.repeat(20_000), [block('*b*'), hold('a*'), replace('*aa')]);
		expect(performance.now() - start).toBeLessThan(200);
	});
});

describe('checkWatchedWord', () => {
	it('accepts words, phrases and edge wildcards, trimmed', () => {
		expect(checkWatchedWord('  idiot* ')).toEqual({ word: 'idiot*' });
		expect(checkWatchedWord('*head')).toEqual({ word: '*head' });
		expect(checkWatchedWord('go away')).toEqual({ word: 'go away' });
	});

	it('refuses empty, too long, inner wildcards and no letters', () => {
		for (const input of ['', '   ', 'x'.repeat(61), 'id*ot', '***', '*', '!!', 42]) {
			expect(checkWatchedWord(input).error, String(input)).toBeDefined();
		}
		expect(checkWatchedWord('x'.repeat(60)).error).toBeUndefined();
	});
});
