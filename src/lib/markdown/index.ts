/**
 * Markdown for course prose: no raw HTML, no images, only web and mail links, and `[¶n]`
 * citations turned into links to the article's paragraphs.
 */
import MarkdownIt from 'markdown-it';
import type { Env, StateInline, Token } from 'markdown-it';
import { matchCitationAt } from '../citations/index.ts';

export interface RenderOptions {
	/** Where the link for paragraph `n` points. */
	citationHref: (n: number) => string;
	/** The paragraph's text, for an accessible preview next to the link; undefined for none. */
	paragraphText?: (n: number) => string | undefined;
	/**
	 * Prefix of the preview ids. Ids are unique within one render; pages that show several
	 * renders with previews pass a different prefix to each.
	 */
	idPrefix?: string;
	/**
	 * How many more previews and citation links this document may carry, shared by every render
	 * of one page (see citationBudget). Without it, each render has a budget of its own.
	 */
	budget?: CitationBudget;
	/**
	 * When set, only citations of paragraphs 1..paragraphCount become links; a citation naming any
	 * other paragraph stays the text its author wrote (posts cite an article they cannot see whole).
	 */
	paragraphCount?: number;
}

const PREVIEW_MAX = 240;

/**
 * What the citations of one document may still add. A preview is ~400 bytes of HTML for the 4 of
 * `[¶1]`, and `[¶1–500]` names 500 paragraphs, so without a budget a 100 KB lesson rendered
 * hundreds of MB. Real pages carry a few dozen citations; past the budget a citation is a plain
 * link, and past the link budget it stays the text its author wrote.
 */
export interface CitationBudget {
	previews: number;
	links: number;
}

export const MAX_PREVIEWS = 150;
export const MAX_CITATION_LINKS = 1000;

export function citationBudget(): CitationBudget {
	return { previews: MAX_PREVIEWS, links: MAX_CITATION_LINKS };
}

// Per-render state lives in markdown-it's env so that one shared instance serves all renders.
const CONTEXT = Symbol('render context');
interface RenderContext {
	opts: RenderOptions;
	/** Previews rendered so far by this render, for their ids. */
	previews: number;
	budget: CitationBudget;
}

export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/**
 * True for http(s) and mailto links and for relative and fragment links. markdown-it's own
 * check lets `data:image/…` and unknown schemes through, so it is not enough on its own.
 */
export function isSafeHref(url: string): boolean {
	// Browsers ignore control characters and whitespace inside a scheme (`java\tscript:`).
	// eslint-disable-next-line no-control-regex
	const squashed = url.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
	const scheme = /^([a-z][a-z0-9+.-]*):/.exec(squashed);
	if (!scheme) return true;
	return ['http', 'https', 'mailto'].includes(scheme[1]);
}

function isExternal(href: string): boolean {
	return /^(?:[a-z][a-z0-9+.-]*:|[/\\]{2})/i.test(href.trim());
}

function citationRule(state: StateInline, silent: boolean): boolean {
	if (state.src.charCodeAt(state.pos) !== 0x5b /* [ */) return false;
	// A citation inside a link's text would nest one <a> in another. Silent mode only runs
	// while a link's label is being measured, where a match would read as a nested link and
	// break the outer one; declining keeps the outer link and leaves `[¶n]` as text.
	if (silent || state.linkLevel > 0) return false;
	const match = matchCitationAt(state.src, state.pos);
	if (!match || state.pos + match.length > state.posMax) return false;
	const token = state.push('citation', '', 0);
	token.content = match.text;
	token.meta = { paragraphs: match.paragraphs };
	state.pos += match.length;
	return true;
}

