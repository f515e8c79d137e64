import type { AssignmentInput } from '../classes/assignments.ts';
import { dateFromForm } from './dates.ts';

// `dateFromForm` refuses what is not a real moment (30 February, 24:00) rather than shifting it.
const NOT_A_DATE =
	'That is not a real date and time (check the day of the month), or not between 2000 and 2100.';

export type AssignmentFormResult =
	| { ok: true; input: AssignmentInput; values: Record<string, string> }
	| { ok: false; errors: Record<string, string>; values: Record<string, string> };

/**
 * Reads and checks the assignment form (lesson assignments; quizzes and prompts come later).
 * Dates typed without the browser's zone are read in the class's `timeZone`.
 */
export function parseAssignmentForm(
	form: FormData,
	lessons: { id: number; title: string; checkCount: number }[],
	timeZone = 'UTC'
): AssignmentFormResult {
	const errors: Record<string, string> = {};
	const values: Record<string, string> = {};
	for (const k of ['lesson', 'title', 'instructions', 'opens', 'due', 'completion'])
		values[k] = String(form.get(k) ?? '');
	const lesson = lessons.find((l) => String(l.id) === values.lesson);
	if (!lesson) errors.lesson = 'Choose a lesson.';
	const title = values.title.trim() || lesson?.title || '';
	if (title.length > 160) errors.title = 'Use at most 160 characters.';
	if (values.instructions.length > 2000) errors.instructions = 'Use at most 2000 characters.';
	const completion = values.completion || 'marked';
	if (completion !== 'marked' && completion !== 'checks')
		errors.completion = 'Choose when the lesson counts as done.';
	else if (completion === 'checks' && lesson && lesson.checkCount === 0)
		errors.completion =
			'This lesson has no check questions: choose “when the student marks it done”.';
	const due = dateFromForm(form, 'due', timeZone);
	const opens = dateFromForm(form, 'opens', timeZone);
	if (due === null) errors.due = 'Choose a due date.';
	else if (due === 'invalid') errors.due = NOT_A_DATE;
	if (opens === 'invalid') errors.opens = `${NOT_A_DATE} Or leave it empty.`;
	if (due instanceof Date && opens instanceof Date && opens > due)
		errors.opens = 'The open date must be before the due date.';
	if (Object.keys(errors).length || !(due instanceof Date) || !lesson)
		return { ok: false, errors, values };
	return {
		ok: true,
		values,
		input: {
			kind: 'lesson',
			lessonId: lesson.id,
			completion: completion as 'marked' | 'checks',
			title,
			instructions: values.instructions,
			opensAt: opens instanceof Date ? opens : null,
			dueAt: due
		}
	};
}
