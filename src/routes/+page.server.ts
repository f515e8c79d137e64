import { getDb } from '$lib/server/db';
import { listCourses } from '$lib/server/courses/queries';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const courses = await listCourses(await getDb(), locals.user);
	return {
		courses: courses.map((c) => ({
			slug: c.slug,
			title: c.title,
			summary: c.summary,
			draft: c.status === 'draft',
			lessonCount: c.lessonCount,
			actorCount: c.actorCount
		}))
	};
};
