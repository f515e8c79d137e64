/**
 * GIFT text for questions, in the layout of docs/course-packages.md, such that parsing it gives
 * the same questions back; Moodle reads it too (our tags sit in comments). A question's category
 * is written as a `$CATEGORY:` block before the first question of each run. Our tags are written
 * only when set: a question without an id or citations gets no `[id:]` or `[cite:]`.
 *
 * GIFT has no escape for a few things, which therefore cannot be written: `->` on the left of a
 * matching pair or in any other answer, and an answer opening with `%n%`. Text that would read as
 * something else at the start of a piece (a format marker such as `[html]`, a `//` comment, a
 * `$CATEGORY:` line) is written after a `[markdown]` marker, which the reader drops.
 */
import { escapeGift } from './escape.ts';
import type { GiftNumber, GiftQuestion } from './types.ts';

// Each place needs only the characters that would end it early escaped; more would be noise.
const IN_TITLE = ':';
const IN_PROMPT = '{}';
const IN_ANSWER = '~=#{}';
const IN_EXPLANATION = '{}';

export function serializeGift(questions: readonly GiftQuestion[]): string {
	const blocks: string[] = [];
	let category: string | null = null;
	for (const q of questions) {
		if (q.category !== category) {
			// Moodle's own form, with the course context; an empty path ends the category.
			const path = q.category === null ? '' : `$course$/top/${escapeGift(q.category, '')}`;
			blocks.push(`$CATEGORY: ${path}\n`);
			category = q.category;
		}
		blocks.push(`${serializeQuestion(q)}\n`);
	}
	return blocks.join('\n');
}

/** Text that the reader would take for a format marker, a comment or a category line. */
const MISREAD = /^(\[(html|moodle|plain|markdown)\]|\/\/|\$CATEGORY:)/;

/** `text` escaped for its place, kept from being misread at the start of the piece. */
function piece(text: string, special: string): string {
	const escaped = escapeGift(text, special);
	return MISREAD.test(escaped) ? `[markdown]${escaped}` : escaped;
}

function serializeQuestion(q: GiftQuestion): string {
	const tags = [
		q.id !== null && `[id:${q.id}]`,
		q.actor !== null && `[actor:${q.actor}]`,
		q.concern !== null && `[concern:${q.concern}]`,
		q.cites.length > 0 && `[cite:${q.cites.join(',')}]`,
		q.points !== undefined && q.points !== 1 && `[points:${q.points}]`,
		q.type === 'ordering' && '[type:ordering]'
	].filter(Boolean);
	const title = q.title === null ? '' : `::${escapeGift(q.title, IN_TITLE)}::`;
	// A prompt opening with ":" would read as the start of a title.
	const prompt = piece(q.prompt, IN_PROMPT).replace(/^:/, '\\:');
	const lines = answerLines(q);
	if (q.explanation !== null) lines.push(`####${piece(q.explanation, IN_EXPLANATION)}`);

	const compact = (q.type === 'tf' || q.type === 'numerical') && lines.length === 1;
	const block = compact ? `{${lines[0]}}` : `{\n${lines.join('\n')}\n}`;
	const tagLine = tags.length > 0 ? `// ${tags.join(' ')}\n` : '';
	return `${tagLine}${title}${prompt}${block}`;
}

function answerLines(q: GiftQuestion): string[] {
	const esc = (text: string) => piece(text, IN_ANSWER);
	const feedback = (text: string | null) => (text === null ? '' : `#${esc(text)}`);
	switch (q.type) {
		case 'mc':
			return q.choices.map((c) => `${c.correct ? '=' : '~'}${esc(c.text)}${feedback(c.feedback)}`);
		case 'multi':
			return q.options.map((o) => `~%${o.weight}%${esc(o.text)}${feedback(o.feedback)}`);
		case 'tf': {
			let line = q.answer ? 'TRUE' : 'FALSE';
			if (q.feedbackIfWrong !== null || q.feedbackIfRight !== null) {
				line += `#${esc(q.feedbackIfWrong ?? '')}`;
			}
			if (q.feedbackIfRight !== null) line += feedback(q.feedbackIfRight);
			return [line];
		}
		case 'short':
			return q.answers.map((a) => `=${esc(a)}`);
		case 'matching':
			return q.pairs.map((p) => `=${esc(p.left)} -> ${esc(p.right)}`);
		case 'numerical':
			return [`#${number(q.answer)}`];
		case 'ordering':
			return q.items.map((item) => `=${esc(item)}`);
	}
}

function number(n: GiftNumber): string {
	if (n.kind === 'range') return `${n.min}..${n.max}`;
	return n.tolerance === 0 ? `${n.value}` : `${n.value}:${n.tolerance}`;
}
