/**
 * The text rules the authoring forms share: slugs, `cites` lists, pasted articles, and the
 * citation checks that need the article's paragraph count.
 */
import { parseCitations } from '../../../citations/index.ts';
import { parseArticle } from '../../../courses/read.ts';
import { SLUG } from '../../../courses/schemas.ts';
import type { FieldErrors } from './shared.ts';

/**
 * A URL-safe slug made from a title: "Washington's case" → "washingtons-case". Empty when the
 * title has no latin letters or digits to make one from.
 */
export function slugify(text: string, max = 60): string {
	const base = text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/['’]/g, '')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
	if (base.length <= max) return base;
	const cut = base.slice(0, max);
	const wordEnd = cut.lastIndexOf('-');
	return (wordEnd > max / 2 ? cut.slice(0, wordEnd) : cut).replace(/-+$/, '');
}

export const isSlug = (s: string) => SLUG.test(s);

export type CitesParse = { ok: true; cites: number[] } | { ok: false; message: string };

/**
 * A `cites` list as typed in a form: "1, 4" (or "1 4", "¶1, ¶4", "[1, 4]") → [1, 4], sorted and
 * without repeats, since it names the paragraphs a record rests on rather than an order.
 */
export function parseCites(text: string): CitesParse {
	const inner = text.trim().replace(/^\[([^\]]*)\]$/, '$1');
	const cites: number[] = [];
	for (const item of inner.split(/[\s,]+/).filter(Boolean)) {
		const m = /^¶?(\d{1,6})$/.exec(item);
		if (!m)
			return {
				ok: false,
				message: `“${item}” is not a paragraph number: write numbers separated by commas, e.g. 1, 4.`
			};
		const n = Number(m[1]);
		if (n < 1) return { ok: false, message: 'Paragraph numbers start at 1.' };
		if (!cites.includes(n)) cites.push(n);
	}
	return { ok: true, cites: cites.sort((a, b) => a - b) };
}

export const formatCites = (cites: number[]) => cites.join(', ');

function missingParagraphs(bad: number[], count: number): string {
	const which = bad.map((n) => `¶${n}`).join(', ');
	const article =
		count === 0
			? 'the article has no paragraphs'
			: `the article has ${count} paragraph${count === 1 ? '' : 's'}`;
	return `${which} ${bad.length === 1 ? 'does' : 'do'} not exist: ${article}.`;
}

/** The message for prose whose `[¶n]` citations point past the article, if any do. */
export function citationProblem(text: string, count: number): string | undefined {
	const bad = parseCitations(text).filter((n) => n < 1 || n > count);
	return bad.length ? missingParagraphs(bad, count) : undefined;
}

export function checkProse(errors: FieldErrors, field: string, text: string | null, count: number) {
	if (!text || errors[field]) return;
	const problem = citationProblem(text, count);
	if (problem) errors[field] = problem;
}

export function checkCites(errors: FieldErrors, field: string, cites: number[], count: number) {
	if (errors[field]) return;
	const bad = cites.filter((n) => n > count);
	if (bad.length) errors[field] = missingParagraphs(bad, count);
}

export type ArticleSplit = { ok: true; paragraphs: string[] } | { ok: false; message: string };

/**
 * Pasted article text → paragraphs, by the rule article.txt follows (blocks separated by blank
 * lines, a block's lines joined), so that what is stored exports and re-imports unchanged.
 */
export function splitArticle(text: string): ArticleSplit {
	const { paragraphs, errors } = parseArticle(text);
	if (errors.length)
		return {
			ok: false,
			message:
				'The last line starts with “Reference:”, which is not part of the article: remove it ' +
				'and put the reference in the course details instead.'
		};
	if (paragraphs.length === 0) return { ok: false, message: 'Paste the text of the article.' };
	return { ok: true, paragraphs };
}
