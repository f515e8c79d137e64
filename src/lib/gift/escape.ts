/**
 * GIFT escapes: `\~ \= \# \{ \} \:` stand for the character, `\n` for a line break and `\\` for a
 * backslash. Any other backslash is kept as written, as Moodle does.
 *
 * The parser works on raw text (escapes still in place) and unescapes each piece last, so the
 * scanning helpers below step over every backslash pair.
 */

const UNESCAPED: Record<string, string> = {
	'~': '~',
	'=': '=',
	'#': '#',
	'{': '{',
	'}': '}',
	':': ':',
	'\\': '\\',
	n: '\n'
};

/** Offset of the first `needle` at or after `from` that is not escaped, or -1. */
export function indexOfUnescaped(raw: string, needle: string, from = 0): number {
	for (let i = from; i < raw.length; i++) {
		if (raw[i] === '\\') i++;
		else if (raw.startsWith(needle, i)) return i;
	}
	return -1;
}

/** `raw` cut at every unescaped `separator`. */
export function splitUnescaped(raw: string, separator: string): string[] {
	const parts: string[] = [];
	let start = 0;
	for (let at = indexOfUnescaped(raw, separator); at !== -1;) {
		parts.push(raw.slice(start, at));
		start = at + separator.length;
		at = indexOfUnescaped(raw, separator, start);
	}
	parts.push(raw.slice(start));
	return parts;
}

export function unescapeGift(raw: string): string {
	return raw.replace(/\\([\s\S])/g, (pair, c: string) => UNESCAPED[c] ?? pair);
}

/** `text` with backslashes, line breaks and each character of `special` escaped. */
export function escapeGift(text: string, special: string): string {
	let out = '';
	for (const c of text) {
		if (c === '\\') out += '\\\\';
		else if (c === '\n') out += '\\n';
		else if (special.includes(c)) out += `\\${c}`;
		else out += c;
	}
	return out;
}
