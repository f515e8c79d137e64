import { error } from '@sveltejs/kit';
import { jsonFromFiles } from '$lib/courses/archive';
import { exportCourseFiles } from '$lib/server/courses/authoring';
import { requireRole } from '$lib/server/web/guards';
import { editableCourse } from '../../../forms.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	const files = await exportCourseFiles(db, course.id);
	if (!files) error(404, 'There is no such course.');
	return new Response(jsonFromFiles(files), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${course.slug}.json"`,
			// A draft is private to its authors: no shared cache may keep it.
			'cache-control': 'private, no-store'
		}
	});
};
