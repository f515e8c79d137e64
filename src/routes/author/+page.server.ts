import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { createCourseFromArticle, listAuthoredCourses } from '$lib/server/courses/authoring';
import { failure, parseForm } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import { NewCourseSchema } from './forms.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'instructor');
	const courses = await listAuthoredCourses(await getDb(), user);
	return {
		admin: user.role === 'admin',
		courses: courses.map((c) => ({
			slug: c.slug,
			title: c.title,
			status: c.status,
			owner: c.mine ? 'You' : (c.ownerName ?? 'Shipped with the app'),
			updatedAt: c.updatedAt,
			lessonCount: c.lessonCount,
			actorCount: c.actorCount
		}))
	};
};

export const actions: Actions = {
	create: async (event) => {
		const user = requireRole(event, 'instructor');
		const form = await event.request.formData();
		const parsed = parseForm(NewCourseSchema, form);
		if (!parsed.ok) return failure(400, { errors: parsed.errors, values: form });
		const made = await createCourseFromArticle(await getDb(), user.id, parsed.data);
		if (!made.ok) return failure(400, { errors: made.errors, values: form });
		redirect(303, `/author/courses/${made.slug}`);
	}
};
