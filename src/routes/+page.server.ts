import { getDb } from '$lib/server/db';
import { listCourses } from '$lib/server/courses/queries';
import { memoText } from '$lib/server/courses/page-cache';
import { stripMarkdown } from '$lib/markdown';
import { listMyClasses } from '$lib/server/classes/classes';
import { listStudentAssignments } from '$lib/server/classes/assignments';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const db = await getDb();
	const user = locals.user;
	const [courses, classes, assignments] = await Promise.all([
		listCourses(db, user),
		user ? listMyClasses(db, user.id) : Promise.resolve(null),
		user ? listStudentAssignments(db, user.id) : Promise.resolve(null)
	]);
	return {
		courses: courses.map((c) => ({
			slug: c.slug,
			title: c.title,
			// Stripped here, not in the page: the browser then needs no Markdown parser.
			summary: memoText('strip', c.summary, stripMarkdown),
			draft: c.status === 'draft',
			lessonCount: c.lessonCount,
			actorCount: c.actorCount
		})),
		classes: classes?.filter((k) => !k.archived) ?? null,
		// Done work drops off the dashboard after a week; late and open work stays.
		assignments:
			assignments?.filter(
				(a) => !a.doneAt || Date.now() - new Date(a.doneAt).getTime() < 7 * 24 * 3600 * 1000
			) ?? null
	};
};
