import type { AssignmentInput } from '../classes/assignments.ts';
import type { QuizSettingsInput } from '../quizzes/settings.ts';
import { dateFromForm } from './dates.ts';

// `dateFromForm` refuses what is not a real moment (30 February, 24:00) rather than shifting it.
const NOT_A_DATE =
	'That is not a real date and time (check the day of the month), or not between 2000 and 2100.';

export type AssignmentFormResult =
	| { ok: true; input: AssignmentInput; values: Record<string, string> }
	| { ok: false; errors: Record<string, string>; values: Record<string, string> };

export interface QuizChoice {
	id: number;
	title: string;
	questionCount: number;
}

const REVEALS = ['after-attempt', 'after-due', 'never'] as const;
const GRADINGS = ['best', 'last', 'average'] as const;

/** The form's fields, each echoed back as typed when the form is refused. */
const FIELDS = [
	'kind',
	'lesson',
	'quiz',
	'title',
	'instructions',
	'opens',
	'due',
	'closes',
	'completion',
	'attempts',
	'timeLimit',
	'grace',
	'grading',
	'pass',
	'layout',
	'perPage',
	'shuffleQuestions',
	'shuffleOptions',
	'review',
	'reviewMarks',
	'reviewAnswers',
	'reviewFeedback',
	'postFirst',
	'anonymous',
	'actorMode'
] as const;

/** A whole number in [min, max] from a field, null when empty, or an error message. */
function wholeNumber(text: string, min: number, max: number, what: string): number | null | string {
	const t = text.trim();
	if (!t) return null;
	if (!/^\d{1,6}$/.test(t) || Number(t) < min || Number(t) > max)
		return `Write ${what} as a whole number from ${min} to ${max}, or leave it empty.`;
	return Number(t);
}

/**
 * Reads and checks the assignment form: a lesson (with its completion rule) or a quiz (with how
 * it runs in the class). Dates typed without the browser's zone are read in the class's `timeZone`.
 */
export function parseAssignmentForm(
	form: FormData,
	lessons: { id: number; title: string; checkCount: number }[],
	timeZone = 'UTC',
	quizzes: QuizChoice[] = []
): AssignmentFormResult {
	const errors: Record<string, string> = {};
	const values: Record<string, string> = {};
	for (const k of FIELDS) values[k] = String(form.get(k) ?? '');
	const kind =
		values.kind === 'quiz' ? 'quiz' : values.kind === 'discussion' ? 'discussion' : 'lesson';
	values.kind = kind;
	const lesson =
		kind === 'lesson' ? lessons.find((l) => String(l.id) === values.lesson) : undefined;
	const quiz = kind === 'quiz' ? quizzes.find((q) => String(q.id) === values.quiz) : undefined;
	if (kind === 'lesson' && !lesson) errors.lesson = 'Choose a lesson.';
	if (kind === 'quiz' && !quiz) errors.quiz = 'Choose a quiz.';
	else if (quiz && quiz.questionCount === 0)
		errors.quiz = 'This quiz has no questions yet: choose another, or add questions to the bank.';
	const title = values.title.trim() || lesson?.title || quiz?.title || '';
	if (title.length > 160) errors.title = 'Use at most 160 characters.';
	else if (kind === 'discussion' && !title)
		errors.title = 'Give the prompt a title: it names the discussion thread.';
	if (values.instructions.length > 2000) errors.instructions = 'Use at most 2000 characters.';
	else if (kind === 'discussion' && !values.instructions.trim())
		errors.instructions = 'Write the prompt: what students are to discuss.';
	const actorMode = values.actorMode || 'none';
	if (kind === 'discussion' && !['none', 'assigned', 'choose'].includes(actorMode))
		errors.actorMode = 'Choose whether students argue as an actor.';
	const completion = values.completion || 'marked';
	if (kind === 'lesson') {
		if (completion !== 'marked' && completion !== 'checks')
			errors.completion = 'Choose when the lesson counts as done.';
		else if (completion === 'checks' && lesson && lesson.checkCount === 0)
			errors.completion =
				'This lesson has no check questions: choose “when the student marks it done”.';
	}
	const due = dateFromForm(form, 'due', timeZone);
	const opens = dateFromForm(form, 'opens', timeZone);
	if (due === null) errors.due = 'Choose a due date.';
	else if (due === 'invalid') errors.due = NOT_A_DATE;
	if (opens === 'invalid') errors.opens = `${NOT_A_DATE} Or leave it empty.`;
	if (due instanceof Date && opens instanceof Date && opens > due)
		errors.opens = 'The open date must be before the due date.';
	const quizSettings = kind === 'quiz' ? parseQuizSettings(form, values, errors, timeZone) : null;
	if (quizSettings?.closesAt && opens instanceof Date && quizSettings.closesAt <= opens)
		errors.closes = 'The close date must be after the open date.';
	if (quizSettings?.closesAt && due instanceof Date && quizSettings.closesAt < due)
		errors.closes =
			'The close date must be on or after the due date (late work is accepted until it).';
	if (
		Object.keys(errors).length ||
		!(due instanceof Date) ||
		!(lesson || quiz || kind === 'discussion')
	)
		return { ok: false, errors, values };
	return {
		ok: true,
		values,
		input: {
			kind,
			lessonId: lesson?.id ?? null,
			completion: kind === 'lesson' ? (completion as 'marked' | 'checks') : 'marked',
			title,
			instructions: values.instructions,
			opensAt: opens instanceof Date ? opens : null,
			dueAt: due,
			quizId: quiz?.id ?? null,
			quiz: quizSettings,
			discussion:
				kind === 'discussion'
					? {
							postFirst: values.postFirst === 'on',
							anonymous: values.anonymous === 'on',
							actorMode: actorMode as 'none' | 'assigned' | 'choose'
						}
					: null
		}
	};
}

