import { error } from '@sveltejs/kit';
import { exportBankGift } from '$lib/server/courses/authoring';
import { requireRole } from '$lib/server/web/guards';
import { editableCourse } from '../../../forms.server';
import type { RequestHandler } from './$types';

/** The question bank as a GIFT file, with our tags and the categories: Moodle reads it too. */
export const GET: RequestHandler = async (event) => {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	const gift = await exportBankGift(db, course.id);
	if (gift === undefined) error(404, 'There is no such course.');
	return new Response(gift, {
		headers: {
			'content-type': 'text/plain; charset=utf-8',
			'content-disposition': `attachment; filename="${course.slug}-questions.gift"`,
			// A draft is private to its authors: no shared cache may keep it.
			'cache-control': 'private, no-store'
		}
	});
};
