import { redirect } from '@sveltejs/kit';
import { saveQuestion } from '$lib/server/courses/authoring';
import { isQuestionType } from '$lib/quiz/question-form';
import { failure, formValues } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import { editableCourse } from '../../../../forms.server';
import { editorChoices, parseQuestionForm, renderPreview } from '../question-form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	const choices = await editorChoices(db, course.id);
	const asked = event.url.searchParams.get('type');
	const values = {
		type: isQuestionType(asked) ? asked : 'mc',
		points: '1',
		actor: choices.actors.some((a) => String(a.id) === event.url.searchParams.get('actor'))
			? (event.url.searchParams.get('actor') ?? '')
			: ''
	};
	return {
		course: { slug: course.slug, title: course.title, status: course.status },
		...choices,
		values,
		preview: renderPreview(course.slug, choices.paragraphs, values)
	};
};

export const actions: Actions = {
	save: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const form = await event.request.formData();
		const parsed = parseQuestionForm(form);
		if (!parsed.ok)
			return failure(400, { action: 'save', errors: parsed.errors, values: parsed.values });
		const saved = await saveQuestion(db, course.id, null, parsed.input);
		if (!saved.ok)
			return failure(400, {
				action: 'save',
				errors: saved.errors,
				problems: saved.problems,
				values: form
			});
		redirect(303, `/author/courses/${course.slug}/questions/${saved.id}?added=1`);
	},
	preview: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const values = formValues(await event.request.formData());
		const { paragraphs } = await editorChoices(db, course.id);
		return { action: 'preview', values, preview: renderPreview(course.slug, paragraphs, values) };
	}
};
