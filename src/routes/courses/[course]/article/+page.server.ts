import { loadReadingPage } from '$lib/server/web/reading-page';
import { getDb } from '$lib/server/db';
import { getArticle } from '$lib/server/courses/queries';
import { courseRenderer } from '$lib/server/courses/render';
import { paragraphDiscussionCounts } from '$lib/server/discussion/threads';
import { parseId } from '$lib/validation/ids';
import type { PageServerLoad } from './$types';

// The reader's text and who cites each paragraph, rendered once per content version.
async function buildArticle(slug: string) {
	const course = await getArticle(await getDb(), slug);
	if (!course) return undefined;
	const r = courseRenderer(course.slug, course.paragraphs);
	return {
		version: course.version,
		value: {
			course: {
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
		}
	};
}

// A reading page with nothing to run in the browser: sent as HTML only, without its data a second
// time for hydration and without JavaScript (docs/architecture.md, Courses).
export const csr = false;

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const { head, page, course } = await loadReadingPage(
		locals.user,
		params.course,
		{ page: 'article', notFound: 'There is no such course.' },
		buildArticle
	);
	// A member of a class of this course sees how much each paragraph is discussed there.
	const wanted = parseId(url.searchParams.get('class'));
	const classId = head.classes.find((c) => c.id === wanted)?.id ?? head.classes[0]?.id ?? null;
	const counts = classId === null ? null : await paragraphDiscussionCounts(await getDb(), classId);
	return {
		course: { ...course, ...page.course },
		discussion: classId !== null ? { classes: head.classes, classId } : null,
		paragraphs: page.paragraphs.map((p) => ({
			...p,
			threads: counts?.get(p.number)?.threads ?? 0
		}))
	};
};