function truncate(text: string): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	if (flat.length <= PREVIEW_MAX) return flat;
	const cut = flat.slice(0, PREVIEW_MAX);
	const lastSpace = cut.lastIndexOf(' ');
	return `${(lastSpace > PREVIEW_MAX * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

function renderCitation(token: Token, ctx: RenderContext): string {
	const paragraphs = (token.meta?.paragraphs ?? []) as number[];
	const { citationHref, paragraphText, idPrefix = 'cite' } = ctx.opts;
	const { budget, opts } = ctx;
	const count = opts.paragraphCount;
	if (count !== undefined && paragraphs.some((n) => n < 1 || n > count)) {
		return escapeHtml(token.content);
	}
	if (budget.links < paragraphs.length) {
		budget.links = 0;
		return escapeHtml(token.content);
	}
	budget.links -= paragraphs.length;
	const parts = paragraphs.map((n) => {
		const href = escapeHtml(citationHref(n));
		const text = budget.previews > 0 ? paragraphText?.(n) : undefined;
		if (!text) {
			return `<a class="cite" href="${href}" data-para="${n}" aria-label="Paragraph ${n}">¶${n}</a>`;
		}
		budget.previews--;
		const id = `${escapeHtml(idPrefix)}-${++ctx.previews}`;
		return (
			`<a class="cite" href="${href}" data-para="${n}" aria-label="Paragraph ${n}" ` +
			`aria-describedby="${id}">¶${n}</a>` +
			`<span class="cite-preview" role="tooltip" id="${id}">${escapeHtml(truncate(text))}</span>`
		);
	});
	return `<span class="cites">${parts.join(', ')}</span>`;
}

/** What differs between the renderers of course prose and of discussion posts. */
export interface MarkdownSetup {
	/** `rel` of a link that leaves the site. */
	rel: string;
	/** Put `rel` on every link, relative ones too (user content), not only on external ones. */
	relOnEveryLink?: boolean;
	/** Turn bare URLs into links. */
	linkify?: boolean;
	/** How deep blocks and inline markup may nest (markdown-it's maxNesting). */
	maxNesting?: number;
}

/**
 * A markdown-it instance with the rules every render shares: no raw HTML, images as their alt
 * text, only safe hrefs, `[¶n]` citations. Renders pass their options through `contextEnv`.
 */
export function createMarkdown(setup: MarkdownSetup) {
	const md = new MarkdownIt({
		html: false,
		linkify: setup.linkify ?? false,
		typographer: true,
		...(setup.maxNesting === undefined ? {} : { maxNesting: setup.maxNesting })
	});
	md.validateLink = isSafeHref;
	md.inline.ruler.before('link', 'citation', citationRule);

	md.renderer.rules.citation = (tokens, idx, _options, env) =>
		renderCitation(tokens[idx], (env as Env)[CONTEXT] as RenderContext);

	// Courses must not hot-link images: show what the image was meant to say instead.
	md.renderer.rules.image = (tokens, idx, options, env, self) =>
		escapeHtml(self.renderInlineAsText(tokens[idx].children ?? [], options, env));

	md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
		const token = tokens[idx];
		const href = token.attrGet('href');
		// validateLink already refused unsafe links; this guards against a later rule adding one.
		if (typeof href !== 'string' || !isSafeHref(href)) {
			token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'href');
		} else if (setup.relOnEveryLink || isExternal(href)) {
			token.attrSet('rel', setup.rel);
		}
		return self.renderToken(tokens, idx, options);
	};
	return md;
}

const md = createMarkdown({ rel: 'noopener noreferrer' });

/** The env of one render: its options and its citation budget. */
export function contextEnv(opts: RenderOptions): Env {
	const ctx: RenderContext = { opts, previews: 0, budget: opts.budget ?? citationBudget() };
	return { [CONTEXT]: ctx };
}

/** Markdown to HTML, safe to insert into a page as is. */
export function renderMarkdown(src: string, opts: RenderOptions): string {
	return md.render(src, contextEnv(opts));
}

/** One line of Markdown to HTML without the surrounding `<p>`. */
export function renderInline(src: string, opts: RenderOptions): string {
	return md.renderInline(src, contextEnv(opts));
}

function inlineText(tokens: Token[]): string {
	let text = '';
	for (const token of tokens) {
		if (token.type === 'text' || token.type === 'code_inline') text += token.content;
		else if (token.type === 'softbreak' || token.type === 'hardbreak') text += '\n';
		else if (token.type === 'image') text += inlineText(token.children ?? []);
		else if (token.type === 'citation') text += '\u0000';
	}
	return text;
}

/** Plain text of Markdown, citations removed: for word counts and summaries. */
export function stripMarkdown(src: string): string {
	const blocks: string[] = [];
	for (const token of md.parse(src, {})) {
		if (token.type === 'inline') blocks.push(inlineText(token.children ?? []));
		else if (token.type === 'fence' || token.type === 'code_block') blocks.push(token.content);
	}
	// markdown-it turns NUL in the source into U+FFFD, so the marker cannot be the author's.
	// A citation before punctuation, a break or another citation takes the space in front of it along.
	// eslint-disable-next-line no-control-regex
	const citation = /[ \t]*\u0000(?=[\s.,;:!?)\]\u0000]|$)|\u0000/g;
	return blocks
		.map((b) => b.replace(citation, '').trim())
		.filter((b) => b !== '')
		.join('\n\n');
}

/** Minutes to read `text` at 200 words a minute, at least 1. */
export function readingMinutes(text: string): number {
	const words = text.split(/\s+/).filter((w) => w !== '').length;
	return Math.max(1, Math.round(words / 200));
}
