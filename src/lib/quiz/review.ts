import type { GiftAnswer } from '../gift/index.ts';
import type { QuizResponse } from './types.ts';

/** What the student answered, in words, from a response in stored indices (null: nothing). */
export function describeResponse(q: GiftAnswer, r: QuizResponse): string | null {
	if (q.type !== r.type) return null;
	switch (r.type) {
		case 'mc': {
			const c =
				r.choice === null
					? undefined
					: (q as Extract<GiftAnswer, { type: 'mc' }>).choices[r.choice];
			return c?.text ?? null;
		}
		case 'multi': {
			const opts = (q as Extract<GiftAnswer, { type: 'multi' }>).options;
			const picked = r.choices.map((i) => opts[i]?.text).filter((t): t is string => !!t);
			return picked.length ? picked.join('; ') : null;
		}
		case 'tf':
			return r.answer === null ? null : r.answer ? 'True' : 'False';
		case 'short':
			return r.text.trim() || null;
		case 'numerical':
			return r.value === null || Number.isNaN(r.value) ? null : String(r.value);
		case 'matching': {
			const pairs = (q as Extract<GiftAnswer, { type: 'matching' }>).pairs;
			if (r.matches.every((m) => m === null)) return null;
			return pairs.map((p, i) => `${p.left} → ${r.matches[i] ?? '(none)'}`).join('; ');
		}
		case 'ordering': {
			const items = (q as Extract<GiftAnswer, { type: 'ordering' }>).items;
			if (r.order.every((p) => p === null)) return null;
			return r.order.map((i) => (i === null ? '(none)' : (items[i] ?? '(none)'))).join(' → ');
		}
	}
}

export type Verdict = 'right' | 'partly' | 'wrong' | 'unanswered';

export function verdictOf(score: number | null, answered: boolean): Verdict {
	if (!answered) return 'unanswered';
	if (score !== null && score >= 0.999) return 'right';
	if (score !== null && score > 0) return 'partly';
	return 'wrong';
}

export interface ActorMastery {
	actorId: number;
	name: string;
	/** 0..1: points earned over points possible on this actor's questions. */
	fraction: number;
	questions: number;
	level: 'knows' | 'partly' | 'review';
}

/** "knows" from 80 %, "review" below 50 %, "partly" between. */
export function masteryLevel(fraction: number): 'knows' | 'partly' | 'review' {
	return fraction >= 0.8 ? 'knows' : fraction >= 0.5 ? 'partly' : 'review';
}

/**
 * Per actor: how much of what the attempt asked about them the student got, and a level —
 * "knows" from 80 %, "review" below 50 %.
 */
export function actorMastery(
	items: { actorId: number | null; points: number; score: number | null }[],
	actors: Map<number, string>
): ActorMastery[] {
	const by = new Map<number, { got: number; of: number; n: number }>();
	for (const it of items) {
		if (it.actorId === null || !actors.has(it.actorId)) continue;
		const m = by.get(it.actorId) ?? { got: 0, of: 0, n: 0 };
		m.got += it.points * (it.score ?? 0);
		m.of += it.points;
		m.n += 1;
		by.set(it.actorId, m);
	}
	return [...by.entries()].map(([actorId, m]) => {
		const fraction = m.of ? m.got / m.of : 0;
		return {
			actorId,
			name: actors.get(actorId)!,
			fraction,
			questions: m.n,
			level: masteryLevel(fraction)
		};
	});
}
