/**
 * The answer block of a GIFT question (`{…}`), read as Moodle reads it: numerical (`#`),
 * true/false, matching (`->`), ordering (our `[type:ordering]`), single or multiple choice, short
 * answer; and a question's text pieces with their format markers. Split from parse.ts, which reads
 * the file into blocks, tags and prompts and calls `parseAnswers` for each block.
 */
import { indexOfUnescaped, splitUnescaped, unescapeGift } from './escape.ts';
import { htmlToText } from './html.ts';
import type { GiftAnswer, GiftError, GiftNumber } from './types.ts';

export type TextFormat = 'moodle' | 'plain' | 'markdown' | 'html';

export const FORMAT_MARKER = /^\s*\[(html|moodle|plain|markdown)\]/;
const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const EXACT = new RegExp(String.raw`^(${NUMBER})(?:\s*:\s*(${NUMBER}))?$`);
const RANGE = new RegExp(String.raw`^(${NUMBER})\s*\.\.\s*(${NUMBER})$`);
const WEIGHT = /^\s*%(-?\d+(?:\.\d+)?)%/;

export const MAX_ANSWERS = 100;
const WEIGHT_SLACK = 0.5;

interface RawAnswer {
	marker: '=' | '~';
	weight: number | null;
	text: string;
	/** The text read as plain text whatever the question's format (Moodle: short answers). */
	plain: string;
	/** Set when the text holds `->`. */
	pair: { left: string; right: string } | null;
	feedback: string | null;
	line: number;
}

export const MAX_ORDERING_ITEMS = 20;

const ORDERING_ITEMS = 'an ordering question lists its items as =item lines, in the right order';

/** A question tagged `[type:ordering]`: its `=item` answers are the items in their right order. */
function classifyOrdering(
	answers: RawAnswer[],
	blockLine: number,
	errors: GiftError[]
): GiftAnswer | null {
	const before = errors.length;
	const fail = (line: number, message: string) => errors.push({ line, message });
	const seen = new Set<string>();
	for (const a of answers) {
		if (a.marker !== '=' || a.weight !== null || a.feedback !== null || a.pair)
			fail(a.line, ORDERING_ITEMS);
		else if (a.text === '') fail(a.line, 'empty item');
		else if (seen.has(a.text.toLowerCase())) fail(a.line, `item "${a.text}" appears twice`);
		seen.add(a.text.toLowerCase());
	}
	if (answers.length < 2) fail(blockLine, 'an ordering question needs at least 2 items');
	if (answers.length > MAX_ORDERING_ITEMS)
		fail(blockLine, `an ordering question takes at most ${MAX_ORDERING_ITEMS} items`);
	return errors.length === before ? { type: 'ordering', items: answers.map((a) => a.text) } : null;
}

export /** A piece of question text: its own format marker, else the question's, applied; unescaped. */
function readText(raw: string, format: TextFormat): string {
	const marker = FORMAT_MARKER.exec(raw);
	const text = unescapeGift(marker ? raw.slice(marker[0].length) : raw);
	return ((marker?.[1] ?? format) === 'html' ? htmlToText(text) : text).trim();
}

export function parseAnswers(
	raw: string,
	lineAt: (offset: number) => number,
	errors: GiftError[],
	ordering: boolean,
	format: TextFormat
): GiftAnswer | null {
	const start = raw.length - raw.trimStart().length;
	const blockLine = lineAt(0);
	const trimmed = raw.trim();
	if (trimmed === '') {
		errors.push({
			line: blockLine,
			message:
				'an answer block without answers ({}) is an essay question in Moodle, which is not supported'
		});
		return null;
	}
	if (ordering && !trimmed.startsWith('=') && !trimmed.startsWith('~')) {
		errors.push({ line: lineAt(start), message: ORDERING_ITEMS });
		return null;
	}
	if (trimmed.startsWith('#')) return parseNumerical(trimmed.slice(1), lineAt(start), errors);
	if (trimmed.startsWith('=') || trimmed.startsWith('~')) {
		const starts = answerStarts(raw);
		if (starts.length > MAX_ANSWERS) {
			errors.push({
				line: blockLine,
				message: `a question takes at most ${MAX_ANSWERS} answers; this one has ${starts.length}`
			});
			return null;
		}
		const split = splitAnswers(raw, starts, lineAt, format);
		return ordering
			? classifyOrdering(split, blockLine, errors)
			: classify(split, blockLine, errors);
	}
	const tf = parseTrueFalse(trimmed, lineAt(start), errors, format);
	if (tf === undefined) {
		errors.push({
			line: lineAt(start),
			message: 'answers start with = or ~, a number with #, true/false is {T} or {F}'
		});
		return null;
	}
	return tf;
}

