/**
 * A post's Markdown as HTML for a page: raw HTML escaped, safe links only (marked as user content
 * with `rel="nofollow ugc noopener"`), `[¶n]` citations linking to the article exactly as in
 * lessons (only to paragraphs it has), `@handle` mentions marked.
 *
 * The HTML depends on nothing but the body, the course's address and its paragraph count, so it
 * is kept by those (a thread page shows up to 30 posts, the moderation queue 20, on every view).
 */
import { renderPost } from '../../markdown/post.ts';
import { textMemo } from '../cache/text-memo.ts';

/** About 8 MB of JavaScript strings: thousands of posts with their HTML. */
export const renderedPosts = textMemo(4_000_000);

export function renderPostBody(body: string, courseSlug: string, paragraphs: number): string {
	return renderedPosts(`${courseSlug}\u0000${paragraphs}\u0000${body}`, () =>
		renderPost(body, {
			citationHref: (n) => `/courses/${courseSlug}/article#p${n}`,
			paragraphCount: paragraphs
		})
	);
}
