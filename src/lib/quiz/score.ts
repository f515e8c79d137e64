import type { GiftAnswer } from '../gift/index.ts';
import { seededShuffle } from '../shuffle.ts';
import { parseDecimal } from '../validation/numbers.ts';
import type { PublicQuestion, QuizResponse, ScoredResponse } from './types.ts';

/** Short answers match whatever the case, spacing and final punctuation. */
export function normaliseShort(text: string): string {
	return text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[’‘]/g, "'")
		.replace(/\s+/g, ' ')
		.trim()
		.replace(/\s*[.!?]+$/, '');
}

/**
 * The order in which a choice question shows its options: stored indices, in display order,
 * fixed by `seed`. Authors usually write the right answer first, so what a browser sees and sends
 * back is the display position, never the stored index.
 */
export function displayOrder(q: GiftAnswer, seed: string | null): number[] {
	const order = Array.from({ length: optionCount(q) }, (_, i) => i);
	return seed === null ? order : seededShuffle(order, seed);
}

/** How many options a choice question shows (and items an ordering one), else 0. */
export function optionCount(q: GiftAnswer): number {
	switch (q.type) {
		case 'mc':
			return q.choices.length;
		case 'multi':
			return q.options.length;
		case 'ordering':
			return q.items.length;
		default:
			return 0;
	}
}

/** How many `answer-N` fields a question's form has: one per pair or per place, else 0. */
export function slotCount(q: GiftAnswer): number {
	if (q.type === 'matching') return q.pairs.length;
	if (q.type === 'ordering') return q.items.length;
	return 0;
}

/** The question without its key, options in display order (`index` is the display position). */
export function publicQuestion(
	q: GiftAnswer,
	seed: string | null,
	/** The matching answers are always shuffled (in written order they would give the key away). */
	matchSeed: string = seed ?? ''
): PublicQuestion {
	const order = displayOrder(q, seed);
	switch (q.type) {
		case 'mc':
			return {
				type: 'mc',
				options: order.map((stored, index) => ({ index, text: q.choices[stored].text }))
			};
		case 'multi':
			return {
				type: 'multi',
				options: order.map((stored, index) => ({ index, text: q.options[stored].text }))
			};
		case 'matching':
			return {
				type: 'matching',
				lefts: q.pairs.map((p) => p.left),
				rights: seededShuffle([...new Set(q.pairs.map((p) => p.right))], matchSeed)
			};
		case 'ordering':
			return {
				type: 'ordering',
				items: order.map((stored, index) => ({ index, text: q.items[stored] }))
			};
		default:
			return { type: q.type };
	}
}

/** Turns display positions in a response back into stored indices (see displayOrder). */
export function storedResponse(q: GiftAnswer, seed: string | null, r: QuizResponse): QuizResponse {
	const order = displayOrder(q, seed);
	const stored = (position: number) => order[position] ?? -1;
	if (r.type === 'mc') return { type: 'mc', choice: r.choice === null ? null : stored(r.choice) };
	if (r.type === 'multi') return { type: 'multi', choices: r.choices.map(stored) };
	if (r.type === 'ordering')
		return { type: 'ordering', order: r.order.map((p) => (p === null ? null : stored(p))) };
	return r;
}

function describeNumber(q: Extract<GiftAnswer, { type: 'numerical' }>): string {
	const a = q.answer;
	if (a.kind === 'range') return `between ${a.min} and ${a.max}`;
	return a.tolerance ? `${a.value} (± ${a.tolerance})` : String(a.value);
}

export function rightAnswerText(q: GiftAnswer): string {
	switch (q.type) {
		case 'mc':
			return q.choices.find((c) => c.correct)?.text ?? '';
		case 'multi':
			return q.options
				.filter((o) => o.weight > 0)
				.map((o) => o.text)
				.join('; ');
		case 'tf':
			return q.answer ? 'True' : 'False';
		case 'short':
			return q.answers[0] ?? '';
		case 'matching':
			return q.pairs.map((p) => `${p.left} → ${p.right}`).join('; ');
		case 'numerical':
			return describeNumber(q);
		case 'ordering':
			return q.items.join(' → ');
	}
}

/** Scores one response against the stored question; a response of the wrong type scores 0. */
export function scoreResponse(q: GiftAnswer, r: QuizResponse): ScoredResponse {
	const rightAnswer = rightAnswerText(q);
	const result = (score: number, feedback: string | null = null): ScoredResponse => ({
		score: Math.max(0, Math.min(1, Math.round(score * 1000) / 1000)),
		correct: score >= 0.999,
		feedback,
		rightAnswer
	});
	if (q.type !== r.type) return result(0);
	switch (q.type) {
		case 'mc': {
			const choice = (r as Extract<QuizResponse, { type: 'mc' }>).choice;
			const picked = choice === null ? undefined : q.choices[choice];
			return result(picked?.correct ? 1 : 0, picked?.feedback ?? null);
		}
		case 'multi': {
			const chosen = new Set((r as Extract<QuizResponse, { type: 'multi' }>).choices);
			let total = 0;
			const feedback: string[] = [];
			q.options.forEach((o, i) => {
				if (!chosen.has(i)) return;
				total += o.weight / 100;
				if (o.feedback) feedback.push(o.feedback);
			});
			return result(total, feedback.join(' ') || null);
		}
		case 'tf': {
			const answer = (r as Extract<QuizResponse, { type: 'tf' }>).answer;
			const right = answer === q.answer;
			return result(
				right ? 1 : 0,
				answer === null ? null : right ? q.feedbackIfRight : q.feedbackIfWrong
			);
		}
		case 'short': {
			const text = normaliseShort((r as Extract<QuizResponse, { type: 'short' }>).text);
			return result(text && q.answers.some((a) => normaliseShort(a) === text) ? 1 : 0);
		}
		case 'matching': {
			const matches = (r as Extract<QuizResponse, { type: 'matching' }>).matches;
			const right = q.pairs.filter((p, i) => matches[i] === p.right).length;
			return result(q.pairs.length ? right / q.pairs.length : 0);
		}
		case 'numerical': {
			const value = (r as Extract<QuizResponse, { type: 'numerical' }>).value;
			if (value === null || !Number.isFinite(value)) return result(0);
			const a = q.answer;
			const ok =
				a.kind === 'range'
					? value >= a.min && value <= a.max
					: Math.abs(value - a.value) <= a.tolerance;
			return result(ok ? 1 : 0);
		}
		case 'ordering': {
			// Each item in its right place earns its share; an item put in two places counts once.
			const order = (r as Extract<QuizResponse, { type: 'ordering' }>).order;
			const inPlace = q.items.filter((_, i) => order[i] === i).length;
			return result(q.items.length ? inPlace / q.items.length : 0);
		}
	}
}

