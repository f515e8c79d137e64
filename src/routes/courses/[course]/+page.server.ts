import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { completedLessonIds, courseSections, getCourseOverview } from '$lib/server/courses/queries';
import { canViewCourse } from '$lib/server/courses/access';
import { courseRenderer } from '$lib/server/courses/render';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const db = await getDb();
	const course = await getCourseOverview(db, params.course);
	if (!course || !canViewCourse(locals.user, course)) error(404, 'There is no such course.');
	const done = locals.user
		? await completedLessonIds(db, locals.user.id, course.id)
		: new Set<number>();
	const r = courseRenderer(course.slug, course.paragraphs);
	const lessons = course.lessons.map((l) => ({
		slug: l.slug,
		title: l.title,
		summary: l.summary,
		minutes: Math.max(1, Math.round(Number(l.words) / 200)),
		done: done.has(l.id)
	}));
	const next = lessons.find((l) => !l.done);
	return {
		course: {
			slug: course.slug,
			title: course.title,
			draft: course.status === 'draft',
			sections: courseSections(course),
			summary: r.block(course.summary, 'summary'),
			articleTitle: course.articleTitle,
			articlePublisher: course.articlePublisher,
			articleDate: course.articleDate,
			articleReference: course.articleReference,
			articleNote: course.articleNote ? r.block(course.articleNote, 'note') : null,
			paragraphCount: course.paragraphs.length
		},
		actors: course.actors.map((a) => ({
			slug: a.slug,
			name: a.name,
			stance: a.stance,
			stanceLabel: a.stanceLabel
		})),
		lessons,
		progress: locals.user
			? {
					done: lessons.filter((l) => l.done).length,
					total: lessons.length,
					next: next?.slug ?? null
				}
			: null
	};
};
