import { describe, expect, it } from 'vitest';
import type { GiftAnswer } from '../../src/lib/gift/index.ts';
import {
	actorMatcher,
	attemptConfusions,
	canShowConfusion,
	confusionSentence,
	normaliseActorText,
	questionConfusions,
	shareInWords,
	tallyConfusions,
	type CourseActor
} from '../../src/lib/quiz/misattribution.ts';

const US = 1;
const RUSSIA = 2;
const FIRMS = 3;
const GROUPS = 4;
const ACTORS: CourseActor[] = [
	{ id: US, slug: 'us', name: 'The U.S. (Biden) administration', short: 'U.S. administration' },
	{ id: RUSSIA, slug: 'russia', name: 'Russia', short: 'Russia' },
	{ id: FIRMS, slug: 'firms', name: 'Western technology companies', short: 'Tech firms' },
	{ id: GROUPS, slug: 'groups', name: 'Human rights organisations', short: 'Rights groups' }
];
const actorOf = actorMatcher(ACTORS);

describe('which actor an option text names', () => {
	it('forgives case, punctuation, spacing, curly quotes and a leading article', () => {
		expect(actorOf('The U.S. administration')).toBe(US);
		expect(actorOf('us administration')).toBe(US);
		expect(actorOf('  U.S.   Administration. ')).toBe(US);
		expect(actorOf('the U.S. (Biden) administration')).toBe(US);
		expect(actorOf('RUSSIA')).toBe(RUSSIA);
		expect(actorOf('Rights-groups')).toBe(GROUPS);
		expect(actorOf('Tech firms')).toBe(FIRMS);
		expect(normaliseActorText('The firms’ “view”')).toBe('firms view');
	});

	it('does not take other words for a name', () => {
		expect(actorOf('The U.S.')).toBeUndefined();
		expect(actorOf('Technology firms')).toBeUndefined();
		expect(actorOf('Human Rights Watch')).toBeUndefined();
		expect(actorOf('Russian officials')).toBeUndefined();
		expect(actorOf('')).toBeUndefined();
		expect(actorOf('The')).toBeUndefined();
	});

	it('never guesses between two actors a text could name', () => {
		const similar = actorMatcher([
			{ id: 1, slug: 'a', name: 'The Group', short: 'Group' },
			{ id: 2, slug: 'b', name: 'A group', short: 'Second group' },
			{ id: 3, slug: 'c', name: 'Security firms', short: 'Firms' },
			{ id: 4, slug: 'd', name: 'Security-firm critics', short: 'Firm critics' }
		]);
		expect(similar('the group')).toBeUndefined();
		expect(similar('Second group')).toBe(2);
		expect(similar('Firms')).toBe(3);
		expect(similar('Firm critics')).toBe(4);
		expect(similar('Security firm critics')).toBe(4);
		expect(similar('Security firms')).toBe(3);
	});
});

const whoProposed: GiftAnswer = {
	type: 'mc',
	choices: [
		{ text: 'Russia', correct: true, feedback: null },
		{ text: 'The U.S. administration', correct: false, feedback: null },
		{ text: 'Human Rights Watch', correct: false, feedback: null },
		{ text: 'Rights groups', correct: false, feedback: null }
	]
};

