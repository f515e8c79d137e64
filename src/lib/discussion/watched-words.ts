/**
 * Watched words: moderator-chosen words that block a post, hold it for review, or are replaced.
 * Matching is on whole words, case-insensitive, on a normalised copy of the body (NFKD, marks,
 * zero-width characters and soft hyphens removed, lower-case) so that `h\u200Bate`, `ＨＡＴＥ` and
 * `Hâte` all read `hate`. An index map from the copy back to the original lets a replacement cut
 * exactly the characters the author typed. No regular expression is built from a word: words are
 * looked up in maps, so 500 words cost about as much as one.
 */

export type WatchedWord = {
	word: string;
	action: 'block' | 'hold' | 'replace';
	replacement: string | null;
};

export interface WatchedWordsResult {
	/** Watched words (as configured) with action `block` found in the body. */
	blocked: string[];
	/** Watched words with action `hold` found, and `replace` words found inside a URL. */
	held: string[];
	/** The body with `replace` words replaced. */
	body: string;
}

export const WATCHED_WORD_MAX = 60;
const DEFAULT_REPLACEMENT = '■■■';

// Zero-width space/joiners, word joiner, BOM, soft hyphen, Mongolian vowel separator.
const INVISIBLE = /[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e]/u;
const MARK = /\p{M}/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const LETTERS = /^\p{L}+$/u;

interface Normalised {
	text: string;
	/** For each UTF-16 unit of text: the original offsets of the character it came from. */
	from: number[];
	to: number[];
}

function foldChar(ch: string): string {
	const code = ch.charCodeAt(0);
	if (code < 0x80) return ch.toLowerCase();
	if (INVISIBLE.test(ch)) return '';
	let out = '';
	for (const c of ch.normalize('NFKD').toLowerCase().normalize('NFKD')) {
		if (!MARK.test(c) && !INVISIBLE.test(c)) out += c;
	}
	return out;
}

function normalise(body: string): Normalised {
	let text = '';
	const from: number[] = [];
	const to: number[] = [];
	let i = 0;
	for (const ch of body) {
		const code = ch.charCodeAt(0);
		if (code < 0x80) {
			// Most text is ASCII: skip the Unicode work.
			text += code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : ch;
			from.push(i);
			to.push(i + 1);
			i++;
			continue;
		}
		const folded = foldChar(ch);
		for (let k = 0; k < folded.length; k++) {
			from.push(i);
			to.push(i + ch.length);
		}
		text += folded;
		i += ch.length;
	}
	return { text, from, to };
}

/** Normalised text, the way a word of the body or a watched word is compared. */
function fold(text: string): string {
	return normalise(text).text;
}

interface BodyToken {
	text: string;
	start: number; // in the normalised text
	end: number;
}

function isWordChar(ch: string): boolean {
	const code = ch.charCodeAt(0);
	if (code < 0x80) {
		return (
			(code >= 0x30 && code <= 0x39) ||
			(code >= 0x61 && code <= 0x7a) ||
			(code >= 0x41 && code <= 0x5a)
		);
	}
	return WORD_CHAR.test(ch);
}

function tokenize(text: string): BodyToken[] {
	const tokens: BodyToken[] = [];
	let start = -1;
	let i = 0;
	for (const ch of text) {
		if (isWordChar(ch)) {
			if (start < 0) start = i;
		} else if (start >= 0) {
			tokens.push({ text: text.slice(start, i), start, end: i });
			start = -1;
		}
		i += ch.length;
	}
	if (start >= 0) tokens.push({ text: text.slice(start), start, end: text.length });
	return tokens;
}

interface Pattern {
	source: WatchedWord;
	/** The word's normalised words, `*` removed. */
	parts: string[];
	leading: boolean; // `*word`: the first word may have letters before it
	trailing: boolean; // `word*`: the last word may have letters after it
}

function compile(w: WatchedWord): Pattern | undefined {
	const raw = w.word.trim();
	const leading = raw.startsWith('*');
	const trailing = raw.endsWith('*') && raw.length > 1;
	const parts = tokenize(fold(raw.replace(/^\*|\*$/g, ''))).map((t) => t.text);
	if (parts.length === 0) return undefined;
	return { source: w, parts, leading, trailing };
}

function partMatches(token: string, part: string, leading: boolean, trailing: boolean): boolean {
	if (!leading && !trailing) return token === part;
	const at = leading ? (trailing ? token.indexOf(part) : token.length - part.length) : 0;
	if (at < 0 || !token.startsWith(part, at)) return false;
	const rest = token.slice(0, at) + token.slice(at + part.length);
	return rest === '' || LETTERS.test(rest);
}

/** Patterns indexed by their first word so each token of the body costs a few map lookups. */
class PatternIndex {
	private exact = new Map<string, Pattern[]>();
	private prefix = new Map<string, Pattern[]>(); // first word `abc*` (one-word patterns)
	private suffix = new Map<string, Pattern[]>(); // first word `*abc`
	private prefixLengths = new Set<number>();
	private suffixLengths = new Set<number>();
	private contains: Pattern[] = [];

