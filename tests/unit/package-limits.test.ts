import { describe, expect, it } from 'vitest';
import { filesFromJson, jsonFromFiles } from '../../src/lib/courses/archive.ts';
import { readPackageDir } from '../../src/lib/courses/fs.ts';
import {
	MAX_ARTICLE_PARAGRAPHS,
	MAX_LIST_ITEMS,
	MAX_REPORTED_ERRORS,
	readPackage
} from '../../src/lib/courses/read.ts';

const shipped = readPackageDir('content/un-cybercrime-treaty');

describe('package fields PostgreSQL cannot store', () => {
	it('a NUL written as \\u0000 in a JSON package is reported on its line, not a 500 at insert', () => {
		const json = jsonFromFiles({
			...shipped,
			'glossary.yaml': shipped['glossary.yaml'].replace('\n', '\n# a\u0000b\n')
		});
		expect(json).toContain('\\u0000');
		const { pkg, errors } = readPackage(filesFromJson(json));
		expect(pkg).toBeNull();
		expect(errors).toContainEqual({
			file: 'glossary.yaml',
			line: 2,
			message:
				'this line holds a NUL or a broken character (\\u0000 or a lone surrogate), which cannot be stored: remove it'
		});
	});

	it('a lone surrogate (\\ud800 in JSON) and a NUL in a file name are reported too', () => {
		const files = filesFromJson(
			'{"format":"perspectives-course/1","files":' +
				JSON.stringify(shipped).replace('"article.txt":"', '"article.txt":"\\ud800') +
				'}'
		);
		expect(readPackage(files).errors).toContainEqual(
			expect.objectContaining({ file: 'article.txt', line: 1 })
		);
		const named = readPackage({ ...shipped, 'lessons/07-a\u0000b.md': 'x' });
		expect(named.errors.map((e) => e.message)).toContain(
			'the file name holds a NUL or a broken character'
		);
	});
});

describe('package sizes', { timeout: 60_000 }, () => {
	it(`refuses an article of more than ${MAX_ARTICLE_PARAGRAPHS} paragraphs`, () => {
		const article = Array.from({ length: MAX_ARTICLE_PARAGRAPHS + 1 }, (_, i) => `P${i}.`);
		const { errors } = readPackage({ ...shipped, 'article.txt': article.join('\n\n') });
		expect(errors).toContainEqual({
			file: 'article.txt',
			line: null,
			message: `the article has ${MAX_ARTICLE_PARAGRAPHS + 1} paragraphs; at most ${MAX_ARTICLE_PARAGRAPHS} are allowed`
		});
	});

	it(`refuses more than ${MAX_LIST_ITEMS} questions, terms or events`, () => {
		const questions = Array.from(
			{ length: MAX_LIST_ITEMS + 1 },
			(_, i) => `// [id:q${i}] [cite:1]\nQuestion ${i}? {T}`
		).join('\n\n');
		const { errors } = readPackage({ ...shipped, 'questions.gift': questions });
		expect(errors).toContainEqual({
			file: 'questions.gift',
			line: null,
			message: `${MAX_LIST_ITEMS + 1} questions; at most ${MAX_LIST_ITEMS} are allowed`
		});
	});

	it('checks a lesson of 40,000 distinct out-of-range citations in linear time', () => {
		const file = 'lessons/01-what-the-treaty-is.md';
		const body = Array.from({ length: 40_000 }, (_, i) => `[¶${1000 + i}]`).join('\n');
		const start = performance.now();
		const { errors } = readPackage({ ...shipped, [file]: `${shipped[file]}\n${body}` });
		// Searching every line for every bad number took 28 s; one pass takes ~0.4 s.
		expect(performance.now() - start).toBeLessThan(5000);
		expect(errors[0]).toMatchObject({ file, message: expect.stringMatching(/¶1000/) });
	});

	it(`lists at most ${MAX_REPORTED_ERRORS} problems, and says how many more there are`, () => {
		const questions = Array.from({ length: 1000 }, (_, i) => `Question ${i}? {T}`).join('\n\n');
		const { errors } = readPackage({ ...shipped, 'questions.gift': questions });
		expect(errors).toHaveLength(MAX_REPORTED_ERRORS + 1);
		expect(errors.at(-1)!.message).toMatch(/^… and \d+ more problems, not listed here$/);
	});
});
