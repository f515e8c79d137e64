/**
 * GIFT text for questions, in the layout of docs/course-packages.md, such that parsing it gives
 * the same questions back. GIFT has no escape for a few things, which therefore cannot be
 * written: `->` on the left of a matching pair or in any other answer, an answer opening with
 * `%n%`, and an untitled prompt opening with `//` or `$CATEGORY:`.
 */
import { escapeGift } from './escape.ts';
import type { GiftNumber, GiftQuestion } from './types.ts';

// Each place needs only the characters that would end it early escaped; more would be noise.
const IN_TITLE = ':';
const IN_PROMPT = '{}';
const IN_ANSWER = '~=#{}';
const IN_EXPLANATION = '{}';

export function serializeGift(questions: readonly GiftQuestion[]): string {
	return questions.map((q) => `${serializeQuestion(q)}\n`).join('\n');
}

function serializeQuestion(q: GiftQuestion): string {
	const tags = [
		`[id:${q.id}]`,
		q.actor !== null && `[actor:${q.actor}]`,
		q.concern !== null && `[concern:${q.concern}]`,
		`[cite:${q.cites.join(',')}]`,
		q.type === 'ordering' && '[type:ordering]'
	].filter(Boolean);
	const title = q.title === null ? '' : `::${escapeGift(q.title, IN_TITLE)}::`;
	// A prompt opening with ":" would read as the start of a title.
	const prompt = escapeGift(q.prompt, IN_PROMPT).replace(/^:/, '\\:');
	const lines = answerLines(q);
	if (q.explanation !== null) lines.push(`####${escapeGift(q.explanation, IN_EXPLANATION)}`);

	const compact = (q.type === 'tf' || q.type === 'numerical') && lines.length === 1;
	const block = compact ? `{${lines[0]}}` : `{\n${lines.join('\n')}\n}`;
	return `// ${tags.join(' ')}\n${title}${prompt}${block}`;
}

function answerLines(q: GiftQuestion): string[] {
	const esc = (text: string) => escapeGift(text, IN_ANSWER);
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