/**
 * What a page sent for one question, as it sent it: the values of its `answer` field and of its
 * `answer-N` fields (display positions, typed text). Saved as it is while a quiz is taken, read
 * into a typed response (`responseFromRaw`) when it is scored.
 */
export interface RawAnswer {
	answer: string[];
	slots: (string | null)[];
}

/** Bounds on what one question's fields may hold: no option list or pair list is longer. */
export const MAX_RAW_VALUES = 100;
export const MAX_RAW_TEXT = 500;

/** Reads the fields `${prefix}answer` and `${prefix}answer-N` of a submitted form. */
export function rawFromForm(form: FormData, prefix = ''): RawAnswer {
	const answer = form
		.getAll(`${prefix}answer`)
		.filter((v): v is string => typeof v === 'string')
		.slice(0, MAX_RAW_VALUES)
		.map((v) => v.slice(0, MAX_RAW_TEXT));
	const slots: (string | null)[] = [];
	for (let i = 0; i < MAX_RAW_VALUES; i++) {
		const v = form.get(`${prefix}answer-${i}`);
		if (v === null) continue;
		slots[i] = typeof v === 'string' ? v.slice(0, MAX_RAW_TEXT) : null;
	}
	return { answer, slots: Array.from(slots, (v) => v ?? null) };
}

/** A raw answer from JSON (a stored row, an autosave request), bounded; undefined if it is not one. */
export function parseRaw(value: unknown): RawAnswer | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const { answer, slots } = value as Record<string, unknown>;
	if (!Array.isArray(answer) || !Array.isArray(slots)) return undefined;
	if (answer.length > MAX_RAW_VALUES || slots.length > MAX_RAW_VALUES) return undefined;
	if (!answer.every((v) => typeof v === 'string' && v.length <= MAX_RAW_TEXT)) return undefined;
	if (!slots.every((v) => v === null || (typeof v === 'string' && v.length <= MAX_RAW_TEXT)))
		return undefined;
	return { answer: answer as string[], slots: slots as (string | null)[] };
}

/**
 * Reads a response of the given type from a raw answer (`slots`: the number of pairs of a
 * matching question or places of an ordering one).
 */
export function responseFromRaw(type: GiftAnswer['type'], raw: RawAnswer, slots = 0): QuizResponse {
	const one = raw.answer[0] ?? null;
	const slot = (i: number) => raw.slots[i] ?? null;
	const int = (v: string | null) => (v !== null && /^\d+$/.test(v) ? Number(v) : null);
	switch (type) {
		case 'mc':
			return { type, choice: int(one) };
		case 'multi':
			return {
				type,
				choices: [...new Set(raw.answer.map(int).filter((n): n is number => n !== null))]
			};
		case 'tf':
			return { type, answer: one === 'true' ? true : one === 'false' ? false : null };
		case 'short':
			return { type, text: (one ?? '').slice(0, MAX_RAW_TEXT) };
		case 'matching':
			return { type, matches: Array.from({ length: slots }, (_, i) => slot(i) || null) };
		case 'numerical': {
			// Unanswered is null; anything but a decimal number (1e3, 0x10, ١٢) is NaN, refused.
			const v = one?.trim();
			return { type, value: v ? (parseDecimal(v) ?? NaN) : null };
		}
		case 'ordering':
			return { type, order: Array.from({ length: slots }, (_, i) => int(slot(i))) };
	}
}

/** Reads a response of the given type from submitted form fields (`answer`, `answer-N`). */
export function responseFromForm(
	type: GiftAnswer['type'],
	form: FormData,
	slots = 0
): QuizResponse {
	return responseFromRaw(type, rawFromForm(form), slots);
}

/** True when the response gives no answer at all (nothing chosen, nothing typed). */
export function isUnanswered(r: QuizResponse): boolean {
	switch (r.type) {
		case 'mc':
			return r.choice === null;
		case 'tf':
			return r.answer === null;
		case 'multi':
			return r.choices.length === 0;
		case 'short':
			return !r.text.trim();
		case 'numerical':
			return r.value === null;
		case 'matching':
			return r.matches.every((m) => m === null);
		case 'ordering':
			return r.order.every((p) => p === null);
	}
}
