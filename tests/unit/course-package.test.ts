import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
	filesFromJson,
	filesFromZip,
	jsonFromFiles,
	zipFromFiles
} from '../../src/lib/courses/archive.ts';
import { readPackageDir } from '../../src/lib/courses/fs.ts';
import type { PackageError, PackageFiles } from '../../src/lib/courses/package.ts';
import { readPackage } from '../../src/lib/courses/read.ts';
import { comparablePackage, writePackage } from '../../src/lib/courses/write.ts';

const shipped = readPackageDir('content/un-cybercrime-treaty');

const L01 = 'lessons/01-what-the-treaty-is.md';
const L02 = 'lessons/02-washingtons-case.md';
const L03 = 'lessons/03-the-security-industrys-warning.md';
const L06 = 'lessons/06-weighing-it.md';

/** The shipped files with `from` replaced by `to` in `file`; `from` must occur exactly once. */
function edit(file: string, from: string, to: string, files: PackageFiles = shipped): PackageFiles {
	const text = files[file];
	expect(text.split(from), `"${from}" occurs once in ${file}`).toHaveLength(2);
	return { ...files, [file]: text.replace(from, to) };
}

/** 1-based line of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
	const at = text.indexOf(needle);
	expect(at, `"${needle}" is in the text`).toBeGreaterThanOrEqual(0);
	return text.slice(0, at).split('\n').length;
}

function errorsOf(files: PackageFiles): PackageError[] {
	const { pkg, errors } = readPackage(files);
	expect(pkg).toBeNull();
	return errors;
}

const outOfRange = (n: number) => `cites ¶${n} but the article has 4 paragraphs`;

describe('the shipped package', () => {
	it('validates without errors', () => {
		const { pkg, errors } = readPackage(shipped);
		expect(errors).toEqual([]);
		expect(pkg).not.toBeNull();
		expect(pkg!.course.slug).toBe('un-cybercrime-treaty');
		expect(pkg!.paragraphs).toHaveLength(4);
		expect(pkg!.lessons.map((l) => l.slug)).toEqual([
			'what-the-treaty-is',
			'washingtons-case',
			'the-security-industrys-warning',
			'the-human-rights-objection',
			'we-already-have-budapest',
			'weighing-it'
		]);
	});

	it('keeps the article text exactly, curly quotes included', () => {
		const { pkg } = readPackage(shipped);
		expect(pkg!.paragraphs[2]).toContain('the treaty’s language is too vague and broad');
		expect(pkg!.paragraphs.every((p) => !p.includes('\n') && p === p.trim())).toBe(true);
	});
});

describe('writePackage', () => {
	const pkg = readPackage(shipped).pkg!;

	it('round-trips through readPackage', () => {
		const written = writePackage(pkg);
		const { pkg: again, errors } = readPackage(written);
		expect(errors).toEqual([]);
		expect(comparablePackage(again!)).toEqual(comparablePackage(pkg));
	});

	it('writes the same file names as the shipped folder, and is stable', () => {
		const written = writePackage(pkg);
		expect(Object.keys(written).sort()).toEqual(Object.keys(shipped).sort());
		expect(writePackage(readPackage(written).pkg!)).toEqual(written);
	});

	it('round-trips awkward text', () => {
		const awkward = [
			'  leading spaces, "quotes": and # hash [¶1]',
			'null',
			'2024-01-01',
			'line one\n\n  indented line\nlast line\n',
			`${'long '.repeat(40)}with  double  spaces [¶2]`
		];
		for (const text of awkward) {
			const changed = structuredClone(pkg);
			changed.course.summary = text;
			changed.actors[0].summary = text;
			changed.concerns[0].held_by[0].summary = text;
			changed.glossary[0].beyond_article = { note: text, source: text };
			changed.timeline[0].when = text;
			changed.lessons[0].key_points[0] = text;
			changed.course.article.date = '2024-08-01';
			changed.course.article.publisher = text;
			const { pkg: again, errors } = readPackage(writePackage(changed));
			expect(errors).toEqual([]);
			expect(comparablePackage(again!)).toEqual(comparablePackage(changed));
		}
	});

	it('numbers lesson files in order', () => {
		const written = writePackage(pkg);
		expect(Object.keys(written).filter((f) => f.startsWith('lessons/'))).toEqual([
			L01,
			L02,
			L03,
			'lessons/04-the-human-rights-objection.md',
			'lessons/05-we-already-have-budapest.md',
			L06
		]);
	});
});

describe('zip and JSON', () => {
	it('round-trips a zip with the files in a folder', () => {
		const zip = zipFromFiles(shipped, 'un-cybercrime-treaty');
		expect(filesFromZip(zip)).toEqual(shipped);
	});

	it('reads a zip with the files at the root, ignoring folders, __MACOSX and dotfiles', () => {
		const zip = zipSync({
			...Object.fromEntries(Object.entries(shipped).map(([p, t]) => [p, strToU8(t)])),
			'lessons/': new Uint8Array(0),
			'__MACOSX/._course.yaml': new Uint8Array([0, 1, 2, 255]),
			'.DS_Store': new Uint8Array([0, 255]),
			'lessons/.hidden.md': strToU8('x')
		});
		expect(filesFromZip(zip)).toEqual(shipped);
	});

	it('strips one top-level folder but not two different ones', () => {
		const zip = zipSync({ 'a/course.yaml': strToU8('x'), 'b/article.txt': strToU8('y') });
		expect(filesFromZip(zip)).toEqual({ 'a/course.yaml': 'x', 'b/article.txt': 'y' });
	});

	it('refuses more than 2 MB unpacked, non-zip bytes and non-UTF-8 files', () => {
		const big = zipSync({ 'course/article.txt': new Uint8Array(2 * 1024 * 1024 + 1).fill(65) });
		expect(() => filesFromZip(big)).toThrow(/larger than 2 MB/);
		expect(() => filesFromZip(strToU8('not a zip'))).toThrow(/not a zip file/);
		const binary = zipSync({ 'c/image.png': new Uint8Array([0x89, 0x50, 0xff, 0xfe]) });
		expect(() => filesFromZip(binary)).toThrow('image.png is not UTF-8 text');
	});

	it('round-trips JSON', () => {
		const json = jsonFromFiles(shipped);
		expect(JSON.parse(json).format).toBe('perspectives-course/1');
		expect(filesFromJson(json)).toEqual(shipped);
	});

	it('refuses malformed JSON with a clear message', () => {
		expect(() => filesFromJson('{')).toThrow(/not valid JSON/);
		expect(() => filesFromJson('{"files": {}}')).toThrow(/perspectives-course\/1/);
		expect(() => filesFromJson('{"format": "perspectives-course/1"}')).toThrow(/"files"/);
		expect(() =>
			filesFromJson('{"format": "perspectives-course/1", "files": {"course.yaml": 1}}')
		).toThrow(/course\.yaml/);
	});
});

describe('readPackage: files', () => {
	it('reports a missing file without a line', () => {
		const { 'timeline.yaml': _, ...files } = shipped;
		expect(errorsOf(files)).toEqual([
			{ file: 'timeline.yaml', line: null, message: 'missing file timeline.yaml' }
		]);
	});

	it('needs at least one lesson', () => {
		const files = Object.fromEntries(
			Object.entries(shipped).filter(([path]) => !path.startsWith('lessons/'))
		);
		expect(errorsOf(files)).toEqual([
			{
				file: 'lessons/',
				line: null,
				message: 'missing lessons: add at least one lessons/NN-name.md'
			}
		]);
	});

	it('refuses a Reference line at the end of article.txt', () => {
		const article = `${shipped['article.txt'].trimEnd()}\n\nReference: \n`;
		const errors = errorsOf({ ...shipped, 'article.txt': article });
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatchObject({ file: 'article.txt', line: article.split('\n').length - 1 });
		expect(errors[0].message).toMatch(/put the\s+reference in course\.yaml/);
	});

	it('joins the lines of a paragraph and counts paragraphs by blank lines', () => {
		const article = shipped['article.txt'].replace('. These firms', '.\n   These firms');
		const { pkg, errors } = readPackage({ ...shipped, 'article.txt': `\n\n${article}\n\n\n` });
		expect(errors).toEqual([]);
		expect(pkg!.paragraphs).toEqual(readPackage(shipped).pkg!.paragraphs);
	});

	it('orders lessons by the number in their file name, numerically', () => {
		const { [L01]: first, [L02]: second, ...rest } = shipped;
		const { pkg, errors } = readPackage({
			...rest,
			'lessons/10-what-the-treaty-is.md': first,
			'lessons/9-washingtons-case.md': second
		});
		expect(errors).toEqual([]);
		expect(pkg!.lessons.map((l) => l.slug).slice(-2)).toEqual([
			'washingtons-case',
			'what-the-treaty-is'
		]);
	});

	it('refuses a badly named lesson file', () => {
		const { [L01]: first, ...rest } = shipped;
		expect(errorsOf({ ...rest, 'lessons/intro.md': first })).toEqual([
			{
				file: 'lessons/intro.md',
				line: null,
				message: 'a lesson file is named lessons/NN-name.md, e.g. lessons/01-intro.md'
			}
		]);
	});

	it('trims blank lines around a lesson body', () => {
		const files = edit(L06, '---\n## Putting', '---\n\n\n## Putting');
		const { pkg } = readPackage({ ...files, [L06]: `${files[L06]}\n\n\n` });
		const body = pkg!.lessons[5].body;
		expect(body.startsWith('## Putting the pieces together')).toBe(true);
		expect(body.endsWith('and why?')).toBe(true);
	});

	it('never throws', () => {
		expect(() => readPackage({})).not.toThrow();
		expect(readPackage({ 'course.yaml': '' }).errors.length).toBeGreaterThan(0);
	});
});

describe('readPackage: YAML', () => {
	it('reports a syntax error on its line', () => {
		const files = edit('actors.yaml', '  stance: proposed\n', '  stance: proposed: yes\n');
		expect(errorsOf(files)).toEqual([
			{
				file: 'actors.yaml',
				line: lineOf(files['actors.yaml'], 'proposed: yes'),
				message: 'YAML syntax: Nested mappings are not allowed in compact mappings'
			}
		]);
	});

	it('reports a syntax error in lesson front matter on its line in the file', () => {
		const files = edit(L02, "title: Washington's case", "title: Washington's case: why");
		expect(errorsOf(files)).toEqual([
			{
				file: L02,
				line: lineOf(files[L02], 'case: why'),
				message: 'YAML syntax: Nested mappings are not allowed in compact mappings'
			}
		]);
	});

	it('reports a wrong value at the field', () => {
		const files = edit('actors.yaml', 'stance: proposed', 'stance: started');
		expect(errorsOf(files)).toEqual([
			{
				file: 'actors.yaml',
				line: lineOf(files['actors.yaml'], 'stance: started'),
				message: 'stance: must be one of supports, opposes, proposed, sceptical, decides, other'
			}
		]);
	});

	it('reports a missing field at the start of its entry', () => {
		const files = edit('actors.yaml', '  short: Russia\n', '');
		expect(errorsOf(files)).toEqual([
			{
				file: 'actors.yaml',
				line: lineOf(files['actors.yaml'], '- slug: russia'),
				message: 'missing field "short"'
			}
		]);
	});

	it('reports an unknown (misspelt) field', () => {
		const files = edit('timeline.yaml', '  cites: [3]', '  cite: [3]');
		expect(errorsOf(files)).toEqual([
			{
				file: 'timeline.yaml',
				line: lineOf(files['timeline.yaml'], '- when: Earlier in the year'),
				message: 'missing field "cites"'
			},
			{
				file: 'timeline.yaml',
				line: lineOf(files['timeline.yaml'], 'cite: [3]'),
				message: 'unknown field "cite"'
			}
		]);
	});

	it('reports a bad slug and a bad date', () => {
		const files = edit(
			'course.yaml',
			'slug: un-cybercrime-treaty\n',
			'slug: UN_treaty\n',
			edit('course.yaml', 'date: null', 'date: 2024-02-30')
		);
		const text = files['course.yaml'];
		expect(errorsOf(files)).toEqual([
			{
				file: 'course.yaml',
				line: 1,
				message: 'slug: "UN_treaty" is not a slug (a-z, 0-9 and single hyphens)'
			},
			{
				file: 'course.yaml',
				line: lineOf(text, 'date:'),
				message: 'date: must be a real date written YYYY-MM-DD, or null'
			}
		]);
	});

	it('reads a missing beyond_article as null and needs both its note and source', () => {
		expect(readPackage(shipped).pkg!.glossary[0].beyond_article).toBeNull();
		const files = edit(
			'glossary.yaml',
			'    source: Council of Europe, Convention on Cybercrime (ETS No. 185), 2001\n',
			''
		);
		expect(errorsOf(files)).toEqual([
			{
				file: 'glossary.yaml',
				line:
					lineOf(files['glossary.yaml'], "The Budapest Convention is the Council of Europe's") - 1,
				message: 'beyond_article needs both a note and a source'
			}
		]);
	});
});

describe('readPackage: citations', () => {
	it('reports a bad citation in a lesson body on its line', () => {
		const from = 'collaboration [¶2]. Keep the two sides apart';
		const files = edit(L03, from, from.replace('[¶2]', '[¶9]'));
		expect(errorsOf(files)).toEqual([
			{ file: L03, line: lineOf(files[L03], '[¶9]'), message: outOfRange(9) }
		]);
	});

	it('reports a bad citation inside a folded YAML block on its own line', () => {
		const files = edit('actors.yaml', 'misuse and overreach [¶2]', 'x [¶7]');
		const text = files['actors.yaml'];
		expect(lineOf(text, '[¶7]')).toBeGreaterThan(lineOf(text, 'summary: >-'));
		expect(errorsOf(files)).toEqual([
			{ file: 'actors.yaml', line: lineOf(text, '[¶7]'), message: outOfRange(7) }
		]);
	});

	it('reports a bad citation in lesson front matter, and paragraph 0', () => {
		const files = edit(L02, 'the global fight against cybercriminals. [¶2]', 'x. [¶0]');
		expect(errorsOf(files)).toEqual([
			{
				file: L02,
				line: lineOf(files[L02], '[¶0]'),
				message: 'cites ¶0 but the article has 4 paragraphs'
			}
		]);
	});

	it('reports a number in a cites list on its line', () => {
		const files = edit('actors.yaml', 'cites: [1, 2, 4]', 'cites: [1, 2, 9]');
		expect(errorsOf(files)).toEqual([
			{
				file: 'actors.yaml',
				line: lineOf(files['actors.yaml'], 'cites: [1, 2, 9]'),
				message: outOfRange(9)
			}
		]);
	});

	it('reports bad citations in questions: the [cite:] tag and the text', () => {
		const files = edit(
			'questions.gift',
			'// [id:q-what-treaty] [cite:1]',
			'// [id:q-what-treaty] [cite:1,5]',
			edit('questions.gift', 'cybercrime [¶4].\n~A U.S. law', 'cybercrime [¶6].\n~A U.S. law')
		);
		const text = files['questions.gift'];
		expect(errorsOf(files)).toEqual([
			{ file: 'questions.gift', line: 1, message: outOfRange(5) },
			{ file: 'questions.gift', line: lineOf(text, '[¶6]'), message: outOfRange(6) }
		]);
	});
});

describe('readPackage: cross-file rules', () => {
	it('reports an actor that holds no concern at the actor', () => {
		const extra = [
			'',
			'- slug: bystanders',
			'  name: Bystanders',
			'  short: Bystanders',
			'  stance: other',
			'  stance_label: Not in the article',
			'  summary: Nobody. [¶1]',
			'  cites: [1]',
			''
		].join('\n');
		const actors = shipped['actors.yaml'] + extra;
		expect(errorsOf({ ...shipped, 'actors.yaml': actors })).toEqual([
			{
				file: 'actors.yaml',
				line: lineOf(actors, '- slug: bystanders'),
				message: 'actor "bystanders" holds no concern: add it to a held_by list in concerns.yaml'
			}
		]);
	});

	it('reports a held_by entry with empty cites', () => {
		const from = '"could improve the global fight against cybercriminals" [¶2].\n      cites: [2]';
		const files = edit('concerns.yaml', from, from.replace('cites: [2]', 'cites: []'));
		expect(errorsOf(files)).toEqual([
			{
				file: 'concerns.yaml',
				line: lineOf(files['concerns.yaml'], 'cites: []'),
				message: 'cites: every held_by entry cites at least one paragraph, e.g. [1]'
			}
		]);
	});

	it('reports a concern that nobody holds', () => {
		const from = `  held_by:
    - actor: tech-firms
      kind: fear
      summary: >-
        The firms say the treaty could "expand police surveillance powers globally" [¶1].
      cites: [1]
`;
		const files = edit('concerns.yaml', from, '  held_by: []\n');
		expect(errorsOf(files)).toEqual([
			{
				file: 'concerns.yaml',
				line: lineOf(files['concerns.yaml'], 'held_by: []'),
				message: 'held_by: every concern is held by at least one actor'
			}
		]);
	});

	it('reports an unknown actor in held_by', () => {
		const from =
			'    - actor: tech-firms\n      kind: fear\n      summary: >-\n        The firms say the treaty could "limit';
		const files = edit('concerns.yaml', from, from.replace('tech-firms', 'tech-firm'));
		expect(errorsOf(files)).toEqual([
			{
				file: 'concerns.yaml',
				line: lineOf(files['concerns.yaml'], 'actor: tech-firm\n'),
				message: 'held_by: actor "tech-firm" is not in actors.yaml'
			}
		]);
	});

	it('reports unknown actors in lessons and question tags', () => {
		const files = edit(
			'questions.gift',
			'// [id:q-who-proposed] [actor:russia]',
			'// [id:q-who-proposed] [actor:moscow]',
			edit(L03, 'actors: [tech-firms]', 'actors: [tech-firms, tech-giants]')
		);
		expect(errorsOf(files)).toEqual([
			{
				file: L03,
				line: lineOf(files[L03], 'actors:'),
				message: 'actors: actor "tech-giants" is not in actors.yaml'
			},
			{
				file: 'questions.gift',
				line: lineOf(files['questions.gift'], '[actor:moscow]'),
				message: 'question "q-who-proposed": actor "moscow" is not in actors.yaml'
			}
		]);
	});

	it('reports an unknown concern tag on a question', () => {
		const files = edit(
			'questions.gift',
			'[id:q-russia-motive] [actor:russia] [concern:russian-influence]',
			'[id:q-russia-motive] [actor:russia] [concern:influence]'
		);
		expect(errorsOf(files)).toEqual([
			{
				file: 'questions.gift',
				line: lineOf(files['questions.gift'], '[concern:influence]'),
				message: 'question "q-russia-motive": concern "influence" is not in concerns.yaml'
			}
		]);
	});

	it('reports an unknown check id', () => {
		const files = edit(L02, 'q-us-why', 'q-us-whom');
		expect(errorsOf(files)).toEqual([
			{
				file: L02,
				line: lineOf(files[L02], 'check:'),
				message: 'check: question "q-us-whom" is not in questions.gift'
			}
		]);
	});

	it('reports a lesson body without a citation at its first line', () => {
		const text = shipped[L06];
		const start = text.indexOf('## Putting');
		const body = '## Putting the pieces together\n\nNo claims here, so no citations.\n';
		const lesson = text.slice(0, start) + body;
		expect(errorsOf({ ...shipped, [L06]: lesson })).toEqual([
			{
				file: L06,
				line: lineOf(lesson, '## Putting'),
				message: 'the lesson body cites no paragraph of the article ([¶n])'
			}
		]);
	});

	it('reports a question without an explanation, and one whose explanation does not cite', () => {
		// The explanation line (####…) of a question, found by its id so the test does not depend
		// on the wording of the shipped bank.
		const explanationOf = (gift: string, id: string) => {
			const block = gift.slice(gift.indexOf(`[id:${id}]`));
			return block.slice(block.indexOf('####'), block.indexOf('\n', block.indexOf('####')) + 1);
		};
		const gift = shipped['questions.gift'];
		const files = edit(
			'questions.gift',
			explanationOf(gift, 'q-who-proposed'),
			'####Russia proposed it.\n',
			edit('questions.gift', explanationOf(gift, 'q-year-numerical'), '')
		);
		const text = files['questions.gift'];
		expect(errorsOf(files)).toEqual([
			{
				file: 'questions.gift',
				line: lineOf(text, '####Russia proposed it.'),
				message:
					'the explanation (####) of question "q-who-proposed" cites no paragraph of the article ([¶n])'
			},
			{
				file: 'questions.gift',
				line: lineOf(text, '::The starting year::'),
				message:
					'question "q-year-numerical" has no explanation: add ####general feedback that cites the article'
			}
		]);
	});

	it('maps GIFT errors to questions.gift', () => {
		const files = edit('questions.gift', '// [id:q-who-proposed]', '// [id:q-what-treaty]');
		expect(errorsOf(files)).toEqual([
			{
				file: 'questions.gift',
				line: lineOf(files['questions.gift'], '::Who proposed it::'),
				message: 'duplicate id "q-what-treaty" (first used on line 2)'
			}
		]);
	});

	it('reports duplicate slugs and glossary terms', () => {
		const files = edit(
			'glossary.yaml',
			'- term: Security research',
			'- term: budapest convention',
			edit(
				'actors.yaml',
				'- slug: russia',
				'- slug: tech-firms',
				edit(L06, 'slug: weighing-it', 'slug: washingtons-case')
			)
		);
		const held = errorsOf(files);
		expect(held).toContainEqual({
			file: 'actors.yaml',
			line: lineOf(files['actors.yaml'], '- slug: tech-firms\n  name: Technology'),
			message: `duplicate actor slug "tech-firms" (first on line ${lineOf(files['actors.yaml'], '- slug: tech-firms\n  name: Russia')})`
		});
		expect(held).toContainEqual({
			file: 'glossary.yaml',
			line: lineOf(files['glossary.yaml'], '- term: budapest convention'),
			message: `duplicate glossary term "budapest convention" (first on line ${lineOf(files['glossary.yaml'], '- term: Budapest Convention')})`
		});
		expect(held).toContainEqual({
			file: L06,
			line: lineOf(files[L06], 'slug: washingtons-case'),
			message: `duplicate lesson slug "washingtons-case" (also in ${L02})`
		});
	});
});
