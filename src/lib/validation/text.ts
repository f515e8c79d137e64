/**
 * Text PostgreSQL cannot store: NUL (`text` cannot hold it, and the insert fails), and lone UTF-16
 * surrogates (not characters at all; drivers would silently turn them into U+FFFD).
 */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasUnstorableText(text: string): boolean {
	return UNSTORABLE.test(text);
}

/** 1-based line of the first unstorable character in `text`, or null when there is none. */
export function unstorableLine(text: string): number | null {
	const at = text.search(UNSTORABLE);
	if (at === -1) return null;
	let line = 1;
	for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
	return line;
}
