import type { Grading, Reveal } from '../db/types.ts';

/** How a quiz runs in a class: the quiz assignment's settings (migration 0008). */
export interface QuizSettingsInput {
	/** Null: as many as the student likes. */
	attemptsAllowed: number | null;
	/** Null: untimed. */
	timeLimitSeconds: number | null;
	/** After the deadline, saves and a submit are still accepted this long (a slow connection). */
	graceSeconds: number;
	shuffleQuestions: boolean;
	shuffleOptions: boolean;
	/** A new page every this many questions; 0 shows them all on one page. */
	questionsPerPage: number;
	reviewMarks: Reveal;
	reviewAnswers: Reveal;
	reviewFeedback: Reveal;
	/** 0..100, or null for no pass mark. */
	passPercent: number | null;
	grading: Grading;
	/** No attempt can be started after it, and open attempts end at it. Null: none. */
	closesAt: Date | null;
}

export const DEFAULT_QUIZ_SETTINGS: QuizSettingsInput = {
	attemptsAllowed: 1,
	timeLimitSeconds: null,
	graceSeconds: 60,
	shuffleQuestions: true,
	shuffleOptions: true,
	questionsPerPage: 0,
	reviewMarks: 'after-attempt',
	reviewAnswers: 'after-attempt',
	reviewFeedback: 'after-attempt',
	passPercent: null,
	grading: 'best',
	closesAt: null
};

/** The assignment columns for a quiz's settings; a lesson assignment gets the defaults. */
export function settingsColumns(s: QuizSettingsInput | null | undefined) {
	const v = s ?? DEFAULT_QUIZ_SETTINGS;
	return {
		attempts_allowed: v.attemptsAllowed,
		time_limit_seconds: v.timeLimitSeconds,
		grace_seconds: v.graceSeconds,
		shuffle_questions: v.shuffleQuestions,
		shuffle_options: v.shuffleOptions,
		questions_per_page: v.questionsPerPage,
		review_marks: v.reviewMarks,
		review_answers: v.reviewAnswers,
		review_feedback: v.reviewFeedback,
		pass_percent: v.passPercent,
		grading: v.grading,
		closes_at: v.closesAt
	};
}
