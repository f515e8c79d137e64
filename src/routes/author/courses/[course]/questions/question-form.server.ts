/**
 * The question editor's form, shared by the "new question" and "edit question" pages: the fields
 * every type has (Valibot), the answer part by type ($lib/quiz/question-form), and what both
 * pages load (tags to choose from, the article's paragraphs, the rendered preview).
 */
import * as v from 'valibot';
import {
	answerFromForm,
	isQuestionType,
	previewOf,
	type FormValues
} from '$lib/quiz/question-form';
import { publicQuestion, rightAnswerText } from '$lib/quiz/score';
import type { GiftAnswer } from '$lib/gift';
import {
	listActors,
	listConcerns,
	listParagraphs,
	type QuestionInput
} from '$lib/server/courses/authoring';
import { courseRenderer } from '$lib/server/courses/render';
import { formValues, parseForm, type FieldErrors } from '$lib/server/web/forms';
import { parseId } from '$lib/validation/ids';
import { parseDecimal } from '$lib/validation/numbers';
import { citesField, markdown, optional, requiredMarkdown } from '../../../forms.server';
import type { Executor } from '$lib/server/db';

const optionalId = v.pipe(
	v.optional(v.string(), ''),
	v.rawTransform(({ dataset, addIssue, NEVER }) => {
		if (dataset.value === '') return null;
		const id = parseId(dataset.value);
		if (id !== null) return id;
		addIssue({ message: 'Choose one from the list.' });
		return NEVER;
	})
);

const MetaSchema = v.object({
	type: v.picklist(
		['mc', 'multi', 'tf', 'short', 'matching', 'ordering', 'numerical'],
		'Choose a type.'
	),
	title: optional(200),
	externalId: optional(80),
	prompt: requiredMarkdown('the question', 5_000),
	explanation: v.pipe(
		markdown(5_000),
		v.transform((s) => (s === '' ? null : s))
	),
	cites: citesField,
	actor: optionalId,
	concern: optionalId,
	points: v.pipe(
		v.optional(v.string(), '1'),
		v.rawTransform(({ dataset, addIssue, NEVER }) => {
			const n = dataset.value.trim() === '' ? 1 : parseDecimal(dataset.value);
			if (n !== null && n > 0 && n <= 100) return n;
			addIssue({ message: 'Give a number of points above 0 and at most 100, e.g. 1 or 2.5.' });
			return NEVER;
		})
	)
});

export type ParsedQuestion =
	{ ok: true; input: QuestionInput } | { ok: false; errors: FieldErrors; values: FormValues };

/** The posted editor form as a question, or every field's message and what was typed. */
export function parseQuestionForm(form: FormData): ParsedQuestion {
	const values = formValues(form);
	const meta = parseForm(MetaSchema, form);
	const type = isQuestionType(values.type) ? values.type : null;
	const answer = type ? answerFromForm(type, values) : null;
	const errors: FieldErrors = {
		...(meta.ok ? {} : meta.errors),
		...(answer && !answer.ok ? answer.errors : {})
	};
	if (!meta.ok || !answer?.ok) return { ok: false, errors, values };
	const d = meta.data;
	return {
		ok: true,
		input: {
			externalId: d.externalId,
			title: d.title,
			prompt: d.prompt,
			answer: answer.answer,
			explanation: d.explanation,
			cites: d.cites,
			actorId: d.actor,
			concernId: d.concern,
			points: d.points
		}
	};
}

/** The tags and paragraphs the editor offers. */
export async function editorChoices(db: Executor, courseId: number) {
	const [actors, concerns, paragraphs] = await Promise.all([
		listActors(db, courseId),
		listConcerns(db, courseId),
		listParagraphs(db, courseId)
	]);
	return {
		actors: actors.map((a) => ({ id: a.id, name: a.name })),
		concerns: concerns.map((c) => ({ id: c.id, label: c.label })),
		paragraphs
	};
}

export interface QuestionPreview {
	promptHtml: string;
	explanationHtml: string;
	/** The question as a student sees it (options in written order, no key). */
	question: ReturnType<typeof publicQuestion> | null;
	rightAnswer: string | null;
}

/** The preview of what the form holds, rendered as readers will see it. */
export function renderPreview(
	courseSlug: string,
	paragraphs: { number: number; body: string }[],
	values: FormValues
): QuestionPreview {
	const r = courseRenderer(courseSlug, paragraphs);
	const type = isQuestionType(values.type) ? values.type : null;
	const shown = type ? previewOf(type, values) : { answer: null, complete: false };
	const key: GiftAnswer | null = shown.answer;
	return {
		promptHtml: r.inline(values.prompt ?? '', 'pp'),
		explanationHtml: r.block(values.explanation ?? '', 'pe'),
		question: key ? publicQuestion(key, null) : null,
		rightAnswer: key && shown.complete ? rightAnswerText(key) : null
	};
}
