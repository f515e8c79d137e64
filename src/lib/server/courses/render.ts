import { citationBudget, renderInline, renderMarkdown } from '../../markdown/index.ts';

/**
 * Renders a course's prose: citations link to the reader's paragraph and carry a preview of it.
 * Each call takes an id prefix so previews on one page never share an id. One renderer serves
 * one page, and its renders share one citation budget, so what a page carries is bounded however
 * many fields it shows.
 */
export function courseRenderer(courseSlug: string, paragraphs: { number: number; body: string }[]) {
	const byNumber = new Map(paragraphs.map((p) => [p.number, p.body]));
	const base = {
		citationHref: (n: number) => `/courses/${courseSlug}/article#p${n}`,
		paragraphText: (n: number) => byNumber.get(n),
		budget: citationBudget()
	};
	return {
		block: (src: string, idPrefix: string) => renderMarkdown(src, { ...base, idPrefix }),
		inline: (src: string, idPrefix: string) => renderInline(src, { ...base, idPrefix }),
		paragraph: (n: number) => byNumber.get(n)
	};
}
