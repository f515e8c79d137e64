import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getArticle, courseSections } from '$lib/server/courses/queries';
import { canViewCourse } from '$lib/server/courses/access';
import { courseRenderer } from '$lib/server/courses/render';
import { readerDiscussion } from '$lib/server/discussion/threads';
import { parseId } from '$lib/validation/ids';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const db = await getDb();
	const course = await getArticle(db, params.course);
	if (!course || !canViewCourse(locals.user, course)) error(404, 'There is no such course.');
	// A member of a class of this course sees how much each paragraph is discussed there.
	const discussion = locals.user
		? await readerDiscussion(db, locals.user.id, course.id, parseId(url.searchParams.get('class')))
		: null;
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
		discussion:
			discussion?.classId != null
				? { classes: discussion.classes, classId: discussion.classId }
				: null,
		paragraphs: course.paragraphs.map((p) => ({
			number: p.number,
			threads: discussion?.counts.get(p.number)?.threads ?? 0,
			body: p.body,
			actors: course.actors
				.filter((a) => a.cites.includes(p.number))
				.map((a) => ({ slug: a.slug, short: a.short }))
		}))
	};
};
