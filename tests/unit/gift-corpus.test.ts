/**
 * GIFT files as instructors bring them: valid ones in the manner of Moodle's documentation and
 * of a Moodle export (gift-corpus/valid/NAME.gift, with the questions expected in
 * NAME.expected.json), and malformed ones (gift-corpus/malformed/), each saying in its own
 * comments which errors it must give: `// expect LINE: part of the message`, and `// good: N`
 * for the questions that must still be read.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGift, serializeGift, type GiftQuestion } from '../../src/lib/gift/index.ts';
import { renderInline } from '../../src/lib/markdown/index.ts';

const DIR = join(import.meta.dirname, 'gift-corpus');
const read = (path: string) => readFileSync(join(DIR, path), 'utf8');
const files = (folder: string) =>
	readdirSync(join(DIR, folder))
		.filter((f) => f.endsWith('.gift'))
		.sort();
const withoutLine = (qs: GiftQuestion[]) => qs.map(({ line: _line, ...q }) => q);

describe('GIFT corpus: valid files', () => {
	it('has the files', () => {
		expect(files('valid').length).toBeGreaterThanOrEqual(4);
	});

	for (const file of files('valid')) {
		describe(file, () => {
			const src = read(`valid/${file}`);
			const parsed = parseGift(src);

			it('reads every question, as expected', () => {
				expect(parsed.errors).toEqual([]);
				expect(parsed.rejected).toBe(0);
				const expected = JSON.parse(read(`valid/${file.replace(/\.gift$/, '.expected.json')}`));
				expect(parsed.questions).toMatchObject(expected);
			});

			it('round-trips: parse(serialize(questions)) gives the same questions', () => {
				const again = parseGift(serializeGift(parsed.questions));
				expect(again.errors).toEqual([]);
				expect(withoutLine(again.questions)).toEqual(withoutLine(parsed.questions));
			});
		});
	}

	it('renders a missing-word blank and text from [html] as visible text, never as markup', () => {
		const [tomb] = parseGift("Grant is {~buried =entombed} in Grant's tomb.").questions;
		expect(renderInline(tomb.prompt, { citationHref: () => '' })).toContain('_____');
		const [unsafe] = parseGift(read('valid/html-unsafe.gift')).questions;
		const html = renderInline(unsafe.prompt, { citationHref: () => '' });
		expect(html).toBe('Is &lt;b&gt;this&lt;/b&gt; shown as text?');
	});
});

interface Expected {
	errors: { line: number; message: string }[];
	good: number;
}

function expectationsOf(src: string): Expected {
	const errors = [...src.matchAll(/^\/\/ expect (\d+): (.*)$/gm)].map((m) => ({
		line: Number(m[1]),
		message: m[2].trim()
	}));
	const good = /^\/\/ good: (\d+)$/m.exec(src);
	return { errors, good: good ? Number(good[1]) : 0 };
}

describe('GIFT corpus: malformed files', () => {
	it('has the files', () => {
		expect(files('malformed').length).toBeGreaterThanOrEqual(12);
	});

	for (const file of files('malformed')) {
		it(`${file}: each error on its line, with its reason; the rest still read`, () => {
			const src = read(`malformed/${file}`);
			const expected = expectationsOf(src);
			expect(expected.errors.length, 'the file says what it expects').toBeGreaterThan(0);
			const { questions, errors, rejected } = parseGift(src);
			expect(errors).toEqual(
				expected.errors.map((e) => ({ line: e.line, message: expect.stringContaining(e.message) }))
			);
			expect(questions).toHaveLength(expected.good);
			expect(rejected).toBeGreaterThan(0);
		});
	}
});

describe('serializeGift: round trip of every type, with categories and odd text', () => {
	const base = {
		id: null,
		actor: null,
		concern: null,
		cites: [],
		category: null,
		title: null,
		explanation: null,
		line: 0
	};
	const sample: GiftQuestion[] = [
		{
			...base,
			id: 'q-mc',
			actor: 'us-administration',
			concern: 'law-enforcement',
			cites: [2, 4],
			category: 'Treaty/Why it matters',
			title: 'Why: {the} question?',
			prompt: '[html] is not a marker here; 1=1? ~yes~ #no {maybe}\nNext \\ line',
			type: 'mc',
			choices: [
				{ text: '// not a comment = {right} ~ #1', correct: true, feedback: 'Yes: ¶2 #says\nso' },
				{ text: '[plain]wrong: 50% \\n literal', correct: false, feedback: '[html]<b>kept</b>' }
			],
			explanation: 'Because [¶2] says {so} = #true ~ ok'
		},
		{
			...base,
			category: 'Treaty/Why it matters',
			prompt: '$CATEGORY: is text here',
			type: 'multi',
			options: [
				{ text: 'a', weight: 33.333, feedback: 'one #1' },
				{ text: 'b', weight: 33.333, feedback: null },
				{ text: 'c', weight: 33.334, feedback: null },
				{ text: 'd', weight: -100, feedback: 'never' },
				{ text: 'e', weight: 0, feedback: null }
			]
		},
		{
			...base,
			category: 'Other',
			title: 'Blank',
			prompt: 'Grant is _____ in his tomb.',
			type: 'tf',
			answer: true,
			feedbackIfWrong: null,
			feedbackIfRight: 'Well done #1',
			explanation: 'See [¶1].'
		},
		{
			...base,
			prompt: ':starts with a colon, after a category ends',
			type: 'tf',
			answer: false,
			feedbackIfWrong: 'Not so',
			feedbackIfRight: null
		},
		{
			...base,
			id: 'q-short',
			cites: [1],
			category: 'Unicode ¶ «ß»',
			prompt: 'Who? — «Ünïcödé» 😀',
			type: 'short',
			answers: ['UN = United Nations', '[html]U.N.']
		},
		{
			...base,
			category: 'Unicode ¶ «ß»',
			prompt: 'Match',
			type: 'matching',
			pairs: [
				{ left: 'A ~ a', right: 'one -> two' },
				{ left: 'B = b', right: '[html]{two}' }
			]
		},
		{
			...base,
			prompt: 'Year?',
			type: 'numerical',
			answer: { kind: 'exact', value: -0.5, tolerance: 0.25 },
			explanation: '//Half'
		},
		{
			...base,
			prompt: 'Range?',
			type: 'numerical',
			answer: { kind: 'range', min: 10, max: 20.5 }
		},
		{
			...base,
			id: 'q-order',
			cites: [3],
			prompt: 'Order',
			type: 'ordering',
			items: ['first = 1', 'second #2', 'third {3}']
		}
	];

	it('parse(serialize(x)) deep-equals x', () => {
		const text = serializeGift(sample);
		const { questions, errors } = parseGift(text);
		expect(errors).toEqual([]);
		expect(withoutLine(questions)).toEqual(withoutLine(sample));
	});

	it('writes categories as Moodle does, and tags only when set', () => {
		const text = serializeGift(sample);
		expect(text.startsWith('$CATEGORY: $course$/top/Treaty/Why it matters\n\n// [id:q-mc]')).toBe(
			true
		);
		expect(text).toContain('\n$CATEGORY: \n\n\\:starts');
		expect(text).toContain('\n[markdown]$CATEGORY: is text here{');
		expect(text).not.toContain('[cite:]');
	});
});
