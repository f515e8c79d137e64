export interface GiftChoice {
	text: string;
	correct: boolean;
	feedback: string | null;
}

/** An option of a multiple-answer question; it is right when its weight is positive. */
export interface GiftWeightedOption {
	text: string;
	/** Percent of the mark, -100 to 100; the positive weights add up to 100. */
	weight: number;
	feedback: string | null;
}

export interface GiftPair {
	left: string;
	right: string;
}

export type GiftNumber =
	{ kind: 'exact'; value: number; tolerance: number } | { kind: 'range'; min: number; max: number };

/** What a question asks for, by type. */
export type GiftAnswer =
	| { type: 'mc'; choices: GiftChoice[] }
	| { type: 'multi'; options: GiftWeightedOption[] }
	| {
			type: 'tf';
			answer: boolean;
			feedbackIfWrong: string | null;
			feedbackIfRight: string | null;
	  }
	| { type: 'short'; answers: string[] }
	| { type: 'matching'; pairs: GiftPair[] }
	| { type: 'numerical'; answer: GiftNumber }
	/** Our extension, tagged `[type:ordering]`: the items, written in their right order. */
	| { type: 'ordering'; items: string[] };

export type GiftQuestionType = GiftAnswer['type'];

export interface GiftQuestionBase {
	/** Our `[id:…]` tag; null in a file written without our tags (e.g. for Moodle). */
	id: string | null;
	actor: string | null;
	concern: string | null;
	/**
	 * The paragraphs that answer the question (`[cite:…]`); empty when the file gives none: the
	 * question then "needs a citation" before it can be a lesson check or drawn for a quiz.
	 */
	cites: number[];
	/** The `$CATEGORY:` path the question was filed under, Moodle's `$course$/top/` left out. */
	category: string | null;
	/** Our `[points:…]` tag: the question's weight in a quiz; absent means 1 (Moodle's default). */
	points?: number;
	title: string | null;
	prompt: string;
	/** The general feedback (`####…`). */
	explanation: string | null;
	/** 1-based line of the question's first line in the source. */
	line: number;
}

export type GiftQuestion = GiftQuestionBase & GiftAnswer;

export interface GiftError {
	/** 1-based line in the source. */
	line: number;
	message: string;
}

export interface GiftParseResult {
	/** The questions without errors, in source order. */
	questions: GiftQuestion[];
	errors: GiftError[];
	/** How many questions were left out for their errors. */
	rejected: number;
}
