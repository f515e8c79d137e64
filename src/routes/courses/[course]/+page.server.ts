import { loadReadingPage } from '$lib/server/web/reading-page';
import { getDb } from '$lib/server/db';
import { getCourseOverview } from '$lib/server/courses/queries';
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

// A reading page with nothing to run in the browser: sent as HTML only, without its data a second
// time for hydration and without JavaScript (docs/architecture.md, Courses).
export const csr = false;

export const load: PageServerLoad = async ({ params, locals }) => {
	const { head, page, course } = await loadReadingPage(
		locals.user,
		params.course,
		{ page: 'overview', notFound: 'There is no such course.' },
		buildOverview
	);
	const done = new Set(head.doneLessonIds);
	const lessons = page.lessons.map(({ id, ...l }) => ({ ...l, done: done.has(id) }));
	const next = lessons.find((l) => !l.done);
	return {
		course: { ...course, ...page.course },
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