describe('the confusions one answer shows', () => {
	it('single choice: the chosen actor against the key’s', () => {
		const r = questionConfusions(whoProposed, { type: 'mc', choice: 1 }, actorOf);
		expect(r.confusions).toEqual([
			{ right: RUSSIA, chosen: US, answered: 'The U.S. administration', expected: 'Russia' }
		]);
		// Possible: Russia's taken for either actor on offer (Human Rights Watch is none).
		expect(r.possible).toEqual([
			{ right: RUSSIA, chosen: US },
			{ right: RUSSIA, chosen: GROUPS }
		]);
	});

	it('single choice: a right answer, a distractor naming no actor, a blank', () => {
		expect(questionConfusions(whoProposed, { type: 'mc', choice: 0 }, actorOf).confusions).toEqual(
			[]
		);
		const other = questionConfusions(whoProposed, { type: 'mc', choice: 2 }, actorOf);
		expect(other.confusions).toEqual([]);
		expect(other.possible).toHaveLength(2);
		expect(questionConfusions(whoProposed, { type: 'mc', choice: null }, actorOf)).toEqual({
			possible: [],
			confusions: []
		});
	});

	it('questions without actor options show none', () => {
		const motive: GiftAnswer = {
			type: 'mc',
			choices: [
				{ text: 'To extend its influence', correct: true, feedback: null },
				{ text: 'To enhance collaboration', correct: false, feedback: null }
			]
		};
		expect(canShowConfusion(motive, actorOf)).toBe(false);
		expect(questionConfusions(motive, { type: 'mc', choice: 1 }, actorOf).possible).toEqual([]);
		// A right answer naming no actor: not an attribution question, whatever the distractors.
		const mixed: GiftAnswer = {
			type: 'mc',
			choices: [
				{ text: 'Human Rights Watch', correct: true, feedback: null },
				{ text: 'Russia', correct: false, feedback: null },
				{ text: 'Rights groups', correct: false, feedback: null }
			]
		};
		expect(questionConfusions(mixed, { type: 'mc', choice: 1 }, actorOf)).toEqual({
			possible: [],
			confusions: []
		});
		// One actor on offer: nothing to confuse it with.
		const one: GiftAnswer = {
			type: 'mc',
			choices: [
				{ text: 'Russia', correct: true, feedback: null },
				{ text: 'Nobody', correct: false, feedback: null }
			]
		};
		expect(canShowConfusion(one, actorOf)).toBe(false);
		const tf: GiftAnswer = {
			type: 'tf',
			answer: false,
			feedbackIfRight: null,
			feedbackIfWrong: null
		};
		expect(questionConfusions(tf, { type: 'tf', answer: true }, actorOf).possible).toEqual([]);
		// A response of another type (a changed question) shows nothing.
		expect(questionConfusions(whoProposed, { type: 'tf', answer: true }, actorOf)).toEqual({
			possible: [],
			confusions: []
		});
	});

	it('multiple response: each wrong actor picked, against each right actor', () => {
		const shared: GiftAnswer = {
			type: 'multi',
			options: [
				{ text: 'Tech firms', weight: 50, feedback: null },
				{ text: 'Rights groups', weight: 50, feedback: null },
				{ text: 'The U.S. administration', weight: -50, feedback: null },
				{ text: 'Russia', weight: -50, feedback: null }
			]
		};
		const r = questionConfusions(shared, { type: 'multi', choices: [0, 2] }, actorOf);
		expect(r.confusions.map((c) => [c.right, c.chosen])).toEqual([
			[FIRMS, US],
			[GROUPS, US]
		]);
		expect(r.confusions[0].answered).toBe('The U.S. administration');
		expect(r.confusions[0].expected).toBe('Tech firms; Rights groups');
		expect(r.possible).toHaveLength(4);
		// Right picks only, or leaving one out, is no misattribution.
		expect(questionConfusions(shared, { type: 'multi', choices: [1] }, actorOf).confusions).toEqual(
			[]
		);
	});

	it('matching with actors on the right: each item given to the wrong actor', () => {
		const phrases: GiftAnswer = {
			type: 'matching',
			pairs: [
				{ left: 'Whistleblowers', right: 'The tech firms' },
				{ left: 'Online activism', right: 'Rights groups' },
				{ left: 'Essential cybersecurity functions', right: 'The U.S. administration' }
			]
		};
		const r = questionConfusions(
			phrases,
			{ type: 'matching', matches: ['The tech firms', 'The U.S. administration', null] },
			actorOf
		);
		expect(r.confusions).toEqual([
			{
				right: GROUPS,
				chosen: US,
				answered: 'Online activism → The U.S. administration',
				expected: 'Online activism → Rights groups'
			}
		]);
		// The third item was left blank: its pairs were not possible for this student.
		expect(r.possible.map((p) => [p.right, p.chosen])).toEqual([
			[FIRMS, GROUPS],
			[FIRMS, US],
			[GROUPS, FIRMS],
			[GROUPS, US]
		]);
	});

	it('matching with actors on the left: an actor given what the key gives another', () => {
		const stances: GiftAnswer = {
			type: 'matching',
			pairs: [
				{ left: 'Russia', right: 'Proposed the treaty' },
				{ left: 'The U.S. administration', right: 'Remains committed to it' },
				{ left: 'Rights groups', right: 'Oppose it in its current form' }
			]
		};
		expect(canShowConfusion(stances, actorOf)).toBe(true);
		const r = questionConfusions(
			stances,
			{
				type: 'matching',
				matches: ['Remains committed to it', 'Proposed the treaty', 'Oppose it in its current form']
			},
			actorOf
		);
		// Russia given the U.S.'s stance: students attribute to Russia what the article says of the U.S.
		expect(r.confusions.map((c) => [c.right, c.chosen])).toEqual([
			[US, RUSSIA],
			[RUSSIA, US]
		]);
		expect(r.confusions[0].answered).toBe('Russia → Remains committed to it');
		expect(r.possible).toHaveLength(6);
	});

	it('matching whose texts name no actors, or one: none', () => {
		const plain: GiftAnswer = {
			type: 'matching',
			pairs: [
				{ left: 'Wants it', right: 'A yes' },
				{ left: 'Fears it', right: 'Russia' }
			]
		};
		expect(canShowConfusion(plain, actorOf)).toBe(false);
		expect(
			questionConfusions(plain, { type: 'matching', matches: ['Russia', 'A yes'] }, actorOf)
		).toEqual({ possible: [], confusions: [] });
	});
});

