import { describe, expect, it } from 'vitest';
import { parseGift, serializeGift, type GiftQuestion } from '../../src/lib/gift/index.ts';

function only(src: string): GiftQuestion {
	const { questions, errors } = parseGift(src);
	expect(errors).toEqual([]);
	expect(questions).toHaveLength(1);
	return questions[0];
}

function errorsOf(src: string) {
	return parseGift(src).errors;
}

const withoutLine = (qs: GiftQuestion[]) => qs.map((q) => ({ ...q, line: 0 }));

describe('parseGift: question types', () => {
	it('reads the example from the course-package docs', () => {
		const q = only(`// [id:q-us-why] [actor:us-administration] [concern:law-enforcement] [cite:2]
::Why Washington supports it::What does the U.S. administration say the treaty could do?{
=Enhance international law-enforcement collaboration against cybercrime#Right: ¶2 says so.
~Extend Russia's influence over cybersecurity regulation#That is what ¶4 says of Russia.
####General feedback: the explanation, with citations. [¶2]
}
`);
		expect(q).toEqual({
			id: 'q-us-why',
			actor: 'us-administration',
			concern: 'law-enforcement',
			cites: [2],
			category: null,
			title: 'Why Washington supports it',
			prompt: 'What does the U.S. administration say the treaty could do?',
			type: 'mc',
			choices: [
				{
					text: 'Enhance international law-enforcement collaboration against cybercrime',
					correct: true,
					feedback: 'Right: ¶2 says so.'
				},
				{
					text: "Extend Russia's influence over cybersecurity regulation",
					correct: false,
					feedback: 'That is what ¶4 says of Russia.'
				}
			],
			explanation: 'General feedback: the explanation, with citations. [¶2]',
			line: 2
		});
	});

	it('reads multiple choice on one line, without title, actor or concern', () => {
		const q = only('// [id:q1] [cite:1, 3]\nWhich? {~a =b ~c}');
		expect(q).toMatchObject({
			title: null,
			actor: null,
			concern: null,
			cites: [1, 3],
			prompt: 'Which?',
			type: 'mc',
			choices: [
				{ text: 'a', correct: false, feedback: null },
				{ text: 'b', correct: true, feedback: null },
				{ text: 'c', correct: false, feedback: null }
			],
			explanation: null
		});
	});

	it('reads multiple answer with weights', () => {
		const q = only(`// [id:q2] [cite:1]
Which two? {
~%50%one#yes
~%50%two
~%-100%three#no
~four
}`);
		expect(q).toMatchObject({
			type: 'multi',
			options: [
				{ text: 'one', weight: 50, feedback: 'yes' },
				{ text: 'two', weight: 50, feedback: null },
				{ text: 'three', weight: -100, feedback: 'no' },
				{ text: 'four', weight: 0, feedback: null }
			]
		});
	});

	it('accepts weights that add up to 100 within half a percent', () => {
		const q = only('// [id:q3] [cite:1]\nQ{~%33.333%a ~%33.333%b ~%33.333%c ~%-50%d}');
		expect(q.type).toBe('multi');
	});

	it('reads true/false with Moodle feedback order (if wrong, then if right)', () => {
		expect(only('// [id:t1] [cite:1]\nThe sky is blue.{T}')).toMatchObject({
			type: 'tf',
			answer: true,
			feedbackIfWrong: null,
			feedbackIfRight: null
		});
		expect(
			only('// [id:t2] [cite:1]\nIt passed.{FALSE#No, ¶2 says it failed.#Right.####Why [¶2]}')
		).toMatchObject({
			type: 'tf',
			answer: false,
			feedbackIfWrong: 'No, ¶2 says it failed.',
			feedbackIfRight: 'Right.',
			explanation: 'Why [¶2]'
		});
		expect(only('// [id:t3] [cite:1]\nQ{TRUE}')).toMatchObject({ type: 'tf', answer: true });
	});

	it('reads short answer', () => {
		expect(only('// [id:s1] [cite:1]\nWho decides? {=the General Assembly =UNGA}')).toMatchObject({
			type: 'short',
			answers: ['the General Assembly', 'UNGA']
		});
	});

	it('reads matching', () => {
		expect(
			only(`// [id:m1] [cite:1,2]
Match them.{
=Russia -> proposed the treaty
=Tech firms -> fear it
=EFF -> opposes -> loudly
}`)
		).toMatchObject({
			type: 'matching',
			pairs: [
				{ left: 'Russia', right: 'proposed the treaty' },
				{ left: 'Tech firms', right: 'fear it' },
				{ left: 'EFF', right: 'opposes -> loudly' }
			]
		});
	});

	it('reads numerical answers', () => {
		expect(only('// [id:n1] [cite:1]\nYear?{#2017}')).toMatchObject({
			type: 'numerical',
			answer: { kind: 'exact', value: 2017, tolerance: 0 }
		});
		expect(only('// [id:n2] [cite:1]\nYear?{#2017:1.5}')).toMatchObject({
			answer: { kind: 'exact', value: 2017, tolerance: 1.5 }
		});
		expect(only('// [id:n3] [cite:1]\nHow many?{#-10..20}')).toMatchObject({
			answer: { kind: 'range', min: -10, max: 20 }
		});
		expect(only('// [id:n4] [cite:1]\nYear?{#2017####It was ¶1.}')).toMatchObject({
			answer: { kind: 'exact', value: 2017, tolerance: 0 },
			explanation: 'It was ¶1.'
		});
	});

	it('handles escapes, multi-line prompts, comments and categories', () => {
		const src = [
			'$CATEGORY: $course$/treaty',
			'',
			'// a plain comment',
			'// [id:e1] [cite:4]',
			'::A\\: title::Is 1\\=1 \\{really\\}? Use \\\\ and',
			'a second line\\nand a break.{',
			'// a comment between answers',
			'=yes \\~ \\# \\= \\{ \\}#a\\#b',
			'~no: \\x',
			'}'
		].join('\n');
		const q = only(src);
		expect(q).toMatchObject({
			title: 'A: title',
			prompt: 'Is 1=1 {really}? Use \\ and\na second line\nand a break.',
			choices: [
				{ text: 'yes ~ # = { }', correct: true, feedback: 'a#b' },
				{ text: 'no: \\x', correct: false, feedback: null }
			],
			category: 'treaty',
			line: 5
		});
	});

	it('gives each question the line it starts on, with CRLF line ends', () => {
		const src = '// [id:a] [cite:1]\r\nA{T}\r\n\r\n\r\n// [id:b] [cite:1]\r\n::B::\r\nB{F}\r\n';
		expect(parseGift(src).questions.map((q) => [q.id, q.line])).toEqual([
			['a', 2],
			['b', 6]
		]);
	});

	it('reads an empty source as no questions', () => {
		expect(parseGift('')).toEqual({ questions: [], errors: [], rejected: 0 });
		expect(parseGift('\n// only a comment\n\n')).toEqual({
			questions: [],
			errors: [],
			rejected: 0
		});
	});
});