function parseQuizSettings(
	form: FormData,
	values: Record<string, string>,
	errors: Record<string, string>,
	timeZone: string
): QuizSettingsInput {
	const attempts = wholeNumber(values.attempts, 1, 100, 'the number of attempts');
	if (typeof attempts === 'string') errors.attempts = attempts;
	const minutes = wholeNumber(values.timeLimit, 1, 1440, 'the time limit in minutes');
	if (typeof minutes === 'string') errors.timeLimit = minutes;
	const grace =
		values.grace.trim() === ''
			? 60
			: wholeNumber(values.grace, 0, 3600, 'the grace period in seconds');
	if (typeof grace === 'string') errors.grace = grace;
	const pass = wholeNumber(values.pass, 0, 100, 'the pass mark in percent');
	if (typeof pass === 'string') errors.pass = pass;
	const questionsPerPage = pagingFromForm(values, errors);
	const grading = (GRADINGS as readonly string[]).includes(values.grading)
		? values.grading
		: 'best';
	const closes = dateFromForm(form, 'closes', timeZone);
	if (closes === 'invalid') errors.closes = `${NOT_A_DATE} Or leave it empty.`;
	const preset = values.review || 'after-attempt';
	const reveal = (v: string, field: string) => {
		if ((REVEALS as readonly string[]).includes(v)) return v as (typeof REVEALS)[number];
		errors[field] = 'Choose when students see this.';
		return 'after-attempt' as const;
	};
	let policy: Pick<QuizSettingsInput, 'reviewMarks' | 'reviewAnswers' | 'reviewFeedback'>;
	if (preset === 'custom') {
		policy = {
			reviewMarks: reveal(values.reviewMarks, 'reviewMarks'),
			reviewAnswers: reveal(values.reviewAnswers, 'reviewAnswers'),
			reviewFeedback: reveal(values.reviewFeedback, 'reviewFeedback')
		};
	} else {
		const r = reveal(preset, 'review');
		policy = { reviewMarks: r, reviewAnswers: r, reviewFeedback: r };
	}
	return {
		attemptsAllowed: typeof attempts === 'number' ? attempts : null,
		timeLimitSeconds: typeof minutes === 'number' ? minutes * 60 : null,
		graceSeconds: typeof grace === 'number' ? grace : 60,
		shuffleQuestions: values.shuffleQuestions === 'on',
		shuffleOptions: values.shuffleOptions === 'on',
		questionsPerPage,
		...policy,
		passPercent: typeof pass === 'number' ? pass : null,
		grading: grading as QuizSettingsInput['grading'],
		closesAt: closes instanceof Date ? closes : null
	};
}

/**
 * How many questions a page shows, as Moodle's "new page every N questions": all on one page
 * (0), one per page (1), or several (`perPage`, 2 to 50).
 */
function pagingFromForm(values: Record<string, string>, errors: Record<string, string>): number {
	if (values.layout === 'paged') return 1;
	if (values.layout !== 'several') return 0;
	const n = wholeNumber(values.perPage, 2, 50, 'the questions per page');
	if (typeof n === 'number') return n;
	errors.perPage =
		typeof n === 'string' ? n : 'Write how many questions each page shows, from 2 to 50.';
	return 0;
}

/** The form's values for an existing quiz assignment (the edit page). */
export function quizSettingsValues(s: QuizSettingsInput | null): Record<string, string> {
	if (!s) return {};
	const preset =
		s.reviewMarks === s.reviewAnswers && s.reviewAnswers === s.reviewFeedback
			? s.reviewMarks
			: 'custom';
	return {
		attempts: s.attemptsAllowed === null ? '' : String(s.attemptsAllowed),
		timeLimit: s.timeLimitSeconds === null ? '' : String(Math.round(s.timeLimitSeconds / 60)),
		grace: String(s.graceSeconds),
		grading: s.grading,
		pass: s.passPercent === null ? '' : String(s.passPercent),
		layout: s.questionsPerPage === 0 ? 'all' : s.questionsPerPage === 1 ? 'paged' : 'several',
		perPage: s.questionsPerPage > 1 ? String(s.questionsPerPage) : '',
		shuffleQuestions: s.shuffleQuestions ? 'on' : '',
		shuffleOptions: s.shuffleOptions ? 'on' : '',
		review: preset,
		reviewMarks: s.reviewMarks,
		reviewAnswers: s.reviewAnswers,
		reviewFeedback: s.reviewFeedback,
		closes: s.closesAt ? s.closesAt.toISOString() : ''
	};
}