/**
 * `{#2017}`, `{#2017:2}`, `{#2010..2020}`, and the one-answer form Moodle exports,
 * `{#=%100%2017:0#}`. Several answers, partial credit and feedback per answer are refused.
 */
function parseNumerical(raw: string, line: number, errors: GiftError[]): GiftAnswer | null {
	const fail = (message: string) => {
		errors.push({ line, message });
		return null;
	};
	if (indexOfUnescaped(raw, '~') !== -1)
		return fail(
			'feedback for wrong numerical answers (~#…) is not supported; use ####general feedback'
		);
	let rest = raw.trim();
	if (rest.startsWith('=')) {
		const answers = splitUnescaped(rest.slice(1), '=');
		if (answers.length > 1)
			return fail(
				'a numerical question takes one answer here; several answers (=… =…) with partial credit are not supported'
			);
		rest = answers[0];
		const weight = WEIGHT.exec(rest);
		if (weight) {
			if (Number(weight[1]) !== 100)
				return fail(`partial credit (%${weight[1]}%) on a numerical answer is not supported`);
			rest = rest.slice(weight[0].length);
		}
	}
	const hash = indexOfUnescaped(rest, '#');
	if (hash !== -1) {
		if (unescapeGift(rest.slice(hash + 1)).trim() !== '')
			return fail('a numerical answer takes no #feedback; use ####general feedback');
		rest = rest.slice(0, hash);
	}
	const value = unescapeGift(rest).trim();
	const range = RANGE.exec(value);
	if (range) {
		const [min, max] = [Number(range[1]), Number(range[2])];
		if (min <= max) return { type: 'numerical', answer: { kind: 'range', min, max } };
		return fail(`numerical range ${value} ends below its start`);
	}
	const exact = EXACT.exec(value);
	if (exact) {
		const answer: GiftNumber = {
			kind: 'exact',
			value: Number(exact[1]),
			tolerance: exact[2] === undefined ? 0 : Number(exact[2])
		};
		if (answer.tolerance >= 0) return { type: 'numerical', answer };
		return fail('numerical tolerance cannot be negative');
	}
	return fail(
		`numerical answer must be {#number}, {#number:tolerance} or {#min..max}, not {#${value}}`
	);
}

/** undefined when `raw` is not a true/false answer at all. */
function parseTrueFalse(
	raw: string,
	line: number,
	errors: GiftError[],
	format: TextFormat
): GiftAnswer | null | undefined {
	const [head, ...feedback] = splitUnescaped(raw, '#');
	const word = head.trim();
	const letter = word.toUpperCase();
	if (!['T', 'TRUE', 'F', 'FALSE'].includes(letter)) return undefined;
	if (word !== letter) {
		errors.push({
			line,
			message: `true/false is written in capitals, {${letter}}: Moodle reads {${word}} as a short answer "${word}"`
		});
		return null;
	}
	if (feedback.length > 2) {
		errors.push({
			line,
			message: 'true/false takes at most two feedbacks: {T#if wrong#if right}'
		});
		return null;
	}
	const [ifWrong, ifRight] = feedback.map((f) => readText(f, format) || null);
	return {
		type: 'tf',
		answer: letter.startsWith('T'),
		feedbackIfWrong: ifWrong ?? null,
		feedbackIfRight: ifRight ?? null
	};
}

/** Offsets of the unescaped `=` and `~` that start answers. */
function answerStarts(raw: string): number[] {
	const starts: number[] = [];
	for (let i = 0; i < raw.length; i++) {
		if (raw[i] === '\\') i++;
		else if (raw[i] === '=' || raw[i] === '~') starts.push(i);
	}
	return starts;
}

