/**
 * Citations of article paragraphs: `[¶2]`, `[¶1, ¶4]`, `[¶1,¶4]`, `[¶3–5]`, `[¶3-5]`.
 * Adjacent citations (`[¶1][¶4]`) are simply two matches. Anything else is not a citation.
 */

/** One citation found in a string. */
export interface CitationMatch {
	/** Offset of the opening `[`. */
	index: number;
	length: number;
	/** The source as written, e.g. `[¶1, ¶3–4]`. */
	text: string;
	/** Paragraph numbers in written order, ranges expanded, without repeats. */
	paragraphs: number[];
}

// Whitespace may not include newlines so that a citation always sits on one line, which is
// what lets validators report it by line.
const ITEM = String.raw`¶[ \t]*\d{1,6}(?:[ \t]*[-–][ \t]*¶?[ \t]*\d{1,6})?`;
const CITATION = String.raw`\[${ITEM}(?:[ \t]*,[ \t]*${ITEM})*\]`;

// `[¶1–100000]`, or hundreds of ranges in one bracket, must not make every caller allocate a huge
// array or spin: a citation names at most this many paragraphs in all.
const MAX_PARAGRAPHS = 500;

function expand(text: string): number[] | null {
	const seen = new Set<number>();
	let named = 0;
	for (const item of text.slice(1, -1).split(',')) {
		const [from, to = from] = (item.match(/\d+/g) ?? []).map(Number);
		if (from === undefined || to < from) return null;
		named += to - from + 1;
		if (named > MAX_PARAGRAPHS) return null;
		for (let n = from; n <= to; n++) seen.add(n);
	}
	return [...seen];
}

/** The citation starting exactly at `pos`, or null. */
// One sticky expression, reused: the renderer asks at every `[` of a document. Safe to share
// because exec runs to completion before anyone else reads lastIndex.
const STICKY = new RegExp(CITATION, 'y');

export function matchCitationAt(src: string, pos: number): CitationMatch | null {
	const re = STICKY;
	re.lastIndex = pos;
	const m = re.exec(src);
	if (!m) return null;
	const paragraphs = expand(m[0]);
	return paragraphs && { index: pos, length: m[0].length, text: m[0], paragraphs };
}

/** Every citation in `text`, in order. */
export function findCitations(text: string): CitationMatch[] {
	const found: CitationMatch[] = [];
	for (const m of text.matchAll(new RegExp(CITATION, 'g'))) {
		const paragraphs = expand(m[0]);
		if (paragraphs)
			found.push({
				index: m.index,
				length: m[0].length,
				text: m[0],
				paragraphs
			});
	}
	return found;
}

/** All paragraph numbers cited in `text`, in order of first appearance, without repeats. */
export function parseCitations(text: string): number[] {
	const all = findCitations(text).flatMap((c) => c.paragraphs);
	return [...new Set(all)];
}

/** The paragraphs cited on each line of `text` that cites any (lines are 1-based). */
export function citationLines(text: string): { line: number; paragraphs: number[] }[] {
	return text
		.split(/\r\n|\r|\n/)
		.map((content, i) => ({ line: i + 1, paragraphs: parseCitations(content) }))
		.filter((l) => l.paragraphs.length > 0);
}
