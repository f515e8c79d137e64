import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POST_REL, quotePost, renderPost } from '../../src/lib/markdown/post.ts';

// One payload a line (blank lines ignored). Each is rendered alone, joined with its neighbour
// (so reference definitions, fences and setext headings see the line they need), and the whole
// file is rendered as one post.
const payloads = readFileSync(new URL('./xss-corpus/payloads.txt', import.meta.url), 'utf8')
	.split('\n')
	.filter((line) => line.trim() !== '');

const opts = {
	citationHref: (n: number) => `/classes/1/article#p${n}`,
	paragraphCount: 5,
	mentionHref: (handle: string) => (handle === 'ana' ? `/classes/1/members/ana` : undefined)
};

const ELEMENTS = new Set([
	'p',
	'em',
	'strong',
	'a',
	'code',
	'pre',
	'blockquote',
	'ul',
	'ol',
	'li',
	'br',
	'hr',
	'span',
	'del',
	's'
]);
const ATTRIBUTES = new Set(['href', 'rel', 'class', 'data-para', 'aria-label', 'start', 'title']);
const ENTITY = /&(?:amp|lt|gt|quot|#39|#x[0-9a-f]+|#\d+);/gi;

function decode(value: string): string {
	return value.replace(ENTITY, (e) => {
		const name = e.slice(1, -1).toLowerCase();
		if (name === 'amp') return '&';
		if (name === 'lt') return '<';
		if (name === 'gt') return '>';
		if (name === 'quot') return '"';
		const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : Number(name.slice(1));
		return String.fromCodePoint(code);
	});
}

/**
 * A strict reading of the renderer's output (no HTML parser is installed): every `<` must open
 * or close an allowed element whose attributes are all allowed and double-quoted, values free of
 * `<`, `>` and `"`; every `&` must start a known entity. Anything else fails, so the check errs
 * towards rejecting output a browser would parse harmlessly, never the other way.
 */
function assertSafe(html: string, payload: string): void {
	const where = `payload ${JSON.stringify(payload)} gave ${html}`;
	const tag = /<(\/?)([a-z0-9]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*(\/?)>/y;
	const attr = /\s+([a-z-]+)="([^"<>]*)"/g;
	for (let i = 0; i < html.length; i++) {
		const c = html[i];
		if (c === '&') {
			ENTITY.lastIndex = 0;
			const m = /^&(?:amp|lt|gt|quot|#39|#x[0-9a-f]+|#\d+);/i.exec(html.slice(i, i + 12));
			expect(m, `stray & in ${where}`).not.toBeNull();
			continue;
		}
		expect(c, `stray > in ${where}`).not.toBe('>');
		if (c !== '<') continue;
		tag.lastIndex = i;
		const m = tag.exec(html);
		expect(m, `unparsable tag at ${i} in ${where}`).not.toBeNull();
		const [whole, closing, name, attrs] = m!;
		expect(ELEMENTS.has(name), `element <${name}> in ${where}`).toBe(true);
		const seen = new Map<string, string>();
		for (const [, key, raw] of attrs.matchAll(attr)) {
			expect(ATTRIBUTES.has(key), `attribute ${key} in ${where}`).toBe(true);
			expect(closing, where).toBe('');
			seen.set(key, decode(raw));
		}
		if (name === 'a' && !closing) checkLink(seen, where);
		else expect(seen.has('href'), `href on <${name}> in ${where}`).toBe(false);
		i += whole.length - 1;
	}
}

function checkLink(attrs: Map<string, string>, where: string): void {
	const href = attrs.get('href');
	if (href === undefined) return;
	// eslint-disable-next-line no-control-regex
	const squashed = href.replace(/[\u0000-\u0020\u007f-\u00a0\u2028\u2029]/g, '').toLowerCase();
	const scheme = /^([a-z][a-z0-9+.-]*):/.exec(squashed);
	const external = scheme !== null || /^[/\\]{2}/.test(squashed);
	if (scheme)
		expect(['http', 'https', 'mailto'], `scheme of ${href} in ${where}`).toContain(scheme[1]);
	expect(
		squashed.startsWith('/\\') || squashed.startsWith('\\'),
		`backslash href in ${where}`
	).toBe(false);
	const ours = attrs.get('class') === 'cite' || attrs.get('class') === 'mention';
	if (external || !ours) expect(attrs.get('rel'), `rel of ${href} in ${where}`).toBe(POST_REL);
}

describe('renderPost: XSS corpus', () => {
	it('has a real corpus', () => {
		expect(payloads.length).toBeGreaterThanOrEqual(80);
	});

	it.each(payloads.map((p, i) => [i + 1, p]))('payload %i renders only allowed markup', (_n, p) => {
		assertSafe(renderPost(p, opts), p);
	});

	it('renders each payload joined with the next one safely', () => {
		for (let i = 0; i + 1 < payloads.length; i++) {
			const src = `${payloads[i]}\n${payloads[i + 1]}`;
			assertSafe(renderPost(src, opts), src);
		}
	});

	it('renders the whole corpus as one post safely', () => {
		const src = payloads.join('\n\n');
		assertSafe(renderPost(src, opts), 'whole corpus');
	});

	it('keeps quoted payloads safe', () => {
		for (const p of payloads) assertSafe(renderPost(quotePost(p, '<b onclick=x>Ana</b>'), opts), p);
	});

	it('the checker itself rejects what it must', () => {
		expect(() => assertSafe('<img src=x>', 't')).toThrow();
		expect(() => assertSafe('<p onclick="x">a</p>', 't')).toThrow();
		expect(() =>
			assertSafe('<a href="javascript:x" rel="nofollow ugc noopener">a</a>', 't')
		).toThrow();
		expect(() => assertSafe('<a href="https://x.example">a</a>', 't')).toThrow();
		expect(() => assertSafe('a > b', 't')).toThrow();
	});
});