function splitAnswers(
	raw: string,
	starts: number[],
	lineAt: (offset: number) => number,
	format: TextFormat
): RawAnswer[] {
	return starts.map((at, k) => {
		let rest = raw.slice(at + 1, starts[k + 1] ?? raw.length);
		const weight = WEIGHT.exec(rest);
		if (weight) rest = rest.slice(weight[0].length);
		const hash = indexOfUnescaped(rest, '#');
		const text = hash === -1 ? rest : rest.slice(0, hash);
		const arrow = indexOfUnescaped(text, '->');
		return {
			marker: raw[at] as '=' | '~',
			weight: weight ? Number(weight[1]) : null,
			text: readText(text, format),
			plain: readText(text, 'plain'),
			pair:
				arrow === -1
					? null
					: {
							left: readText(text.slice(0, arrow), format),
							// Moodle keeps the right side of a pair as plain text.
							right: readText(text.slice(arrow + 2), 'plain')
						},
			feedback: hash === -1 ? null : readText(rest.slice(hash + 1), format) || null,
			line: lineAt(at)
		};
	});
}

/** The question type, read off the answers' markers, weights and arrows as Moodle reads it. */
function classify(answers: RawAnswer[], blockLine: number, errors: GiftError[]): GiftAnswer | null {
	const before = errors.length;
	const fail = (line: number, message: string) => errors.push({ line, message });

	if (answers.some((a) => a.pair)) {
		for (const a of answers) {
			if (!a.pair || a.marker !== '=' || a.weight !== null || a.feedback !== null) {
				fail(
					a.line,
					'matching questions take only =left -> right pairs, without weights or #feedback'
				);
			} else if (a.pair.left === '' || a.pair.right === '') {
				fail(a.line, 'matching pair needs text on both sides of ->');
			}
		}
		if (answers.length < 2) fail(blockLine, 'matching question needs at least 2 pairs');
		const pairs = answers.flatMap((a) => (a.pair ? [a.pair] : []));
		return errors.length === before ? { type: 'matching', pairs } : null;
	}

	for (const a of answers) if (a.text === '') fail(a.line, 'empty answer');

	// Only multiple choice has a ~; without one, = answers are a short answer's alternatives.
	if (answers.every((a) => a.marker === '=')) {
		for (const a of answers) {
			// Moodle writes every short answer as =%100%answer#, which means no more than =answer.
			if (a.weight !== null && a.weight !== 100)
				fail(
					a.line,
					`partial credit (%${a.weight}%) on a short answer is not supported: every answer listed is fully right`
				);
			else if (a.feedback !== null)
				fail(a.line, 'short answers take no #feedback; use ####general feedback');
		}
		return errors.length === before
			? { type: 'short', answers: answers.map((a) => a.plain) }
			: null;
	}

	const right = answers.filter((a) => a.marker === '=');
	// Without any =, Moodle makes the question multiple-answer, scored by the ~%weight%s.
	if (right.length === 0 && answers.some((a) => (a.weight ?? 0) > 0)) {
		for (const a of answers) {
			if (a.weight !== null && Math.abs(a.weight) > 100)
				fail(a.line, 'weight must be between -100% and 100%');
		}
		const sum = answers.reduce((s, a) => s + Math.max(0, a.weight ?? 0), 0);
		if (Math.abs(sum - 100) > WEIGHT_SLACK) {
			fail(blockLine, `weights of the right options add up to ${sum}%, not 100%`);
		}
		if (answers.length < 2) fail(blockLine, 'multiple-answer question needs at least 2 options');
		const options = answers.map((a) => ({
			text: a.text,
			weight: a.weight ?? 0,
			feedback: a.feedback
		}));
		return errors.length === before ? { type: 'multi', options } : null;
	}

	if (answers.some((a) => a.marker === '~' && a.weight !== null && a.weight !== 0)) {
		// Moodle would read one right answer and partial credit for the weighted wrong ones.
		for (const a of right)
			fail(
				a.line,
				'multiple-answer questions use ~%weight% for every option, not = (partial credit on a single-answer question is not supported)'
			);
	}
	for (const a of right) {
		if (a.weight !== null)
			fail(a.line, 'weights are only supported as ~%weight% in multiple-answer questions');
	}
	if (right.length === 0) fail(blockLine, 'multiple-choice question has no right answer (=)');
	for (const extra of right.slice(1)) {
		fail(
			extra.line,
			'multiple-choice question has more than one right answer (=); use ~%weight% for several'
		);
	}
	const choices = answers.map((a) => ({
		text: a.text,
		correct: a.marker === '=',
		feedback: a.feedback
	}));
	return errors.length === before ? { type: 'mc', choices } : null;
}
