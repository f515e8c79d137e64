/**
 * A post's Markdown as HTML for a page: raw HTML escaped, safe links only (marked as user content
 * with `rel="nofollow ugc noopener"`), `[¶n]` citations linking to the article exactly as in
 * lessons (only to paragraphs it has), `@handle` mentions marked.
 */
import { renderPost } from '../../markdown/post.ts';

export function renderPostBody(body: string, courseSlug: string, paragraphs: number): string {
	return renderPost(body, {
		citationHref: (n) => `/courses/${courseSlug}/article#p${n}`,
		paragraphCount: paragraphs
	});
}
