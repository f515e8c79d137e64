/**
 * Parser for GIFT as Moodle reads it (docs/course-packages.md), with our tags as an optional
 * extension. Where Moodle silently guesses, this parser refuses the question with its line and
 * the reason; a question with any error is left out of `questions`, never half-read.
 * - One question per block; blocks are separated by blank lines, even inside `{…}`.
 * - `$CATEGORY: path` stands in a block of its own and files the questions after it.
 * - The missing-word form (`Grant is {~buried =entombed} in Grant's tomb.`) is read as the same
 *   question with a visible blank "_____" where the answer block was.
 * - Text-format markers `[moodle] [plain] [markdown]` are dropped (our text is Markdown);
 *   `[html]` text is turned into plain text (./html.ts).
 * - `->` in an answer makes it a matching pair, so other answers cannot contain it.
 * - Not supported, each refused with a reason: essay (`{}`), description (no answer block),
 *   partial credit on a single-answer or short-answer question, per-answer feedback on short
 *   answers, several numerical answers, true/false in lower case (Moodle reads `{true}` as a
 *   short answer).
 * - Ordering questions (our extension, tagged `[type:ordering]`) list their items as `=item`
 *   lines in the right order; without our tags a reader sees a short-answer question.
 */
import { indexOfUnescaped, splitUnescaped, unescapeGift } from './escape.ts';
import { htmlToText } from './html.ts';
import type { GiftAnswer, GiftError, GiftParseResult, GiftQuestion, GiftNumber } from './types.ts';

interface SourceLine {
	text: string;
	/** 1-based. */
	line: number;
}

interface Tags {
	id: string | null;
	actor: string | null;
	concern: string | null;
	cites: number[] | null;
	type: 'ordering' | null;
	points: number | null;
}

/** Question text spread over several source lines, joined with `\n`. */
interface Text {
	raw: string;
	/** Source line of an offset in `raw`. */
	lineAt: (offset: number) => number;
}

/** Moodle's text formats; `markdown` is ours, and every format but `html` is kept as written. */
type TextFormat = 'moodle' | 'plain' | 'markdown' | 'html';

interface ParsedBlock {
	/** Null when the question has errors. */
	question: GiftQuestion | null;
	/** Kept even for a broken question, so that a later duplicate is still caught. */
	id: string | null;
	line: number;
}

interface QuestionContent {
	title: string | null;
	prompt: string;
	answer: GiftAnswer;
	explanation: string | null;
}

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