describe('the tally and its sentence', () => {
	it('counts each student once per pair over those who could have shown it', () => {
		const pair = { right: RUSSIA, chosen: US };
		const rows = tallyConfusions([
			// Ana shows it twice (two quizzes): counted once.
			{ userId: 1, possible: [pair], confusions: [pair] },
			{ userId: 1, possible: [pair], confusions: [pair] },
			{ userId: 2, possible: [pair, { right: US, chosen: RUSSIA }], confusions: [] },
			{ userId: 3, possible: [pair], confusions: [] },
			{ userId: 4, possible: [], confusions: [{ right: FIRMS, chosen: GROUPS }] }
		]);
		expect(rows).toEqual([
			// As many students: the larger share first.
			{ right: FIRMS, chosen: GROUPS, students: 1, of: 1 },
			{ right: RUSSIA, chosen: US, students: 1, of: 3 },
			{ right: US, chosen: RUSSIA, students: 0, of: 1 }
		]);
	});

	it('says common shares in words, others as numbers', () => {
		expect(shareInWords(4, 12)).toBe('a third');
		expect(shareInWords(6, 12)).toBe('half');
		expect(shareInWords(8, 12)).toBe('two thirds');
		expect(shareInWords(3, 12)).toBe('a quarter');
		expect(shareInWords(9, 12)).toBe('three quarters');
		expect(shareInWords(99, 300)).toBe('about a third');
		expect(shareInWords(4, 11)).toBe('36%');
		expect(shareInWords(1, 300)).toBe('1%');
		expect(shareInWords(299, 300)).toBe('99%');
		expect(shareInWords(5, 5)).toBe('all');
		expect(shareInWords(0, 5)).toBe('none');
	});

	it('puts the direction in one sentence', () => {
		expect(
			confusionSentence({ students: 4, of: 12, right: 'Russia', chosen: 'The U.S. administration' })
		).toBe(
			'A third of the students (4 of the 12 asked) attribute to the U.S. administration what the article says of Russia.'
		);
		expect(
			confusionSentence({ students: 4, of: 11, right: 'Russia', chosen: 'Rights groups' })
		).toBe(
			'36% of the students (4 of the 11 asked) attribute to Rights groups what the article says of Russia.'
		);
		expect(confusionSentence({ students: 1, of: 1, right: 'Russia', chosen: 'Tech firms' })).toBe(
			'The one student asked attributes to Tech firms what the article says of Russia.'
		);
	});
});

describe("a student's own confusions, in the review", () => {
	const who: GiftAnswer = {
		type: 'mc',
		choices: [
			{ text: 'U.S. administration', correct: true, feedback: null },
			{ text: 'Russia', correct: false, feedback: null },
			{ text: 'Rights groups', correct: false, feedback: null }
		]
	};
	const fears: GiftAnswer = {
		type: 'matching',
		pairs: [
			{ left: 'Criminalising security research', right: 'Tech firms' },
			{ left: 'Vague language', right: 'Rights groups' }
		]
	};
	it('names each pair once, with the questions that showed it', () => {
		expect(
			attemptConfusions(
				[
					{ position: 1, answer: who, response: { type: 'mc', choice: 1 } },
					{ position: 2, answer: who, response: { type: 'mc', choice: 0 } },
					{
						position: 3,
						answer: fears,
						response: { type: 'matching', matches: ['Rights groups', 'Rights groups'] }
					},
					{ position: 4, answer: who, response: { type: 'mc', choice: 1 } }
				],
				ACTORS
			)
		).toEqual([
			'You gave “Russia” what the article says of “U.S. administration” (questions 1 and 4).',
			'You gave “Rights groups” what the article says of “Tech firms” (question 3).'
		]);
	});
	it('says nothing for right answers or questions without actors', () => {
		expect(
			attemptConfusions([{ position: 1, answer: who, response: { type: 'mc', choice: 0 } }], ACTORS)
		).toEqual([]);
	});
});
