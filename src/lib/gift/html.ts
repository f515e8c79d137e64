/**
 * GIFT text marked `[html]` (what Moodle's editor writes) turned into plain text: tags are dropped
 * (script and style with their contents, comments whole), line-level tags become line breaks and
 * character references are decoded. The app never inserts question text as HTML — it is rendered
 * as Markdown with raw HTML disabled — so decoded `&lt;script&gt;` ends up as the visible text
 * "<script>", never as markup. One pass, linear in the length: a hostile file cannot stall it.
 */

const LINE_TAGS = new Set([
	'br',
	'p',
	'div',
	'li',
	'tr',
	'h1',
	'h2',
	'h3',
	'h4',
	'h5',
	'h6',
	'blockquote',
	'pre',
	'ul',
	'ol',
	'table',
	'hr'
]);
const SKIPPED = new Set(['script', 'style', 'template', 'textarea', 'title']);

const NAMED: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' ',
	ndash: '–',
	mdash: '—',
	hellip: '…',
	lsquo: '‘',
	rsquo: '’',
	ldquo: '“',
	rdquo: '”',
	laquo: '«',
	raquo: '»',
	copy: '©',
	reg: '®',
	euro: '€',
	deg: '°',
	times: '×',
	divide: '÷',
	middot: '·',
	shy: ''
};

function decodeReference(ref: string, whole: string): string {
	if (ref[0] === '#') {
		const code =
			ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
		// NUL, surrogates and what lies past Unicode cannot be stored or are not characters.
		if (
			!Number.isInteger(code) ||
			code <= 0 ||
			code > 0x10ffff ||
			(code >= 0xd800 && code <= 0xdfff)
		)
			return '\uFFFD';
		return String.fromCodePoint(code);
	}
	return NAMED[ref] ?? NAMED[ref.toLowerCase()] ?? whole;
}

export function htmlToText(html: string): string {
	let out = '';
	let text = '';
	const flushText = () => {
		out += text.replace(/\s+/g, ' ');
		text = '';
	};
	const lower = html.toLowerCase();
	// The first ">" at or after a point, remembered: "<<<<…>" would otherwise search to the same
	// ">" once per "<". Once none is left, every later "<" is text.
	let nextGt = -1;
	const gtFrom = (from: number) => {
		if (nextGt !== -1 && nextGt < from) nextGt = html.indexOf('>', from);
		else if (nextGt === -1 && !noMoreClose) nextGt = html.indexOf('>', from);
		return nextGt;
	};
	let noMoreClose = false;
	let i = 0;
	while (i < html.length) {
		const lt = html.indexOf('<', i);
		if (lt === -1 || noMoreClose) {
			text += html.slice(i);
			break;
		}
		text += html.slice(i, lt);
		if (html.startsWith('<!--', lt)) {
			const end = html.indexOf('-->', lt + 4);
			i = end === -1 ? html.length : end + 3;
			continue;
		}
		const tag = /^<\/?\s*([a-zA-Z][a-zA-Z0-9]*)/.exec(html.slice(lt, lt + 40));
		const gt = gtFrom(lt + 1);
		if (gt === -1) noMoreClose = true;
		if (!tag || gt === -1) {
			// "a < b" written without &lt;: the browser would show it, so do we.
			text += '<';
			i = lt + 1;
			continue;
		}
		const name = tag[1].toLowerCase();
		const closing = html[lt + 1] === '/';
		i = gt + 1;
		if (!closing && SKIPPED.has(name)) {
			const end = lower.indexOf(`</${name}`, i);
			const endGt = end === -1 ? -1 : html.indexOf('>', end);
			i = endGt === -1 ? html.length : endGt + 1;
			continue;
		}
		if (LINE_TAGS.has(name)) {
			flushText();
			out += '\n';
		}
	}
	flushText();
	const decoded = out.replace(
		/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g,
		(whole, ref) => decodeReference(ref, whole)
	);
	return decoded
		.split('\n')
		.map((line) => line.trim())
		.join('\n')
		.replace(/\n{2,}/g, '\n')
		.trim();
}
