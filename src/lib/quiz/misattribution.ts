import type { GiftAnswer } from '../gift/index.ts';
import type { QuizResponse } from './types.ts';

// Misattribution: which actor students confuse with which. A question shows a confusion when its
// options (or a matching question's answers) name actors of the course and the student gives to
// one actor (the chosen) what the key gives to another (the right one). The pair is written
// (right → chosen): "students attribute to <chosen> what the article says of <right>".
//
// - Matching: when at least two right-hand texts name actors, each left item matched to actor Y
//   where the key says X is (X → Y). Otherwise, when at least two left-hand texts name actors
//   ("Russia → Proposed the treaty"), an actor Y matched with a text the key gives to X is (X → Y).
// - Single choice: the key's actor X, the chosen option's actor Y ≠ X.
// - Multiple response: each wrong option naming an actor Y, against each right actor X.
// - True/false, short, numerical and ordering questions have no actor options: no confusion
//   (the actor of a statement would have to be guessed from its prose).
// An item counts only when it was answered; an option text that names no actor, or that could
// name two, is never taken for one.

export interface CourseActor {
	id: number;
	slug: string;
	name: string;
	short: string;
}

/** An actor pair: `right` is whom the key gives the item, `chosen` whom the student gave it. */
export interface ActorPair {
	right: number;
	chosen: number;
}

/** One confusion shown by one answered question, with what the student answered, in words. */
export interface Confusion extends ActorPair {
	answered: string;
	expected: string;
}

export interface QuestionConfusions {
	/** Each pair this answer could have shown (the key's actor, another actor on offer), once. */
	possible: ActorPair[];
	/** The pairs it shows. */
	confusions: Confusion[];
}

const LEADING_ARTICLE = /^(the|a|an) /;

/**
 * An option text as it is compared with actors' names: case, accents' forms, curly quotes,
 * punctuation ("U.S." is "us", "Existing-treaty" is "existing treaty"), spacing and a leading
 * "The", "A" or "An" do not count. Words do: "Tech firms" is not "Technology firms".
 */
