/**
 * The rules a bank's questions follow beyond their GIFT, shared by the package reader
 * (questions.gift) and the bank's GIFT import: tags against the course, citations in range, and
 * an explanation that cites for every question that cites.
 */
import { citationLines, parseCitations } from '../citations/index.ts';
import type { GiftError, GiftQuestion } from '../gift/index.ts';

const lines = (text: string) => text.split(/\r\n|\r|\n/);
const withoutBom = (text: string) => text.replace(/^\uFEFF/, '');

export function outOfRange(n: number, count: number): string {
	return `cites ¶${n} but the article has ${count} paragraph${count === 1 ? '' : 's'}`;
}

export interface QuestionContext {
	/** The slugs the `[actor:]` and `[concern:]` tags may name; null to not check them. */
	actors: Set<string> | null;
	concerns: Set<string> | null;
	/** The article's paragraph count, for citations; null to not check them. */
	paragraphs: number | null;
	/** Where the actors and concerns are listed, for the messages (by default the package files). */
	actorsIn?: string;
	concernsIn?: string;
}

/**
 * The rules a question of a bank follows beyond its GIFT, wherever it comes from (a package's
 * questions.gift, a GIFT file imported into a bank), on the lines of `src` it was read from.
 * A question without citations "needs a citation" and is otherwise free; one that cites keeps
 * the rules of the article: an explanation (####) that cites it, every citation in range.
 */
export function checkGiftQuestions(
	src: string,
	questions: GiftQuestion[],
	ctx: QuestionContext
): GiftError[] {
	const errors: GiftError[] = [];
	const fail = (line: number, message: string) => errors.push({ line, message });
	const all = lines(withoutBom(src));
	for (const q of questions) {
		const name = q.id === null ? 'this question' : `question "${q.id}"`;
		const tagLine = Math.max(q.line - 1, 1);
		if (ctx.actors && q.actor !== null && !ctx.actors.has(q.actor))
			fail(tagLine, `${name}: actor "${q.actor}" is not in ${ctx.actorsIn ?? 'actors.yaml'}`);
		if (ctx.concerns && q.concern !== null && !ctx.concerns.has(q.concern))
			fail(
				tagLine,
				`${name}: concern "${q.concern}" is not in ${ctx.concernsIn ?? 'concerns.yaml'}`
			);
		const block = questionBlock(all, q);
		const count = ctx.paragraphs;
		if (count !== null) {
			for (const n of q.cites) if (n > count) fail(tagLine, outOfRange(n, count));
			const bad = new Set(parseCitations(block).filter((n) => n < 1 || n > count));
			if (bad.size > 0) {
				const found = new Set<number>();
				for (const l of citationLines(block))
					for (const n of new Set(l.paragraphs))
						if (bad.has(n)) {
							fail(q.line + l.line - 1, outOfRange(n, count));
							found.add(n);
						}
				for (const n of bad) if (!found.has(n)) fail(q.line, outOfRange(n, count));
			}
		}
		if (q.cites.length === 0) continue;
		if (q.explanation === null) {
			fail(q.line, `${name} has no explanation: add ####general feedback that cites the article`);
		} else if (parseCitations(q.explanation).length === 0) {
			const offset = lines(block).findIndex((l) => l.includes('####'));
			fail(
				q.line + Math.max(offset, 0),
				`the explanation (####) of ${name} cites no paragraph of the article ([¶n])`
			);
		}
	}
	return errors;
}

/** The source lines of a question, from its first line (after the tag line) to the blank line. */
function questionBlock(src: string[], q: GiftQuestion): string {
	const block: string[] = [];
	for (let i = q.line - 1; i < src.length && src[i].trim() !== ''; i++) block.push(src[i]);
	return block.join('\n');
}
