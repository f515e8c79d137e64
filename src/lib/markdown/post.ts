/**
 * Markdown for discussion posts: the course rules (no raw HTML, no images, only web and mail
 * links, `[¶n]` citations) plus what user content needs: every link `rel="nofollow ugc noopener"`,
 * bare URLs linked, `@handle` mentions, shallow nesting, and headings shown as bold paragraphs
 * (a post must not outrank the page's own headings, and fewer elements is a smaller allow-list).
 */
import type { Env, StateCore, Token } from 'markdown-it';
import { MENTION_SOURCE, mentionHandle } from '../discussion/handles.ts';
import { contextEnv, createMarkdown, escapeHtml, isSafeHref } from './index.ts';

export interface PostRenderOptions {
	/** Where the link for paragraph `n` of the discussed article points. */
	citationHref: (n: number) => string;
	/** The article's paragraphs: citations of others stay text. */
	paragraphCount: number;
	/** A member's page for a handle, or undefined to show the mention without a link. */
	mentionHref?: (handle: string) => string | undefined;
}

export const POST_REL = 'nofollow ugc noopener';
/** Quotes in quotes in lists…: 20 levels is more than any reply needs, and keeps bombs cheap. */
export const POST_MAX_NESTING = 20;
/** Citation links and mentions one post may carry; past them the source stays text. */
export const POST_MAX_CITATION_LINKS = 200;
export const POST_MAX_MENTIONS = 100;

const MENTION_CONTEXT = Symbol('mention context');
interface MentionContext {
	mentionHref?: (handle: string) => string | undefined;
	left: number;
}

/**
 * Split text tokens around `@handle`, outside links (and so after linkify, which has already
 * made e-mail addresses links). Code spans and blocks are other token types and are left alone.
 */
function mentionRule(state: StateCore): void {
	const re = new RegExp(MENTION_SOURCE, 'gu');
	for (const block of state.tokens) {
		if (block.type !== 'inline' || !block.children) continue;
		const out: Token[] = [];
		let linkDepth = 0;
		for (const token of block.children) {
			if (token.type === 'link_open') linkDepth++;
			else if (token.type === 'link_close') linkDepth--;
			if (token.type !== 'text' || linkDepth > 0 || !token.content.includes('@')) {
				out.push(token);
				continue;
			}
			let last = 0;
			for (const m of token.content.matchAll(re)) {
				if (m.index > last) out.push(textToken(state, token.content.slice(last, m.index), token));
				const mention = new state.Token('mention', '', 0);
				mention.content = m[0];
				mention.meta = { handle: mentionHandle(m[1]) };
				mention.level = token.level;
				out.push(mention);
				last = m.index + m[0].length;
			}
			if (last === 0) out.push(token);
			else if (last < token.content.length)
				out.push(textToken(state, token.content.slice(last), token));
		}
		block.children = out;
	}
}

function textToken(state: StateCore, content: string, like: Token): Token {
	const t = new state.Token('text', '', 0);
	t.content = content;
	t.level = like.level;
	return t;
}

function createPostMarkdown() {
	const md = createMarkdown({
		rel: POST_REL,
		relOnEveryLink: true,
		linkify: true,
		maxNesting: POST_MAX_NESTING
	});
	md.disable(['table']);
	// Fuzzy e-mail detection is slow on text full of `@` (a mention bomb took 200 ms) and would
	// compete with mentions; `<mailto:…>` and `[text](mailto:…)` still link.
	md.linkify.set({ fuzzyEmail: false });
	md.core.ruler.after('linkify', 'mention', mentionRule);
	md.renderer.rules.heading_open = () => '<p><strong>';
	md.renderer.rules.heading_close = () => '</strong></p>\n';
	md.renderer.rules.mention = (tokens, idx, _options, env) => {
		const token = tokens[idx];
		const ctx = (env as Env)[MENTION_CONTEXT] as MentionContext | undefined;
		const text = escapeHtml(token.content);
		if (!ctx || ctx.left <= 0) return text;
		ctx.left--;
		const href = ctx.mentionHref?.((token.meta as { handle: string }).handle);
		if (href !== undefined && isSafeHref(href)) {
			return `<a class="mention" href="${escapeHtml(href)}">${text}</a>`;
		}
		return `<span class="mention">${text}</span>`;
	};
	return md;
}

const md = createPostMarkdown();

/** A post's Markdown to HTML, safe to insert into a page as is. */
export function renderPost(src: string, opts: PostRenderOptions): string {
	const env = contextEnv({
		citationHref: opts.citationHref,
		paragraphCount: opts.paragraphCount,
		budget: { previews: 0, links: POST_MAX_CITATION_LINKS }
	});
	const mentions: MentionContext = { mentionHref: opts.mentionHref, left: POST_MAX_MENTIONS };
	env[MENTION_CONTEXT] = mentions;
	return md.render(src, env);
}

/** The handles mentioned in a post, as the renderer sees them: not in code, not in links. */
export function mentionedHandles(src: string): string[] {
	const handles: string[] = [];
	for (const block of md.parse(src, {})) {
		for (const token of block.children ?? []) {
			if (token.type === 'mention') handles.push((token.meta as { handle: string }).handle);
		}
	}
	return handles;
}

/** A post as a Markdown blockquote to start a reply with, attributed to its author. */
export function quotePost(body: string, authorName: string): string {
	const author = authorName
		.replace(/\s+/g, ' ')
		.trim()
		.replace(/[\\`*_[\]<>#!|~]/g, '\\$&');
	const lines = body.replace(/\r\n?/g, '\n').trim().split('\n');
	const quoted = lines.map((line) => (line === '' ? '>' : `> ${line}`)).join('\n');
	return `**${author}** wrote:\n\n${quoted}\n\n`;
}
