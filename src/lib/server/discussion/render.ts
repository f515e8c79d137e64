/**
 * A post's Markdown as HTML for a page: raw HTML escaped, safe links only (marked as user content),
 * `[¶n]` citations linking to the article exactly as in lessons.
 */
import { renderMarkdown } from '../../markdown/index.ts';

export function renderPostBody(body: string, courseSlug: string, paragraphs: number): string {
	void paragraphs;
	return renderMarkdown(body, { citationHref: (n) => `/courses/${courseSlug}/article#p${n}` });
}