describe('parseGift: errors', () => {
	it('reads a question without our tags: no id, no citations, no actor or concern', () => {
		expect(only('\n// just a comment\nQ?{T}')).toMatchObject({
			id: null,
			cites: [],
			actor: null,
			concern: null,
			category: null,
			line: 3
		});
		const { questions, errors } = parseGift('// [id:x]\n\nQ?{T}');
		expect(errors).toEqual([{ line: 1, message: 'tag line is not followed by a question' }]);
		expect(questions).toMatchObject([{ id: null, line: 3 }]);
	});

	it('checks tag values on the tag line', () => {
		const errors = errorsOf('// [id:q x] [actor:Big Tech] [cite:0,2] [colour:red]\nQ{T}');
		expect(errors.map((e) => e.line)).toEqual([1, 1, 1, 1]);
		expect(errors.map((e) => e.message)).toEqual([
			expect.stringContaining('id "q x"'),
			expect.stringContaining('actor "Big Tech" is not a slug'),
			expect.stringContaining('cite must list positive paragraph numbers'),
			expect.stringContaining('unknown tag [colour:red]')
		]);
		expect(parseGift('// [id:q x]\nQ{T}')).toMatchObject({ questions: [], rejected: 1 });
		expect(errorsOf('// [id:a] [cite:x]\nQ{T}')[0].message).toContain('cite must list');
		expect(errorsOf('// [id:a] [id:b] [cite:1]\nQ{T}')[0]).toEqual({
			line: 1,
			message: 'tag [id:…] appears twice'
		});
	});

	it('reports duplicate ids at the second question', () => {
		const src = '// [id:dup] [cite:1]\nA{T}\n\n// [id:dup] [cite:1]\nB{F}';
		const { questions, errors } = parseGift(src);
		expect(errors).toEqual([{ line: 5, message: 'duplicate id "dup" (first used on line 2)' }]);
		expect(questions.map((q) => q.prompt)).toEqual(['A']);
	});

	it('reports an unclosed brace on the line of the {', () => {
		const src = '// [id:a] [cite:1]\nQ one\n{=a\n~b\n\n// [id:b] [cite:1]\nQ two{T}';
		const { questions, errors } = parseGift(src);
		expect(errors).toEqual([{ line: 3, message: expect.stringContaining('unclosed {') }]);
		// Parsing goes on after a broken question.
		expect(questions.map((q) => q.id)).toEqual(['b']);
	});

	it('reports a second { before the } as unclosed', () => {
		expect(errorsOf('// [id:a] [cite:1]\nQ{=a ~b\nR{=c ~d}')).toEqual([
			{ line: 2, message: expect.stringContaining('unclosed {') }
		]);
	});

	it('reports questions without an answer block or text', () => {
		expect(errorsOf('// [id:a] [cite:1]\nJust text')).toEqual([
			{
				line: 2,
				message: expect.stringContaining('is a description in Moodle, which is not supported')
			}
		]);
		expect(errorsOf('// [id:a] [cite:1]\n::Title::{T}')).toEqual([
			{ line: 2, message: 'question has no text' }
		]);
		expect(errorsOf('// [id:a] [cite:1]\nQ{\n}')).toEqual([
			{
				line: 2,
				message: expect.stringContaining('is an essay question in Moodle, which is not supported')
			}
		]);
		expect(errorsOf('// [id:a] [cite:1]\n::Title {T}')).toEqual([
			{ line: 2, message: 'title has no closing ::' }
		]);
	});

	it('reads text after the answer block as the missing-word form, with a blank', () => {
		expect(only('// [id:a] [cite:1]\nThe sky {T}\nis blue.')).toMatchObject({
			type: 'tf',
			prompt: 'The sky _____\nis blue.'
		});
	});

	it('reports multiple choice without or with several right answers', () => {
		expect(errorsOf('// [id:a] [cite:1]\nQ{\n~a\n~b\n}')).toEqual([
			{ line: 2, message: 'multiple-choice question has no right answer (=)' }
		]);
		expect(errorsOf('// [id:a] [cite:1]\nQ{\n=a\n~b\n=c\n}')).toEqual([
			{ line: 5, message: expect.stringContaining('more than one right answer') }
		]);
	});

	it('reports type mixes on the offending answer', () => {
		expect(errorsOf('// [id:a] [cite:1]\nQ{\n=a -> b\n=c -> d\n~e\n}')).toEqual([
			{ line: 5, message: expect.stringContaining('matching questions take only') }
		]);
		expect(errorsOf('// [id:a] [cite:1]\nQ{\n~%100%a\n=b\n}')).toEqual([
			{ line: 4, message: expect.stringContaining('multiple-answer questions use ~%weight%') }
		]);
		expect(errorsOf('// [id:a] [cite:1]\nQ{\n=%50%a\n=b\n}')).toEqual([
			{ line: 3, message: expect.stringContaining('partial credit (%50%) on a short answer') }
		]);
		expect(errorsOf('// [id:a] [cite:1]\nQ{\n=%50%a\n~b\n}')).toEqual([
			{ line: 3, message: expect.stringContaining('weights are only supported') }
		]);
		expect(errorsOf('// [id:a] [cite:1]\nQ{\n=a#feedback\n=b\n}')).toEqual([
			{ line: 3, message: expect.stringContaining('short answers take no #feedback') }
		]);
	});

	it('checks multiple-answer weights', () => {
		expect(errorsOf('// [id:a] [cite:1]\nQ{\n~%50%a\n~%40%b\n~c\n}')).toEqual([
			{ line: 2, message: 'weights of the right options add up to 90%, not 100%' }
		]);
		expect(errorsOf('// [id:a] [cite:1]\nQ{\n~%100%a\n~%-150%b\n}')).toEqual([
			{ line: 4, message: 'weight must be between -100% and 100%' }
		]);
	});

	it('checks matching pairs', () => {
		expect(errorsOf('// [id:a] [cite:1]\nQ{\n=a -> b\n}')).toEqual([
			{ line: 2, message: 'matching question needs at least 2 pairs' }
		]);
		expect(errorsOf('// [id:a] [cite:1]\nQ{\n=a -> b\n= -> c\n}')).toEqual([
			{ line: 4, message: 'matching pair needs text on both sides of ->' }
		]);
	});

	it('checks numerical and true/false answers', () => {
		expect(errorsOf('// [id:a] [cite:1]\nQ{#twenty}')[0].message).toContain(
			'numerical answer must be'
		);
		expect(errorsOf('// [id:a] [cite:1]\nQ{#20..10}')[0].message).toContain('ends below');
		expect(errorsOf('// [id:a] [cite:1]\nQ{#5:-1}')[0].message).toContain('cannot be negative');
		expect(errorsOf('// [id:a] [cite:1]\nQ{T#a#b#c}')[0].message).toContain('at most two');
		expect(errorsOf('// [id:a] [cite:1]\nQ{\nmaybe\n}')).toEqual([
			{ line: 3, message: expect.stringContaining('answers start with = or ~') }
		]);
	});

	it('reports a tag line that is not directly before its question', () => {
		const src = '// [id:a] [cite:1]\nA{T}\n// [id:b] [cite:1]\nB{F}';
		expect(errorsOf(src)).toEqual([
			{ line: 3, message: expect.stringContaining('tag line must come directly before') },
			{ line: 4, message: expect.stringContaining('a question holds one answer block') }
		]);
	});

	it('leaves questions with errors out but keeps the valid ones', () => {
		const src = '// [id:a] [cite:1]\nA{~x ~y}\n\n// [id:b] [cite:1]\nB{T}';
		const { questions, errors } = parseGift(src);
		expect(errors).toHaveLength(1);
		expect(questions.map((q) => q.id)).toEqual(['b']);
	});

	it('never throws, whatever the input', () => {
		const inputs = ['{', '}', '::', '::a::', '{#}', '{=}', '{~}', '\\', '{T#', '// [', '{=->}'];
		for (const input of inputs) {
			expect(() => parseGift(input)).not.toThrow();
			expect(() => parseGift(`// [id:a] [cite:1]\nQ${input}`)).not.toThrow();
		}
	});
});

