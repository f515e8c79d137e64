import { error, redirect } from '@sveltejs/kit';
import {
	deleteQuestion,
	duplicateQuestion,
	findBankQuestion,
	formatCites,
	saveQuestion,
	type BankQuestion
} from '$lib/server/courses/authoring';
import { planRegrade } from '$lib/server/quizzes/regrade';
import { formValuesOfAnswer } from '$lib/quiz/question-form';
import { failure, formValues } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import { parseId } from '$lib/validation/ids';
import { editableCourse } from '../../../../forms.server';
import { editorChoices, parseQuestionForm, renderPreview } from '../question-form.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

async function questionOf(event: RequestEvent) {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	const id = parseId(event.params.question);
	const question = id === null ? undefined : await findBankQuestion(db, course.id, id);
	if (!question) error(404, 'There is no such question.');
	return { user, db, course, question };
}

function valuesOf(q: BankQuestion): Record<string, string> {
	return {
		...formValuesOfAnswer(q.answer),
		title: q.title ?? '',
		prompt: q.prompt,
		points: String(q.points),
		explanation: q.explanation ?? '',
		cites: formatCites(q.cites),
		actor: q.actorId === null ? '' : String(q.actorId),
		concern: q.concernId === null ? '' : String(q.concernId),
		externalId: q.externalId
	};
}

export const load: PageServerLoad = async (event) => {
	const { db, course, question } = await questionOf(event);
	const [choices, plan] = await Promise.all([
		editorChoices(db, course.id),
		question.attempts ? planRegrade(db, course.id, question.id) : undefined
	]);
	const values = valuesOf(question);
	const q = event.url.searchParams;
	return {
		course: { slug: course.slug, title: course.title, status: course.status },
		question: {
			id: question.id,
			name: question.title ?? question.externalId,
			quizzes: question.quizzes,
			attempts: question.attempts
		},
		regrade:
			plan && (plan.rows.length || plan.incompatible)
				? {
						attempts: plan.rows.length,
						changed: plan.changed.length,
						incompatible: plan.incompatible
					}
				: null,
		notice: q.has('added')
			? 'The question was added.'
			: q.has('copied')
				? 'This is the copy: change it and save.'
				: null,
		...choices,
		values,
		preview: renderPreview(course.slug, choices.paragraphs, values)
	};
};

export const actions: Actions = {
	save: async (event) => {
		const { db, course, question } = await questionOf(event);
		const form = await event.request.formData();
		const parsed = parseQuestionForm(form);
		if (!parsed.ok)
			return failure(400, { action: 'save', errors: parsed.errors, values: parsed.values });
		const saved = await saveQuestion(db, course.id, question.id, parsed.input);
		if (!saved.ok)
			return failure(400, {
				action: 'save',
				errors: saved.errors,
				problems: saved.problems,
				values: form
			});
		return {
			action: 'save',
			saved:
				saved.keyChanged && saved.attempts
					? 'The question was saved. Attempts already made keep the version they were given: see below whether to regrade them.'
					: 'The question was saved.'
		};
	},
	preview: async (event) => {
		const { db, course } = await questionOf(event);
		const values = formValues(await event.request.formData());
		const { paragraphs } = await editorChoices(db, course.id);
		return { action: 'preview', values, preview: renderPreview(course.slug, paragraphs, values) };
	},
	duplicate: async (event) => {
		const { db, course, question } = await questionOf(event);
		const copy = await duplicateQuestion(db, course.id, question.id);
		if (!copy.ok)
			return failure(409, {
				action: 'duplicate',
				message: copy.errors.form ?? 'The question could not be copied.',
				problems: copy.problems
			});
		redirect(303, `/author/courses/${course.slug}/questions/${copy.id}?copied=1`);
	},
	delete: async (event) => {
		const { db, course, question } = await questionOf(event);
		const deleted = await deleteQuestion(db, course.id, question.id);
		if (!deleted.ok)
			return failure(409, {
				action: 'delete',
				message: deleted.errors.form,
				problems: deleted.problems
			});
		redirect(303, `/author/courses/${course.slug}/questions?deleted=1`);
	}
};