export function normaliseActorText(text: string): string {
	return text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[’‘`]/g, "'")
		.replace(/[.']/g, '')
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim()
		.replace(LEADING_ARTICLE, '');
}

/**
 * A function naming the actor an option text is written as (the actor's name or short name,
 * normalised), or undefined: no actor, or a text that two actors could be written as.
 */
export function actorMatcher(actors: CourseActor[]): (text: string) => number | undefined {
	const ids = new Map<string, Set<number>>();
	for (const a of actors)
		for (const t of [a.name, a.short]) {
			const key = normaliseActorText(t);
			if (!key) continue;
			const set = ids.get(key) ?? new Set<number>();
			set.add(a.id);
			ids.set(key, set);
		}
	// A report asks about the same few option texts thousands of times.
	const seen = new Map<string, number | undefined>();
	return (text) => {
		if (seen.has(text)) return seen.get(text);
		const set = ids.get(normaliseActorText(text));
		const id = set && set.size === 1 ? [...set][0] : undefined;
		if (seen.size < 10_000) seen.set(text, id);
		return id;
	};
}

type ActorOf = (text: string) => number | undefined;

function collector() {
	const possible = new Map<string, ActorPair>();
	const confusions: Confusion[] = [];
	return {
		possible: (right: number, chosen: number) => {
			if (right !== chosen) possible.set(`${right}:${chosen}`, { right, chosen });
		},
		confusion: (c: Confusion) => {
			if (c.right !== c.chosen) confusions.push(c);
		},
		result: (): QuestionConfusions => ({ possible: [...possible.values()], confusions })
	};
}

const NONE: QuestionConfusions = { possible: [], confusions: [] };

/** Distinct defined values. */
function distinct(xs: (number | undefined)[]): number[] {
	return [...new Set(xs.filter((x): x is number => x !== undefined))];
}

/**
 * True when a question can show a confusion at all (its options name two actors or more), so a
 * report reads the answers of these questions only.
 */
export function canShowConfusion(q: GiftAnswer, actorOf: ActorOf): boolean {
	switch (q.type) {
		case 'mc':
			return (
				attributionChoices(
					q.choices.map((c) => [c.text, c.correct]),
					actorOf
				) !== null
			);
		case 'multi':
			return (
				attributionChoices(
					q.options.map((o) => [o.text, o.weight > 0]),
					actorOf
				) !== null
			);
		case 'matching':
			return matchingSide(q, actorOf) !== null;
		default:
			return false;
	}
}

/**
 * For a choice question: each option's actor and the right actors, or null when it is no
 * attribution question (a right option naming no actor, or fewer than two actors on offer).
 */
function attributionChoices(
	options: [text: string, right: boolean][],
	actorOf: ActorOf
): { actors: (number | undefined)[]; right: number[] } | null {
	const actors = options.map(([text]) => actorOf(text));
	const rightOnes = options
		.map(([, right], i) => (right ? actors[i] : null))
		.filter((a) => a !== null);
	if (!rightOnes.length || rightOnes.some((a) => a === undefined)) return null;
	if (distinct(actors).length < 2) return null;
	return { actors, right: distinct(rightOnes) };
}

function matchingSide(
	q: Extract<GiftAnswer, { type: 'matching' }>,
	actorOf: ActorOf
): 'right' | 'left' | null {
	if (distinct(q.pairs.map((p) => actorOf(p.right))).length >= 2) return 'right';
	if (distinct(q.pairs.map((p) => actorOf(p.left))).length >= 2) return 'left';
	return null;
}

/** The confusions one answered question shows (`r` in stored indices, as scoring reads it). */
export function questionConfusions(
	q: GiftAnswer,
	r: QuizResponse,
	actorOf: ActorOf
): QuestionConfusions {
	if (q.type !== r.type) return NONE;
	const out = collector();
	switch (q.type) {
		case 'mc': {
			const choice = (r as Extract<QuizResponse, { type: 'mc' }>).choice;
			const a = attributionChoices(
				q.choices.map((c) => [c.text, c.correct]),
				actorOf
			);
			if (!a || choice === null || !q.choices[choice]) return NONE;
			const expected = q.choices
				.filter((c) => c.correct)
				.map((c) => c.text)
				.join('; ');
			for (const x of a.right)
				for (const y of distinct(a.actors)) if (!a.right.includes(y)) out.possible(x, y);
			const y = a.actors[choice];
			if (y !== undefined && !a.right.includes(y))
				for (const x of a.right)
					out.confusion({ right: x, chosen: y, answered: q.choices[choice].text, expected });
			return out.result();
		}
		case 'multi': {
			const chosen = (r as Extract<QuizResponse, { type: 'multi' }>).choices.filter(
				(i) => q.options[i]
			);
			const a = attributionChoices(
				q.options.map((o) => [o.text, o.weight > 0]),
				actorOf
			);
			if (!a || !chosen.length) return NONE;
			const expected = q.options
				.filter((o) => o.weight > 0)
				.map((o) => o.text)
				.join('; ');
			for (const x of a.right)
				for (const y of distinct(a.actors)) if (!a.right.includes(y)) out.possible(x, y);
			for (const i of chosen) {
				const y = a.actors[i];
				if (y === undefined || a.right.includes(y)) continue;
				for (const x of a.right)
					out.confusion({ right: x, chosen: y, answered: q.options[i].text, expected });
			}
			return out.result();
		}
		case 'matching': {
			const matches = (r as Extract<QuizResponse, { type: 'matching' }>).matches;
			const side = matchingSide(q, actorOf);
			if (!side) return NONE;
			const rights = [...new Set(q.pairs.map((p) => p.right))];
			// Left side: the actors the key gives each right-hand text to (all named, or none).
			const owners = new Map<string, number[] | null>();
			for (const text of rights) {
				const of = q.pairs.filter((p) => p.right === text).map((p) => actorOf(p.left));
				owners.set(text, of.some((a) => a === undefined) ? null : distinct(of));
			}
			q.pairs.forEach((p, i) => {
				const m = matches[i];
				if (m === null || m === undefined || !rights.includes(m)) return;
				const answered = `${p.left} → ${m}`;
				const expected = `${p.left} → ${p.right}`;
				if (side === 'right') {
					const x = actorOf(p.right);
					if (x === undefined) return;
					for (const y of distinct(rights.map(actorOf))) out.possible(x, y);
					const y = actorOf(m);
					if (y !== undefined) out.confusion({ right: x, chosen: y, answered, expected });
				} else {
					const y = actorOf(p.left);
					if (y === undefined) return;
					for (const text of rights)
						for (const x of owners.get(text) ?? []) if (x !== y) out.possible(x, y);
					const xs = owners.get(m);
					if (!xs || xs.includes(y)) return;
					for (const x of xs) out.confusion({ right: x, chosen: y, answered, expected });
				}
			});
			return out.result();
		}
		default:
			return NONE;
	}
}

/** One student's answers, as the tally reads them. */
export interface StudentAnswer {
	userId: number;
	possible: ActorPair[];
	confusions: ActorPair[];
}

export interface PairCount extends ActorPair {
	/** Students who showed the confusion at least once. */
	students: number;
	/** Students who answered at least one question where it was possible. */
	of: number;
}

/**
 * Counts per (right, chosen) pair, each student once per pair, over the students who could
 * have shown it; every pair that was possible, most students first (then the largest share).
 */
export function tallyConfusions(answers: StudentAnswer[]): PairCount[] {
	const pairs = new Map<string, { pair: ActorPair; could: Set<number>; did: Set<number> }>();
	const entry = (p: ActorPair) => {
		const key = `${p.right}:${p.chosen}`;
		let e = pairs.get(key);
		if (!e) {
			e = { pair: { right: p.right, chosen: p.chosen }, could: new Set(), did: new Set() };
			pairs.set(key, e);
		}
		return e;
	};
	for (const a of answers) {
		for (const p of a.possible) entry(p).could.add(a.userId);
		// A confusion is always possible where it happened.
		for (const p of a.confusions) {
			const e = entry(p);
			e.could.add(a.userId);
			e.did.add(a.userId);
		}
	}
	return [...pairs.values()]
		.map((e) => ({ ...e.pair, students: e.did.size, of: e.could.size }))
		.sort(
			(a, b) =>
				b.students - a.students ||
				b.students * a.of - a.students * b.of ||
				a.right - b.right ||
				a.chosen - b.chosen
		);
}

const SHARES: [number, number, string][] = [
	[1, 2, 'half'],
	[1, 3, 'a third'],
	[2, 3, 'two thirds'],
	[1, 4, 'a quarter'],
	[3, 4, 'three quarters'],
	[1, 5, 'a fifth']
];

/**
 * A share in words: "all", "half", "a third", "two thirds", "a quarter", "three quarters",
 * "a fifth" when it is exactly that, "about a third" when within a point and a half of it (with
 * ten students or more), else a percentage ("36%"), never "0%" for some.
 */
export function shareInWords(n: number, of: number): string {
	if (of <= 0 || n <= 0) return 'none';
	if (n >= of) return 'all';
	for (const [a, b, words] of SHARES) if (n * b === of * a) return words;
	if (of >= 10)
		for (const [a, b, words] of SHARES)
			if (Math.abs(n / of - a / b) <= 0.015) return `about ${words}`;
	const pct = Math.round((n / of) * 100);
	return `${Math.max(1, Math.min(99, pct))}%`;
}

/** An actor's name inside a sentence: a leading "The" in lower case ("the U.S. administration"). */
export function inSentence(name: string): string {
	return name.replace(/^The /, 'the ');
}

/**
 * The sentence a teacher reads for a pair: "A third of the students (4 of the 12 asked)
 * attribute to Russia what the article says of the U.S. (Biden) administration." `right` is
 * whom the article says it of, `chosen` whom the students gave it to.
 */
export function confusionSentence(c: {
	students: number;
	of: number;
	right: string;
	chosen: string;
}): string {
	const what = `to ${inSentence(c.chosen)} what the article says of ${inSentence(c.right)}.`;
	if (c.of === 1 && c.students === 1) return `The one student asked attributes ${what}`;
	const share = shareInWords(c.students, c.of);
	const lead = share[0].toUpperCase() + share.slice(1);
	return `${lead} of the students (${c.students} of the ${c.of} asked) attribute ${what}`;
}

/**
 * What one student confused in one attempt: "You gave “Russia” what the article says of “U.S.
 * administration” (questions 2 and 5)." Actors by their short names, quoted (they are labels, not
 * always nouns that fit a sentence); one sentence per pair, in the order the questions come.
 */
export function attemptConfusions(
	answered: { position: number; answer: GiftAnswer; response: QuizResponse }[],
	actors: CourseActor[]
): string[] {
	const actorOf = actorMatcher(actors);
	const name = new Map(actors.map((a) => [a.id, `“${a.short}”`]));
	const pairs = new Map<string, { right: number; chosen: number; positions: number[] }>();
	for (const q of answered)
		for (const c of questionConfusions(q.answer, q.response, actorOf).confusions) {
			const key = `${c.right}>${c.chosen}`;
			const pair = pairs.get(key) ?? { right: c.right, chosen: c.chosen, positions: [] };
			if (!pair.positions.includes(q.position)) pair.positions.push(q.position);
			pairs.set(key, pair);
		}
	return [...pairs.values()].map((p) => {
		const where =
			p.positions.length === 1
				? `question ${p.positions[0]}`
				: `questions ${p.positions.slice(0, -1).join(', ')} and ${p.positions.at(-1)}`;
		return `You gave ${name.get(p.chosen)} what the article says of ${name.get(p.right)} (${where}).`;
	});
}
