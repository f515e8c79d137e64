/**
 * quizzes.yaml: a package's quizzes, each a list of slots (a question of the bank by id, or N
 * drawn at random by actor and/or concern). Optional: without it a course gets its quizzes made
 * from the bank.
 */
import { describe, expect, it } from 'vitest';
import { readPackageDir } from '../../src/lib/courses/fs.ts';
import { readPackage } from '../../src/lib/courses/read.ts';
import { comparablePackage, writePackage } from '../../src/lib/courses/write.ts';

const shipped = readPackageDir('content/un-cybercrime-treaty');
const withQuizzes = (text: string) => ({ ...shipped, 'quizzes.yaml': text });

describe('quizzes.yaml', () => {
	it('gives the shipped course its quizzes, a mixed final drawing from every actor', () => {
		const { pkg, errors } = readPackage(shipped);
		expect(errors).toEqual([]);
		const final = pkg!.quizzes!.find((q) => q.slug === 'who-is-concerned-about-what')!;
		const drawn = final.slots.flatMap((s) => ('draw' in s ? [s.actor] : []));
		expect(new Set(drawn)).toEqual(new Set(pkg!.actors.map((a) => a.slug)));
		expect(pkg!.quizzes!.map((q) => q.title)).toContain('What do the human-rights groups fear?');
	});

	it('is optional: without it the package has no quizzes of its own', () => {
		const { 'quizzes.yaml': _, ...files } = shipped;
		const { pkg, errors } = readPackage(files);
		expect(errors).toEqual([]);
		expect(pkg!.quizzes).toBeUndefined();
	});

	it('writes and reads back the same quizzes', () => {
		const { pkg } = readPackage(
			withQuizzes(
				[
					'- slug: mixed',
					'  title: Mixed',
					'  questions:',
					'    - q-us-why',
					'    - draw: 3',
					'    - draw: 1',
					'      concern: security-research',
					'',
					'- slug: empty',
					'  title: Not written yet',
					'  description: Slots come later.',
					'  questions: []'
				].join('\n')
			)
		);
		expect(pkg!.quizzes).toEqual([
			{
				slug: 'mixed',
				title: 'Mixed',
				description: '',
				slots: [
					{ question: 'q-us-why' },
					{ draw: 3, actor: null, concern: null },
					{ draw: 1, actor: null, concern: 'security-research' }
				]
			},
			{ slug: 'empty', title: 'Not written yet', description: 'Slots come later.', slots: [] }
		]);
		const again = readPackage(writePackage(pkg!));
		expect(again.errors).toEqual([]);
		expect(comparablePackage(again.pkg!)).toEqual(comparablePackage(pkg!));
	});

	it.each([
		['    - q-nowhere', 4, 'question "q-nowhere" is not in questions.gift'],
		['    - draw: 2\n      actor: nobody', 5, 'actor "nobody" is not in actors.yaml'],
		['    - draw: 2\n      concern: nothing', 5, 'concern "nothing" is not in concerns.yaml'],
		['    - draw: 0', 4, 'draw at least 1 question'],
		['    - draw: 101', 4, 'draw at most 100 questions'],
		['    - draw: 2\n      actors: russia', 5, 'unknown field "actors"'],
		['    - 7', 4, 'each slot is a question id']
	])('refuses %j at its line', (slot, line, message) => {
		const { pkg, errors } = readPackage(
			withQuizzes(`- slug: one\n  title: One\n  questions:\n${slot}\n`)
		);
		expect(pkg).toBeNull();
		expect(errors).toEqual([
			{ file: 'quizzes.yaml', line, message: expect.stringContaining(message) }
		]);
	});

	it('refuses a question that needs a citation, and a slug used twice', () => {
		const files = {
			...withQuizzes(
				'- slug: one\n  title: One\n  questions: [q-uncited]\n\n- slug: one\n  title: Again\n  questions: []\n'
			),
			'questions.gift': `${shipped['questions.gift'].trimEnd()}\n\n// [id:q-uncited]\nWho?{=Russia ~France}\n`
		};
		const { errors } = readPackage(files);
		expect(errors.map((e) => [e.line, e.message])).toEqual([
			[3, expect.stringContaining('"q-uncited" needs a citation')],
			[5, expect.stringContaining('duplicate quiz slug "one"')]
		]);
	});
});
