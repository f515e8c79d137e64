import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { courseSections, getCourseOverview } from '$lib/server/courses/queries';
import { getReadingHead } from '$lib/server/courses/reading-head';
import { cachedPage } from '$lib/server/courses/page-cache';
import { canViewCourse } from '$lib/server/courses/access';
import { courseRenderer } from '$lib/server/courses/render';
import type { PageServerLoad } from './$types';

// What the overview shows of the course itself, rendered once per content version.
async function buildOverview(slug: string) {
	const course = await getCourseOverview(await getDb(), slug);
	if (!course) return undefined;
	const r = courseRenderer(course.slug, course.paragraphs);
	return {
		version: course.version,
		value: {
			course: {
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
			lessons: course.lessons.map((l) => ({
				id: l.id,
				slug: l.slug,
				title: l.title,
				summary: l.summary,
				minutes: Math.max(1, Math.round(Number(l.words) / 200))
			}))
		}
	};
}

export const load: PageServerLoad = async ({ params, locals }) => {
	const head = await getReadingHead(await getDb(), params.course, locals.user?.id ?? null);
	if (!head || !canViewCourse(locals.user, head)) error(404, 'There is no such course.');
	const page = await cachedPage(`overview:${head.id}`, head.version, () =>
		buildOverview(head.slug)
	);
	if (!page) error(404, 'There is no such course.');
	const done = new Set(head.doneLessonIds);
	const lessons = page.lessons.map(({ id, ...l }) => ({ ...l, done: done.has(id) }));
	const next = lessons.find((l) => !l.done);
	return {
		course: {
			slug: head.slug,
			title: head.title,
			draft: head.status === 'draft',
			sections: courseSections(head),
			...page.course
		},
		actors: page.actors,
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
