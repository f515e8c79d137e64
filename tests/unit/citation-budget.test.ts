import { describe, expect, it } from 'vitest';
import {
	MAX_CITATION_LINKS,
	MAX_PREVIEWS,
	citationBudget,
	renderMarkdown
} from '../../src/lib/markdown/index.ts';
import { courseRenderer } from '../../src/lib/server/courses/render.ts';

const paragraphs = Array.from({ length: 30 }, (_, i) => ({
	number: i + 1,
	body: `Paragraph ${i + 1}: ${'a sentence of the article, '.repeat(12)}`
}));
const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('citation previews: bounded per document', { timeout: 60_000 }, () => {
	it('renders a 100 KB lesson of [¶1] in well under 1 MB of HTML (was 12 MB)', () => {
		const r = courseRenderer('un-cybercrime-treaty', paragraphs);
		const src = '[¶1]'.repeat(25_000);
		const html = r.block(src, 'lesson');
		expect(count(html, 'role="tooltip"')).toBe(MAX_PREVIEWS);
		expect(count(html, 'class="cite"')).toBe(MAX_CITATION_LINKS);
		// The rest stay the text the author wrote.
		expect(html).toContain('[¶1][¶1]');
		expect(html.length).toBeLessThan(400_000);
	});

	it('counts every paragraph of a range against the budget (30 links per [¶1–30])', () => {
		const r = courseRenderer('c', paragraphs);
		const src = `${'[¶1–30]'.repeat(20)}\n\n`.repeat(700);
		const html = r.block(src, 'lesson');
		expect(count(html, 'class="cite"')).toBeLessThanOrEqual(MAX_CITATION_LINKS);
		expect(count(html, 'role="tooltip"')).toBe(MAX_PREVIEWS);
		// Was 190 MB.
		expect(html.length).toBeLessThan(400_000);
	});

	it('shares one budget across every render of one page, with ids still unique', () => {
		const r = courseRenderer('c', paragraphs);
		const fields = Array.from({ length: 400 }, (_, i) =>
			r.inline(`Term [¶${(i % 30) + 1}]`, `t${i}`)
		);
		const html = fields.join('\n');
		expect(count(html, 'role="tooltip"')).toBe(MAX_PREVIEWS);
		// The first fields carry previews; later ones plain links, still labelled.
		expect(fields[0]).toContain('role="tooltip"');
		expect(fields[399]).not.toContain('role="tooltip"');
		expect(fields[399]).toContain(
			'<a class="cite" href="/courses/c/article#p10" data-para="10" aria-label="Paragraph 10">¶10</a>'
		);
		const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('a second page starts with a full budget', () => {
		const src = '[¶1]'.repeat(MAX_PREVIEWS + 10);
		expect(count(courseRenderer('c', paragraphs).block(src, 'a'), 'role="tooltip"')).toBe(
			MAX_PREVIEWS
		);
		expect(count(courseRenderer('c', paragraphs).block(src, 'a'), 'role="tooltip"')).toBe(
			MAX_PREVIEWS
		);
	});

	it('gives each render its own budget when none is passed', () => {
		const opts = { citationHref: (n: number) => `#p${n}`, paragraphText: () => 'text' };
		const src = '[¶1] '.repeat(MAX_PREVIEWS + 1);
		expect(count(renderMarkdown(src, opts), 'role="tooltip"')).toBe(MAX_PREVIEWS);
		expect(count(renderMarkdown(src, opts), 'role="tooltip"')).toBe(MAX_PREVIEWS);
		const budget = citationBudget();
		renderMarkdown(src, { ...opts, budget });
		expect(budget.previews).toBe(0);
		expect(count(renderMarkdown(src, { ...opts, budget }), 'role="tooltip"')).toBe(0);
	});

	it('renders an ordinary lesson unchanged: every citation a link with its preview', () => {
		const r = courseRenderer('c', paragraphs);
		const html = r.block('Claims [¶1] and more [¶2, ¶4–5].', 'lesson');
		expect(count(html, 'role="tooltip"')).toBe(4);
		expect(html).toContain('id="lesson-4"');
	});
});
