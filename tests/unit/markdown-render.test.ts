import { describe, expect, it } from 'vitest';
import {
	isSafeHref,
	readingMinutes,
	renderInline,
	renderMarkdown,
	stripMarkdown
} from '../../src/lib/markdown/index.ts';

const paragraphs: Record<number, string> = {
	1: 'The treaty <b>passed</b> & "everyone" cheered.',
	2: 'word '.repeat(100)
};
const opts = {
	citationHref: (n: number) => `/courses/c/article#p${n}`,
	paragraphText: (n: number) => paragraphs[n]
};
const noPreview = { citationHref: (n: number) => `#p${n}` };

describe('renderMarkdown: safety', () => {
	it('escapes raw HTML instead of passing it through', () => {
		const html = renderMarkdown(
			'Hi <script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n<div>block</div>',
			noPreview
		);
		expect(html).not.toMatch(/<script|<img|<div/i);
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		// Typography turns the quotes curly; what matters is that the tag stays text.
		expect(html).toContain('&lt;img src=x onerror=“alert(1)”&gt;');
	});

	it('renders javascript:, vbscript: and data: links as text, never as href', () => {
		const html = renderMarkdown(
			[
				'[x](javascript:alert(1))',
				'[y](JAVASCRIPT:alert(1))',
				'[z](vbscript:msgbox(1))',
				'[d](data:image/png;base64,AAAA)',
				'<javascript:alert(1)>',
				'[r][ref]',
				'',
				'[ref]: javascript:alert(1)'
			].join('\n\n'),
			noPreview
		);
		expect(html).not.toMatch(/href="\s*(javascript|vbscript|data):/i);
		expect(html).not.toContain('<a');
		expect(html).toContain('[x](javascript:alert(1))');
	});

	it('keeps web, mail, relative and fragment links; external ones get rel', () => {
		const html = renderMarkdown(
			'[a](https://example.org/x) [b](mailto:a@example.org) [c](/courses) [d](#top) [e](other)',
			noPreview
		);
		expect(html).toContain('<a href="https://example.org/x" rel="noopener noreferrer">a</a>');
		expect(html).toContain('<a href="mailto:a@example.org" rel="noopener noreferrer">b</a>');
		expect(html).toContain('<a href="/courses">c</a>');
		expect(html).toContain('<a href="#top">d</a>');
		expect(html).toContain('<a href="other">e</a>');
	});

	it('shows the alt text of an image instead of loading it', () => {
		const html = renderMarkdown(
			'![A <b>map</b> of *Europe*](https://example.org/map.png)',
			noPreview
		);
		expect(html).toBe('<p>A &lt;b&gt;map&lt;/b&gt; of Europe</p>\n');
	});

	it('applies typography and leaves linkify off', () => {
		const html = renderMarkdown('"Quoted" -- see www.example.org', noPreview);
		expect(html).toContain('“Quoted” –');
		expect(html).not.toContain('<a');
	});
});

describe('isSafeHref', () => {
	it('accepts only http(s), mailto and scheme-less links', () => {
		for (const ok of ['https://a.b', 'HTTP://a.b', 'mailto:x@y.z', '/a', '#b', 'c/d', '?q=1']) {
			expect(isSafeHref(ok), ok).toBe(true);
		}
		for (const bad of [
			'javascript:x',
			' JavaScript:x',
			'java\tscript:x',
			'data:text/html,x',
			'file:///etc',
			'ftp://x'
		]) {
			expect(isSafeHref(bad), bad).toBe(false);
		}
	});
});

describe('renderMarkdown: citations', () => {
	it('links each cited paragraph inside one span', () => {
		const html = renderMarkdown('Said so [¶3, ¶5–6].', noPreview);
		expect(html).toBe(
			'<p>Said so <span class="cites">' +
				'<a class="cite" href="#p3" data-para="3" aria-label="Paragraph 3">¶3</a>, ' +
				'<a class="cite" href="#p5" data-para="5" aria-label="Paragraph 5">¶5</a>, ' +
				'<a class="cite" href="#p6" data-para="6" aria-label="Paragraph 6">¶6</a>' +
				'</span>.</p>\n'
		);
	});

	it('adds an escaped preview the link is described by, with unique ids', () => {
		const html = renderMarkdown('One [¶1]. Again [¶1][¶3].', opts);
		expect(html).toContain(
			'<a class="cite" href="/courses/c/article#p1" data-para="1" aria-label="Paragraph 1" ' +
				'aria-describedby="cite-1">¶1</a>' +
				'<span class="cite-preview" role="tooltip" id="cite-1">' +
				'The treaty &lt;b&gt;passed&lt;/b&gt; &amp; &quot;everyone&quot; cheered.</span>'
		);
		expect(html).toContain('aria-describedby="cite-2"');
		expect(html).toContain('id="cite-2"');
		// Paragraph 3 has no text, so no preview and no dangling aria-describedby.
		expect(html).toContain(
			'<a class="cite" href="/courses/c/article#p3" data-para="3" aria-label="Paragraph 3">¶3</a>'
		);
		expect(html.match(/role="tooltip"/g)).toHaveLength(2);
	});

	it('uses the id prefix it is given', () => {
		const html = renderMarkdown('[¶1]', { ...opts, idPrefix: 'summary' });
		expect(html).toContain('aria-describedby="summary-1"');
		expect(html).toContain('id="summary-1"');
	});

	it('truncates long previews', () => {
		const html = renderMarkdown('[¶2]', opts);
		const preview = /<span class="cite-preview"[^>]*>([^<]*)<\/span>/.exec(html)?.[1] ?? '';
		expect(preview.length).toBeLessThanOrEqual(241);
		expect(preview.endsWith('…')).toBe(true);
	});

	it('escapes the href it is given', () => {
		const html = renderMarkdown('[¶1]', { citationHref: () => '/a?x="1"&y=<2>' });
		expect(html).toContain('href="/a?x=&quot;1&quot;&amp;y=&lt;2&gt;"');
	});

	it('leaves citations in code literal', () => {
		const html = renderMarkdown('Use `[¶1]` to cite.\n\n```\n[¶2]\n```\n\n    [¶3]', opts);
		expect(html).toContain('<code>[¶1]</code>');
		expect(html).toContain('[¶2]\n</code></pre>');
		expect(html).toContain('[¶3]\n</code></pre>');
		expect(html).not.toContain('class="cite');
	});

	it('does not nest a citation link inside a link', () => {
		const html = renderMarkdown('[as said [¶1]](https://example.org)', noPreview);
		expect(html).toBe(
			'<p><a href="https://example.org" rel="noopener noreferrer">as said [¶1]</a></p>\n'
		);
	});

	it('works in headings, lists and emphasis', () => {
		const html = renderMarkdown('# Title [¶1]\n\n- *item [¶2]*', noPreview);
		expect(html.match(/class="cite"/g)).toHaveLength(2);
	});
});

describe('renderInline', () => {
	it('renders one line without a paragraph', () => {
		expect(renderInline('**Bold** [¶4]', noPreview)).toBe(
			'<strong>Bold</strong> <span class="cites">' +
				'<a class="cite" href="#p4" data-para="4" aria-label="Paragraph 4">¶4</a></span>'
		);
	});

	it('escapes HTML too', () => {
		expect(renderInline("<b onclick='x()'>hi</b>", noPreview)).toBe(
			'&lt;b onclick=‘x()’&gt;hi&lt;/b&gt;'
		);
	});
});

describe('stripMarkdown', () => {
	it('gives plain text without citations', () => {
		const text = stripMarkdown(
			'# Title [¶1]\n\nSome *emphasis* and [a link](https://x.org) [¶2, ¶3]. Then [¶4] more `code`.\n\n- one\n- two'
		);
		expect(text).toBe('Title\n\nSome emphasis and a link. Then more code.\n\none\n\ntwo');
	});

	it('leaves no space before punctuation after adjacent citations', () => {
		expect(stripMarkdown('firms [¶1] and rights groups [¶3][¶4]. Next')).toBe(
			'firms and rights groups. Next'
		);
	});
});

describe('readingMinutes', () => {
	it('counts 200 words a minute, at least one', () => {
		expect(readingMinutes('')).toBe(1);
		expect(readingMinutes('a few words')).toBe(1);
		expect(readingMinutes('word '.repeat(1000))).toBe(5);
		expect(readingMinutes('word\n'.repeat(650))).toBe(3);
	});
});
