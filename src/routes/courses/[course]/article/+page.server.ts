import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getArticle, courseSections } from '$lib/server/courses/queries';
import { canViewCourse } from '$lib/server/courses/access';
import { courseRenderer } from '$lib/server/courses/render';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const course = await getArticle(await getDb(), params.course);
	if (!course || !canViewCourse(locals.user, course)) error(404, 'There is no such course.');
	const r = courseRenderer(course.slug, course.paragraphs);
	return {
		course: {
			slug: course.slug,
			title: course.title,
			draft: course.status === 'draft',
			sections: courseSections(course),
			articleTitle: course.articleTitle,
			articlePublisher: course.articlePublisher,
			articleDate: course.articleDate,
			articleReference: course.articleReference,
			articleNote: course.articleNote ? r.block(course.articleNote, 'note') : null
		},
		paragraphs: course.paragraphs.map((p) => ({
			number: p.number,
			body: p.body,
			actors: course.actors
				.filter((a) => a.cites.includes(p.number))
				.map((a) => ({ slug: a.slug, short: a.short }))
		}))
	};
};
