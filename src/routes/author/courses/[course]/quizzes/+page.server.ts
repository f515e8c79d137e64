import { redirect } from '@sveltejs/kit';
import { listCourseQuizzes, saveQuiz } from '$lib/server/courses/authoring';
import { failure, parseForm, type FieldErrors } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import { QuizSchema, editableCourse, withSlug } from '../../../forms.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	return {
		course: { slug: course.slug, title: course.title, status: course.status },
		quizzes: await listCourseQuizzes(db, course.id)
	};
};

export const actions: Actions = {
	add: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const form = await event.request.formData();
		const parsed = parseForm(QuizSchema, form);
		if (!parsed.ok) return failure(400, { action: 'add', errors: parsed.errors, values: form });
		const errors: FieldErrors = {};
		const slug = withSlug(parsed.data.slug, parsed.data.title, errors);
		if (!slug) return failure(400, { action: 'add', errors, values: form });
		const saved = await saveQuiz(db, course.id, null, { ...parsed.data, slug });
		if (!saved.ok) return failure(400, { action: 'add', errors: saved.errors, values: form });
		redirect(303, `/author/courses/${course.slug}/quizzes/${saved.slug}`);
	}
};