describe('serializeGift', () => {
	const base = {
		actor: null,
		concern: null,
		cites: [1],
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
			title: 'Why: {the} question?',
			prompt: 'Is 1=1? Say ~yes~ or #no: {maybe}\nNext line \\ backslash',
			type: 'mc',
			choices: [
				{ text: 'Right = {correct} ~ #1', correct: true, feedback: 'Yes: ¶2 #says\nso' },
				{ text: 'Wrong: 50% \\n literal', correct: false, feedback: null }
			],
			explanation: 'Because [¶2] says {so} = #true ~ ok'
		},
		{
			...base,
			id: 'q-multi',
			prompt: ':starts with a colon',
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
			id: 'q-tf1',
			prompt: 'True?',
			type: 'tf',
			answer: true,
			feedbackIfWrong: null,
			feedbackIfRight: 'Well done #1',
			explanation: 'See [¶1].'
		},
		{
			...base,
			id: 'q-tf2',
			prompt: 'False?',
			type: 'tf',
			answer: false,
			feedbackIfWrong: 'Not so',
			feedbackIfRight: null
		},
		{
			...base,
			id: 'q-tf3',
			prompt: 'Plain?',
			type: 'tf',
			answer: false,
			feedbackIfWrong: null,
			feedbackIfRight: null
		},
		{
			...base,
			id: 'q-short',
			prompt: 'Who?',
			type: 'short',
			answers: ['UN = United Nations', 'U.N.']
		},
		{
			...base,
			id: 'q-match',
			title: 'Pairs',
			prompt: 'Match',
			type: 'matching',
			pairs: [
				{ left: 'A ~ a', right: 'one -> two' },
				{ left: 'B = b', right: '{two}' }
			]
		},
		{
			...base,
			id: 'q-num1',
			prompt: 'Year?',
			type: 'numerical',
			answer: { kind: 'exact', value: 2017, tolerance: 0 }
		},
		{
			...base,
			id: 'q-num2',
			prompt: 'Share?',
			type: 'numerical',
			answer: { kind: 'exact', value: -0.5, tolerance: 0.25 },
			explanation: 'Half'
		},
		{
			...base,
			id: 'q-num3',
			prompt: 'Range?',
			type: 'numerical',
			answer: { kind: 'range', min: 10, max: 20.5 }
		}
	];

	it('round-trips a varied sample through parseGift', () => {
		const text = serializeGift(sample);
		const { questions, errors } = parseGift(text);
		expect(errors).toEqual([]);
		expect(withoutLine(questions)).toEqual(withoutLine(sample));
	});

	it('writes the tag line and the documented layout', () => {
		expect(serializeGift([sample[0]]).split('\n').slice(0, 2)).toEqual([
			'// [id:q-mc] [actor:us-administration] [concern:law-enforcement] [cite:2,4]',
			'::Why\\: {the} question?::Is 1=1? Say ~yes~ or #no: \\{maybe\\}\\nNext line \\\\ backslash{'
		]);
		expect(serializeGift([sample[7]])).toBe('// [id:q-num1] [cite:1]\nYear?{#2017}\n');
		expect(serializeGift([])).toBe('');
	});

	it('round-trips a parsed file', () => {
		const src = `// [id:q-a] [actor:eff] [cite:1,4]
::Title::Prompt with [¶1]{
=right#Right: ¶1.
~wrong
####Explanation [¶4]
}

// [id:q-b] [cite:2]
Year{#2017:2}
`;
		const first = parseGift(src).questions;
		expect(withoutLine(parseGift(serializeGift(first)).questions)).toEqual(withoutLine(first));
		expect(serializeGift(first)).toBe(src);
	});
});

describe('the [points:] tag', () => {
	it('gives a question its weight, written back only when it is not 1', () => {
		const src = [
			'// [id:q1] [cite:1] [points:2.5]',
			'Who proposed it?{=Russia ~France}',
			'',
			'// [id:q2] [cite:1]',
			'Is it a treaty?{T}'
		].join('\n');
		const { questions, errors } = parseGift(src);
		expect(errors).toEqual([]);
		expect(questions.map((q) => q.points)).toEqual([2.5, undefined]);
		const again = serializeGift(questions);
		expect(again).toContain('[points:2.5]');
		expect(again.match(/\[points:/g)).toHaveLength(1);
		expect(parseGift(again).questions.map((q) => q.points)).toEqual([2.5, undefined]);
	});

	it.each(['0', '-1', '101', 'two', '1e2', ''])('refuses [points:%s] with its line', (value) => {
		const { questions, errors } = parseGift(`// [id:q1] [cite:1] [points:${value}]\nQ?{T}`);
		expect(questions).toEqual([]);
		expect(errors).toEqual([
			{ line: 1, message: expect.stringMatching(/^points must be a number/) }
		]);
	});
});
