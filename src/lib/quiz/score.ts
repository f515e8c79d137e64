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
export function displayOrder(q: GiftAnswer, seed: string): number[] {
	const n =
		q.type === 'mc'
			? q.choices.length
			: q.type === 'multi'
				? q.options.length
				: q.type === 'ordering'
					? q.items.length
					: 0;
	return seededShuffle(
		Array.from({ length: n }, (_, i) => i),
		seed
	);
}

/** The question without its key, options in display order (`index` is the display position). */
export function publicQuestion(q: GiftAnswer, seed: string): PublicQuestion {
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
				rights: seededShuffle([...new Set(q.pairs.map((p) => p.right))], seed)
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
export function storedResponse(q: GiftAnswer, seed: string, r: QuizResponse): QuizResponse {
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
 * Reads a response of the given type from submitted form fields (`answer`, or `answer-N` for each
 * of the `slots` pairs of a matching question or positions of an ordering one).
 */
export function responseFromForm(
	type: GiftAnswer['type'],
	form: FormData,
	slots = 0
): QuizResponse {
	const one = (k: string) => {
		const v = form.get(k);
		return typeof v === 'string' ? v : null;
	};
	const int = (v: string | null) => (v !== null && /^\d+$/.test(v) ? Number(v) : null);
	switch (type) {
		case 'mc':
			return { type, choice: int(one('answer')) };
		case 'multi':
			return {
				type,
				choices: form
					.getAll('answer')
					.map((v) => int(typeof v === 'string' ? v : null))
					.filter((n): n is number => n !== null)
			};
		case 'tf': {
			const v = one('answer');
			return { type, answer: v === 'true' ? true : v === 'false' ? false : null };
		}
		case 'short':
			return { type, text: (one('answer') ?? '').slice(0, 500) };
		case 'matching':
			return { type, matches: Array.from({ length: slots }, (_, i) => one(`answer-${i}`) || null) };
		case 'numerical': {
			// Unanswered is null; anything but a decimal number (1e3, 0x10, ١٢) is NaN, refused.
			const v = one('answer')?.trim();
			return { type, value: v ? (parseDecimal(v) ?? NaN) : null };
		}
		case 'ordering':
			return { type, order: Array.from({ length: slots }, (_, i) => int(one(`answer-${i}`))) };
	}
}
