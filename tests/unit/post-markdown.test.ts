import { describe, expect, it } from 'vitest';
import { mentionedHandles, quotePost, renderPost } from '../../src/lib/markdown/post.ts';

const opts = {
	citationHref: (n: number) => `/classes/1/article#p${n}`,
	paragraphCount: 5,
	mentionHref: (handle: string) => (handle === 'ana' ? `/classes/1/members/7` : undefined)
};

describe('renderPost', () => {
	it('links citations of the article exactly as lessons do', () => {
		expect(renderPost('See [¶2].', opts)).toContain(
			'<a class="cite" href="/classes/1/article#p2" data-para="2" aria-label="Paragraph 2">¶2</a>'
		);
	});

	it('leaves citations of paragraphs the article does not have as text', () => {
		const html = renderPost('See [¶6] and [¶0] and [¶4–9].', opts);
		expect(html).not.toContain('class="cite"');
		expect(html).toContain('[¶6]');
		expect(html).toContain('[¶4–9]');
	});

	it('renders mentions as spans, or links when the member has a page, never in code or links', () => {
		const html = renderPost(
			'@Ana and @bob, `@ana`, [@ana](https://x.example), ana@mail.example',
			opts
		);
		expect(html).toContain('<a class="mention" href="/classes/1/members/7">@Ana</a>');
		expect(html).toContain('<span class="mention">@bob</span>');
		expect(html).toContain('<code>@ana</code>');
		expect(html).toContain('>@ana</a>');
		expect(html.match(/class="mention"/g)).toHaveLength(2);
		expect(html).toContain('ana@mail.example');
		expect(mentionedHandles('@Ana `@bob` [@cy](https://x.example) @Dé')).toEqual(['ana', 'de']);
	});

	it('links bare URLs with rel="nofollow ugc noopener"', () => {
		expect(renderPost('Read https://example.org/a?b=1 now', opts)).toContain(
			'<a href="https://example.org/a?b=1" rel="nofollow ugc noopener">https://example.org/a?b=1</a>'
		);
		expect(renderPost('[rel](/classes/1)', opts)).toContain('rel="nofollow ugc noopener"');
	});

	it('shows headings as bold paragraphs and images as their alt text, keeps quotes', () => {
		expect(renderPost('# Title', opts)).toBe('<p><strong>Title</strong></p>\n');
		expect(renderPost('![a cat](https://x.example/c.png)', opts)).toBe('<p>a cat</p>\n');
		expect(renderPost('> quoted', opts)).toContain('<blockquote>');
	});

	it('finishes nesting bombs and a 20 KB post quickly', () => {
		renderPost('warm up', opts);
		const bestOf3 = (text: string) => {
			let best = Infinity;
			let html = '';
			for (let run = 0; run < 3; run++) {
				const start = performance.now();
				html = renderPost(text, opts);
				best = Math.min(best, performance.now() - start);
			}
			return { best, html };
		};
		// A machine busy with other suites slows every render alike: the limit is 200 ms, or 100
		// times a plain post of the same length rendered in the same moment when that is more (on
		// an idle machine plain is about 1 ms and the slowest bomb, 1,000 links, about 40). A bomb
		// that backtracks or nests without bound costs thousands of times a plain post, either way.
		const plain = bestOf3('word '.repeat(4_000)).best;
		const limit = Math.max(200, 100 * plain);
		for (const bomb of [
			'>'.repeat(10_000),
			'['.repeat(10_000),
			'*'.repeat(10_000),
			'- '.repeat(5_000),
			'[¶1]'.repeat(5_000),
			'@a '.repeat(7_000),
			'https://x.example/ '.repeat(1_000)
		]) {
			// The best of three runs: the first pays for compilation, and a loaded machine adds noise.
			const { best, html } = bestOf3(bomb);
			expect(best, `${bomb.slice(0, 20)} (plain: ${plain.toFixed(1)} ms)`).toBeLessThan(limit);
			expect(html.length).toBeLessThan(400_000);
		}
	});
});

describe('quotePost', () => {
	it('quotes every line and names the author, escaped', () => {
		expect(quotePost('one\n\ntwo\r\n> three', 'Ana *L*')).toBe(
			'**Ana \\*L\\*** wrote:\n\n> one\n>\n> two\n> > three\n\n'
		);
	});

	it('renders as a blockquote that keeps the post inside it', () => {
		const html = renderPost(quotePost('# head\n\ntext', 'Ana'), opts);
		expect(html).toMatch(
			/^<p><strong>Ana<\/strong> wrote:<\/p>\n<blockquote>[\s\S]*text[\s\S]*<\/blockquote>\n$/
		);
	});
});
