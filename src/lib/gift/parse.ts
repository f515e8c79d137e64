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
import { indexOfUnescaped, unescapeGift } from './escape.ts';
import { FORMAT_MARKER, parseAnswers, readText, type TextFormat } from './answers.ts';
import type { GiftAnswer, GiftError, GiftParseResult, GiftQuestion } from './types.ts';

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

const TAG_LINE = /^\/\/\s*\[[a-z]+:/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** What Moodle puts where the answer block of a missing-word question was. */
export const BLANK = '_____';
/** Far more than any quiz shows; a file at the upload limit could otherwise hold 2 million. */
// Multiple-answer weights are percentages that may not add up exactly (3 × 33.333).

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
