/**
 * A package's questions.gift may hold questions that need a citation (no [cite:]), as a bank
 * imported from Moodle does; it still names every question with [id:], keeps the article's rules
 * for the questions that cite, keeps the categories, and lets no lesson check ask an uncited one.
 */
import { describe, expect, it } from 'vitest';
import { readPackageDir } from '../../src/lib/courses/fs.ts';
import { readPackage } from '../../src/lib/courses/read.ts';
import { comparablePackage, writePackage } from '../../src/lib/courses/write.ts';

const shipped = readPackageDir('content/un-cybercrime-treaty');
const withQuestions = (extra: string) => ({
	...shipped,
	'questions.gift': `${shipped['questions.gift'].trimEnd()}\n\n${extra}\n`
});
const lineOf = (text: string, needle: string) => text.split('\n').indexOf(needle) + 1;

describe('a package with questions that need a citation', () => {
	it('reads uncited questions, with or without tags and explanation, and their categories', () => {
		const files = withQuestions(
			'$CATEGORY: $course$/top/From Moodle/Week 1\n\n' +
				'// [id:q-moodle-1]\n::Grant::Grant is {~buried =entombed} in his tomb.\n\n' +
				'// [id:q-moodle-2] [actor:russia]\nWho proposed it first?{=Russia}'
		);
		const { pkg, errors } = readPackage(files);
		expect(errors).toEqual([]);
		const added = pkg!.questions.slice(-2);
		expect(added).toMatchObject([
			{ id: 'q-moodle-1', cites: [], explanation: null, category: 'From Moodle/Week 1' },
			{ id: 'q-moodle-2', cites: [], actor: 'russia', category: 'From Moodle/Week 1' }
		]);
		expect(added[0].prompt).toBe('Grant is _____ in his tomb.');

		// Written out and read back, the package is the same, categories included.
		const again = readPackage(writePackage(pkg!));
		expect(again.errors).toEqual([]);
		expect(comparablePackage(again.pkg!)).toEqual(comparablePackage(pkg!));
		expect(writePackage(pkg!)['questions.gift']).toContain(
			'$CATEGORY: $course$/top/From Moodle/Week 1'
		);
	});

	it('still requires an [id:] for every question of a package', () => {
		const files = withQuestions('Who proposed it first?{=Russia}');
		const { pkg, errors } = readPackage(files);
		expect(pkg).toBeNull();
		expect(errors).toEqual([
			{
				file: 'questions.gift',
				line: lineOf(files['questions.gift'], 'Who proposed it first?{=Russia}'),
				message: 'question has no [id:…] tag'
			}
		]);
	});

	it('keeps the rules for a question that cites: an explanation that cites, in range', () => {
		const files = withQuestions(
			'// [id:q-a] [cite:1]\nNo explanation?{T}\n\n' +
				'// [id:q-b] [cite:1]\nAn explanation without a citation?{T####Because.}\n\n' +
				'// [id:q-c] [cite:999]\nFar away?{T####See [¶1].}'
		);
		const text = files['questions.gift'];
		const messages = readPackage(files).errors.map((e) => [e.line, e.message]);
		expect(messages).toEqual([
			[
				lineOf(text, 'No explanation?{T}'),
				'question "q-a" has no explanation: add ####general feedback that cites the article'
			],
			[
				lineOf(text, 'An explanation without a citation?{T####Because.}'),
				'the explanation (####) of question "q-b" cites no paragraph of the article ([¶n])'
			],
			[lineOf(text, '// [id:q-c] [cite:999]'), expect.stringMatching(/^cites ¶999 but the article/)]
		]);
	});

	it('refuses a lesson check that asks a question needing a citation', () => {
		const file = 'lessons/01-what-the-treaty-is.md';
		const files = {
			...withQuestions('// [id:q-uncited]\nIs it uncited?{T}'),
			[file]: shipped[file].replace(/^check: \[/m, 'check: [q-uncited, ')
		};
		expect(readPackage(files).errors).toEqual([
			{
				file,
				line: files[file].split('\n').findIndex((l) => l.startsWith('check: [q-uncited, ')) + 1,
				message:
					'check: question "q-uncited" needs a citation ([cite:…]) before a lesson can ask it'
			}
		]);
	});
});
