import { redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { idSchema } from '$lib/validation/ids';
import { getDb, inTransaction } from '$lib/server/db';
import { listCourses } from '$lib/server/courses/queries';
import { canViewCourse } from '$lib/server/courses/access';
import { createClass } from '$lib/server/classes/classes';
import { failure, parseForm } from '$lib/server/web/forms';
import { isTimeZone, timeZones } from '$lib/server/classes/time-zones';
import { requireRole } from '$lib/server/web/guards';
import type { Actions, PageServerLoad } from './$types';

const NewClass = v.object({
	name: v.pipe(
		v.string(),
		v.trim(),
		v.nonEmpty('Give the class a name.'),
		v.maxLength(120, 'Use at most 120 characters.')
	),
	course: idSchema('Choose a course.'),
	term: v.pipe(v.optional(v.string(), ''), v.trim(), v.maxLength(60, 'Use at most 60 characters.')),
	timeZone: v.pipe(
		v.string('Choose a time zone.'),
		v.check(isTimeZone, 'Choose a time zone from the list.')
	)
});

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'instructor');
	const courses = await listCourses(await getDb(), user);
	return {
		welcome: event.url.searchParams.has('welcome'),
		timeZones: timeZones(),
		courses: courses
			.filter((c) => c.status === 'published')
			.map((c) => ({ id: c.id, title: c.title }))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireRole(event, 'instructor');
		const parsed = parseForm(NewClass, await event.request.formData());
		if (!parsed.ok) return failure(400, { errors: parsed.errors, values: parsed.values });
		const db = await getDb();
		const course = (await listCourses(db, user)).find((c) => c.id === parsed.data.course);
		if (!course || course.status !== 'published' || !canViewCourse(user, course)) {
			return failure(400, {
				errors: { course: 'Choose a published course.' },
				values: {
					name: parsed.data.name,
					term: parsed.data.term,
					timeZone: parsed.data.timeZone,
					course: ''
				}
			});
		}
		const id = await inTransaction(db, (trx) =>
			createClass(trx, {
				courseId: course.id,
				name: parsed.data.name,
				term: parsed.data.term || null,
				instructorId: user.id,
				timeZone: parsed.data.timeZone
			})
		);
		redirect(303, `/classes/${id}`);
	}
};