const TAG_LINE = /^\/\/\s*\[[a-z]+:/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const EXACT = new RegExp(String.raw`^(${NUMBER})(?:\s*:\s*(${NUMBER}))?$`);
const RANGE = new RegExp(String.raw`^(${NUMBER})\s*\.\.\s*(${NUMBER})$`);
const WEIGHT = /^\s*%(-?\d+(?:\.\d+)?)%/;
const FORMAT_MARKER = /^\s*\[(html|moodle|plain|markdown)\]/;
/** What Moodle puts where the answer block of a missing-word question was. */
export const BLANK = '_____';
/** Far more than any quiz shows; a file at the upload limit could otherwise hold 2 million. */
export const MAX_ANSWERS = 100;
// Multiple-answer weights are percentages that may not add up exactly (3 × 33.333).
const WEIGHT_SLACK = 0.5;

export function parseGift(src: string): GiftParseResult {
	const questions: GiftQuestion[] = [];
	const errors: GiftError[] = [];
	const idLines = new Map<string, number>();
	let category: string | null = null;
	let rejected = 0;

	for (const block of splitBlocks(src)) {
		const blockErrors: GiftError[] = [];
		let parsed: ParsedBlock | null;
		try {
			const switched = readCategory(block, blockErrors);
			if (switched !== undefined) {
				category = switched.category;
				parsed = null;
				if (switched.question) rejected++;
			} else parsed = parseBlock(block, blockErrors, category);
		} catch (e) {
			// The contract is to report, never throw: a bug here must not hide the other questions.
			blockErrors.push({
				line: block[0].line,
				message: `could not read this question: ${e}`
			});
			parsed = { question: null, id: null, line: block[0].line };
		}
		// Not push(...blockErrors): a question with ~100,000 broken answers overflows the stack.
		for (const e of blockErrors) errors.push(e);
		if (!parsed) continue;

		if (parsed.id) {
			const first = idLines.get(parsed.id);
			if (first !== undefined) {
				errors.push({
					line: parsed.line,
					message: `duplicate id "${parsed.id}" (first used on line ${first})`
				});
				rejected++;
				continue;
			}
			idLines.set(parsed.id, parsed.line);
		}
		if (parsed.question && blockErrors.length === 0) questions.push(parsed.question);
		else rejected++;
	}
	errors.sort((a, b) => a.line - b.line);
	return { questions, errors, rejected };
}

/**
 * A block that opens with `$CATEGORY:` switches the category of the questions after it; undefined
 * for any other block. Moodle would read a question written in the same block as part of the
 * category's name, so that is refused (`question` says a question was lost).
 */
function readCategory(
	block: SourceLine[],
	errors: GiftError[]
): { category: string | null; question: boolean } | undefined {
	const lines = block.filter((l) => !isComment(l));
	if (lines.length === 0 || !isCategory(lines[0])) return undefined;
	for (const l of block.filter(isTagLine))
		errors.push({ line: l.line, message: 'tag line is not followed by a question' });
	const rest = lines.slice(1);
	if (rest.length > 0)
		errors.push({
			line: rest[0].line,
			message:
				'a $CATEGORY: line stands in a block of its own: leave a blank line between it and the question'
		});
	return {
		category: categoryPath(lines[0].text.trimStart().slice('$CATEGORY:'.length)),
		question: rest.length > 0
	};
}

/**
 * The category as we keep it: Moodle's course context and the root under it (`$course$/top/`, as
 * Moodle exports write it) left out, since the bank is the course's; each level trimmed; null for
 * none. Any other path is kept as written.
 */
export function categoryPath(raw: string): string | null {
	const path = unescapeGift(raw)
		.trim()
		.replace(/^\$course\$(?:\/top)?(?:\/|$)/, '')
		.split('/')
		.map((level) => level.trim())
		.join('/');
	return path === '' ? null : path;
}

function splitBlocks(src: string): SourceLine[][] {
	const blocks: SourceLine[][] = [];
	let current: SourceLine[] = [];
	src
		.replace(/^\uFEFF/, '')
		.split(/\r\n|\r|\n/)
		.forEach((text, i) => {
			if (text.trim() !== '') current.push({ text, line: i + 1 });
			else if (current.length > 0) {
				blocks.push(current);
				current = [];
			}
		});
	if (current.length > 0) blocks.push(current);
	return blocks;
}

const isComment = (l: SourceLine) => l.text.trimStart().startsWith('//');
const isCategory = (l: SourceLine) => l.text.trimStart().startsWith('$CATEGORY:');
const isTagLine = (l: SourceLine) => TAG_LINE.test(l.text.trim());

function parseBlock(
	block: SourceLine[],
	errors: GiftError[],
	category: string | null
): ParsedBlock | null {
	const start = block.findIndex((l) => !isComment(l) && !isCategory(l));
	if (start === -1) {
		for (const l of block.filter(isTagLine)) {
			errors.push({
				line: l.line,
				message: 'tag line is not followed by a question'
			});
		}
		return null;
	}

	const line = block[start].line;
	const tagLine = start > 0 && isTagLine(block[start - 1]) ? block[start - 1] : null;
	for (const l of block.filter(isTagLine)) {
		if (l !== tagLine) {
			errors.push({
				line: l.line,
				message:
					'tag line must come directly before its question (separate questions with a blank line)'
			});
		}
	}

	const tags = tagLine ? parseTags(tagLine, errors) : emptyTags();

	const body = block.slice(start).filter((l) => !isComment(l));
	for (const l of body.filter(isCategory))
		errors.push({
			line: l.line,
			message:
				'a $CATEGORY: line stands in a block of its own: leave a blank line between it and the question'
		});
	const content = parseQuestion(joinLines(body), line, errors, tags.type === 'ordering');
	if (!content) return { question: null, id: tags.id, line };

	const question: GiftQuestion = {
		id: tags.id,
		actor: tags.actor,
		concern: tags.concern,
		cites: tags.cites ?? [],
		category,
		...(tags.points === null ? {} : { points: tags.points }),
		title: content.title,
		prompt: content.prompt,
		...content.answer,
		explanation: content.explanation,
		line
	};
	return { question, id: tags.id, line };
}

function emptyTags(): Tags {
	return { id: null, actor: null, concern: null, cites: null, type: null, points: null };
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

function parseTags({ text, line }: SourceLine, errors: GiftError[]): Tags {
	const tags = emptyTags();
	const seen = new Set<string>();
	const content = text.trim().slice(2);
	const fail = (message: string) => errors.push({ line, message });

	if (content.replace(/\[[^\]]*\]/g, '').trim() !== '') {
		fail('tag line may only hold [key:value] tags');
	}
	for (const [tag, key, rawValue] of content.matchAll(/\[([^:\]]*):?([^\]]*)\]/g)) {
		const value = rawValue.trim();
		// Moodle's own tags ([tag:…], any number of them): accepted, and not kept.
		if (key === 'tag') continue;
		if (seen.has(key)) {
			fail(`tag [${key}:…] appears twice`);
			continue;
		}
		seen.add(key);
		if (key === 'id') {
			if (ID.test(value)) tags.id = value;
			else fail(`id "${value}" may only contain letters, digits, "-", "_" and "."`);
		} else if (key === 'actor' || key === 'concern') {
			if (SLUG.test(value)) tags[key] = value;
			else fail(`${key} "${value}" is not a slug (a-z, 0-9 and hyphens)`);
		} else if (key === 'cite') {
			const items = value.split(',').map((s) => s.trim());
			if (items.every((s) => /^\d+$/.test(s) && Number(s) > 0)) {
				tags.cites = [...new Set(items.map(Number))];
			} else {
				fail(`cite must list positive paragraph numbers, e.g. [cite:1,4], not ${tag}`);
			}
		} else if (key === 'points') {
			const n = /^\d{1,3}(?:\.\d{1,3})?$/.test(value) ? Number(value) : NaN;
			if (n > 0 && n <= 100) tags.points = n;
			else fail(`points must be a number above 0 and at most 100, e.g. [points:2], not ${tag}`);
		} else if (key === 'type') {
			if (value === 'ordering') tags.type = value;
			else fail(`type "${value}" is not one we add to GIFT (known: ordering)`);
		} else {
			fail(`unknown tag ${tag} (known: id, actor, concern, cite, points, type, tag)`);
		}
	}
	return tags;
}

