import type { Grading, Reveal } from '../server/db/types.ts';

export type { Grading, Reveal };

/** The three presets an instructor picks from; "custom" sets marks, answers and feedback apart. */
export const REVIEW_PRESETS = ['after-attempt', 'after-due', 'never'] as const;

export interface ReviewPolicy {
	marks: Reveal;
	answers: Reveal;
	feedback: Reveal;
}

/** The policy of a quiz assignment's settings. */
export function reviewPolicy(s: {
	reviewMarks: Reveal;
	reviewAnswers: Reveal;
	reviewFeedback: Reveal;
}): ReviewPolicy {
	return { marks: s.reviewMarks, answers: s.reviewAnswers, feedback: s.reviewFeedback };
}

export interface Revealed {
	/** The score, and right / partly / wrong per question. */
	marks: boolean;
	/** The right answers. */
	answers: boolean;
	/** Explanations, per-option feedback and the cited passages. */
	feedback: boolean;
}

/**
 * What a student may see of one of their attempts now. Nothing while it is open; after it, what
 * each part's setting allows ("after the due date": once the due date, or the close date when
 * later, has passed). Staff see everything of a finished attempt.
 */
export function revealedNow(
	policy: ReviewPolicy,
	ctx: { submitted: boolean; staff: boolean; dueAt: Date; closesAt: Date | null; now: Date }
): Revealed {
	if (!ctx.submitted) return { marks: false, answers: false, feedback: false };
	if (ctx.staff) return { marks: true, answers: true, feedback: true };
	const after = Math.max(ctx.dueAt.getTime(), ctx.closesAt?.getTime() ?? 0);
	const open = (r: Reveal) =>
		r === 'after-attempt' || (r === 'after-due' && ctx.now.getTime() > after);
	return {
		marks: open(policy.marks),
		answers: open(policy.answers),
		feedback: open(policy.feedback)
	};
}

/** The preset a policy is, or 'custom'. */
export function presetOf(policy: ReviewPolicy): Reveal | 'custom' {
	return policy.marks === policy.answers && policy.answers === policy.feedback
		? policy.marks
		: 'custom';
}

/**
 * The score that counts for a student, as a fraction 0..1, from their finished attempts (in
 * attempt order): the best, the last, or the average. Null when there is none.
 */
export function countingScore(grading: Grading, fractions: readonly number[]): number | null {
	if (!fractions.length) return null;
	if (grading === 'last') return fractions[fractions.length - 1];
	if (grading === 'average') return fractions.reduce((a, b) => a + b, 0) / fractions.length;
	return Math.max(...fractions);
}

/**
 * When an attempt started at `startedAt` must end: the time limit (stretched by a student's
 * multiplier, plus their extra minutes), and never after the close date. Null: no deadline.
 */
export function attemptDeadline(opts: {
	startedAt: Date;
	timeLimitSeconds: number | null;
	closesAt: Date | null;
	multiplier?: number;
	extraMinutes?: number;
}): Date | null {
	const limit =
		opts.timeLimitSeconds === null
			? null
			: opts.startedAt.getTime() +
				Math.round(opts.timeLimitSeconds * (opts.multiplier ?? 1) * 1000) +
				(opts.extraMinutes ?? 0) * 60_000;
	const close = opts.closesAt?.getTime() ?? null;
	if (limit === null && close === null) return null;
	return new Date(Math.min(limit ?? Infinity, close ?? Infinity));
}
