import { redirect } from '@sveltejs/kit';
import { listLessons, moveLesson, saveLesson } from '$lib/server/courses/authoring';
import { failure, parseForm, type FieldErrors } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import * as v from 'valibot';
import { NewLessonSchema, editableCourse, idField, withSlug } from '../../../forms.server';
import type { Actions, PageServerLoad } from './$types';

const MoveSchema = v.object({ id: idField, direction: v.picklist(['up', 'down'], 'Up or down?') });

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	return {
		course: { slug: course.slug, title: course.title, status: course.status },
		lessons: await listLessons(db, course.id)
	};
};

export const actions: Actions = {
	add: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const form = await event.request.formData();
		const parsed = parseForm(NewLessonSchema, form);
		if (!parsed.ok) return failure(400, { action: 'add', errors: parsed.errors, values: form });
		const errors: FieldErrors = {};
		const slug = withSlug(parsed.data.slug, parsed.data.title, errors);
		if (!slug) return failure(400, { action: 'add', errors, values: form });
		const saved = await saveLesson(db, course.id, null, {
			slug,
			title: parsed.data.title,
			summary: parsed.data.summary,
			actors: [],
			keyPoints: [],
			check: [],
			body: ''
		});
		if (!saved.ok)
			return failure(400, {
				action: 'add',
				errors: saved.errors,
				problems: saved.problems,
				values: form
			});
		redirect(303, `/author/courses/${course.slug}/lessons/${saved.slug}`);
	},
	move: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const parsed = parseForm(MoveSchema, await event.request.formData());
		if (!parsed.ok) return failure(400, { action: 'move', message: 'Unknown lesson.' });
		const moved = await moveLesson(db, course.id, parsed.data.id, parsed.data.direction);
		if (!moved.ok)
			return failure(409, {
				action: 'move',
				item: parsed.data.id,
				message: moved.errors.form,
				problems: moved.problems
			});
		return { action: 'move', item: parsed.data.id };
	}
};