/** Exported for its tests: the line look-up must stay logarithmic. */
export function joinLines(lines: SourceLine[]): Text {
	const starts: number[] = [];
	let offset = 0;
	for (const l of lines) {
		starts.push(offset);
		offset += l.text.length + 1;
	}
	// Binary search: a question with tens of thousands of answer lines asks this once per answer,
	// and a linear scan made parsing quadratic (seconds for a file at the upload limit).
	const lineAt = (at: number) => {
		let lo = 0;
		let hi = starts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (starts[mid] <= at) lo = mid;
			else hi = mid - 1;
		}
		return lines[lo].line;
	};
	return { raw: lines.map((l) => l.text).join('\n'), lineAt };
}

/** A piece of question text: its own format marker, else the question's, applied; unescaped. */
function readText(raw: string, format: TextFormat): string {
	const marker = FORMAT_MARKER.exec(raw);
	const text = unescapeGift(marker ? raw.slice(marker[0].length) : raw);
	return ((marker?.[1] ?? format) === 'html' ? htmlToText(text) : text).trim();
}

const ONE_BLOCK = 'a question holds one answer block {…}; write a literal brace as \\{ or \\}';

function parseQuestion(
	{ raw, lineAt }: Text,
	line: number,
	errors: GiftError[],
	ordering = false
): QuestionContent | null {
	let pos = raw.length - raw.trimStart().length;
	let title: string | null = null;
	if (raw.startsWith('::', pos)) {
		const end = indexOfUnescaped(raw, '::', pos + 2);
		if (end === -1) {
			errors.push({ line: lineAt(pos), message: 'title has no closing ::' });
			return null;
		}
		title = unescapeGift(raw.slice(pos + 2, end)).trim() || null;
		pos = end + 2;
	}

	const open = indexOfUnescaped(raw, '{', pos);
	const firstClose = indexOfUnescaped(raw, '}', pos);
	if (open === -1 && firstClose === -1) {
		errors.push({
			line,
			message:
				'text without an answer block {…} is a description in Moodle, which is not supported: only questions with answers can be imported'
		});
		return null;
	}
	if (open === -1 || (firstClose !== -1 && firstClose < open)) {
		errors.push({ line: lineAt(firstClose), message: `} without its {: ${ONE_BLOCK}` });
		return null;
	}
	const close = indexOfUnescaped(raw, '}', open + 1);
	const nextOpen = indexOfUnescaped(raw, '{', open + 1);
	if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
		errors.push({
			line: lineAt(open),
			message: 'unclosed { (a literal brace is written \\{)'
		});
		return null;
	}

	const after = raw.slice(close + 1);
	const stray = Math.max(indexOfUnescaped(after, '{'), indexOfUnescaped(after, '}'));
	if (stray !== -1) {
		errors.push({ line: lineAt(close + 1 + stray), message: ONE_BLOCK });
		return null;
	}
	// Text after the block: Moodle's missing-word form, read with a blank where the block was.
	const promptRaw =
		after.trim() === '' ? raw.slice(pos, open) : `${raw.slice(pos, open)}${BLANK}${after}`;
	const marker = FORMAT_MARKER.exec(promptRaw);
	const format = (marker?.[1] ?? 'moodle') as TextFormat;
	const prompt = readText(promptRaw, format);
	if (prompt === '' || prompt === BLANK)
		errors.push({ line: lineAt(open), message: 'question has no text' });

	const body = raw.slice(open + 1, close);
	const general = indexOfUnescaped(body, '####');
	const explanation = general === -1 ? null : readText(body.slice(general + 4), format) || null;
	const answers = general === -1 ? body : body.slice(0, general);
	const answer = parseAnswers(
		answers,
		(offset) => lineAt(open + 1 + offset),
		errors,
		ordering,
		format
	);
	return answer && { title, prompt, answer, explanation };
}

function parseAnswers(
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