	constructor(patterns: Pattern[]) {
		for (const p of patterns) {
			const first = p.parts[0];
			const lastToo = p.parts.length === 1;
			if (p.leading && p.trailing && lastToo) this.contains.push(p);
			else if (p.leading) add(this.suffix, first, p, this.suffixLengths);
			else if (p.trailing && lastToo) add(this.prefix, first, p, this.prefixLengths);
			else add(this.exact, first, p);
		}
	}

	candidates(token: string): Pattern[] {
		const found = this.exact.get(token)?.slice() ?? [];
		for (const n of this.prefixLengths)
			if (n <= token.length) found.push(...(this.prefix.get(token.slice(0, n)) ?? []));
		for (const n of this.suffixLengths)
			if (n <= token.length) found.push(...(this.suffix.get(token.slice(token.length - n)) ?? []));
		for (const p of this.contains) if (token.includes(p.parts[0])) found.push(p);
		return found;
	}
}

function add(map: Map<string, Pattern[]>, key: string, p: Pattern, lengths?: Set<number>) {
	const list = map.get(key);
	if (list) list.push(p);
	else map.set(key, [p]);
	lengths?.add(key.length);
}

/** Original offsets [from, to) of a match spanning tokens i..j. */
function matchAt(tokens: BodyToken[], i: number, p: Pattern): number | undefined {
	const last = i + p.parts.length - 1;
	if (last >= tokens.length) return undefined;
	for (let k = 0; k < p.parts.length; k++) {
		const leading = k === 0 && p.leading;
		const trailing = k === p.parts.length - 1 && p.trailing;
		if (!partMatches(tokens[i + k].text, p.parts[k], leading, trailing)) return undefined;
	}
	return last;
}

// Bare URLs and Markdown link destinations: a replacement there would change where a link goes.
const URL_SPANS =
	/(?:https?:\/\/|mailto:|www\.)[^\s<>()]+|\]\([^)\s]*\)?|<[a-z][a-z0-9+.-]*:[^\s<>]*>/giu;

function urlSpans(body: string): [number, number][] {
	return [...body.matchAll(URL_SPANS)].map((m) => [m.index, m.index + m[0].length]);
}

/** Backslash-escapes Markdown punctuation so a replacement cannot open a link, emphasis or code. */
function escapeMarkdown(text: string): string {
	return text.replace(/[\\`*_[\]()<>#!|~]/g, '\\$&');
}

export function applyWatchedWords(body: string, words: WatchedWord[]): WatchedWordsResult {
	const patterns = words.map(compile).filter((p): p is Pattern => p !== undefined);
	const blocked = new Set<string>();
	const held = new Set<string>();
	if (patterns.length === 0 || body === '') return { blocked: [], held: [], body };
	const norm = normalise(body);
	const tokens = tokenize(norm.text);
	const index = new PatternIndex(patterns);
	const urls = urlSpans(body);
	const replacements: { from: number; to: number; text: string }[] = [];
	let replacedUpTo = -1; // last token index covered by a replacement

	for (let i = 0; i < tokens.length; i++) {
		const candidates = index.candidates(tokens[i].text);
		// Longest match first, so `bad word` wins over `bad` when both are watched.
		let best: { last: number; p: Pattern } | undefined;
		for (const p of candidates) {
			const last = matchAt(tokens, i, p);
			if (last === undefined) continue;
			const { action, word } = p.source;
			if (action === 'block') blocked.add(word);
			else if (action === 'hold') held.add(word);
			else if (i > replacedUpTo && (!best || last > best.last)) best = { last, p };
		}
		if (!best) continue;
		const from = norm.from[tokens[i].start];
		const to = norm.to[tokens[best.last].end - 1];
		if (urls.some(([a, b]) => from < b && to > a)) {
			held.add(best.p.source.word);
			continue;
		}
		replacements.push({
			from,
			to,
			text: escapeMarkdown(best.p.source.replacement ?? DEFAULT_REPLACEMENT)
		});
		replacedUpTo = best.last;
	}

	let out = '';
	let at = 0;
	for (const r of replacements) {
		out += body.slice(at, r.from) + r.text;
		at = r.to;
	}
	out += body.slice(at);
	return { blocked: [...blocked], held: [...held], body: out };
}

/** A watched word as a moderator typed it, trimmed, or why it cannot be one. */
export function checkWatchedWord(input: unknown): { word: string; error?: string } {
	const word = typeof input === 'string' ? input.trim() : '';
	if (word === '') return { word, error: 'Enter a word.' };
	if ([...word].length > WATCHED_WORD_MAX)
		return { word, error: `A watched word has at most ${WATCHED_WORD_MAX} characters.` };
	if (word.slice(1, -1).includes('*'))
		return { word, error: 'A * may only stand at the start or the end of the word.' };
	if (tokenize(fold(word.replace(/^\*|\*$/g, ''))).length === 0)
		return { word, error: 'A watched word needs at least one letter or digit.' };
	return { word };
}
