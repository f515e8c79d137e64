import type { GiftAnswer } from '../gift/index.ts';

/** What a student sends for one question, by type. Indices refer to the stored (unshuffled) order. */
export type QuizResponse =
	| { type: 'mc'; choice: number | null }
	| { type: 'multi'; choices: number[] }
	| { type: 'tf'; answer: boolean | null }
	| { type: 'short'; text: string }
	| { type: 'matching'; matches: (string | null)[] }
	| { type: 'numerical'; value: number | null }
	/** Per position, the item put there (its index in the shown list), or null. */
	| { type: 'ordering'; order: (number | null)[] };

/** A question as a student sees it before review: options, never which are right. */
export type PublicQuestion =
	| { type: 'mc'; options: { index: number; text: string }[] }
	| { type: 'multi'; options: { index: number; text: string }[] }
	| { type: 'tf' }
	| { type: 'short' }
	| { type: 'matching'; lefts: string[]; rights: string[] }
	| { type: 'numerical' }
	/** The items in a shuffled order; the student puts one in each position. */
	| { type: 'ordering'; items: { index: number; text: string }[] };

export interface ScoredResponse {
	/** 0 to 1. */
	score: number;
	correct: boolean;
	/** The per-option feedback that applies to this response, when the question has one. */
	feedback: string | null;
	/** What a right answer is, in words, for the review. */
	rightAnswer: string;
}

export type StoredAnswer = GiftAnswer;
