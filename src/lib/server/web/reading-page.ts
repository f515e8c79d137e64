import { error } from '@sveltejs/kit';
import { getDb } from '../db/index.ts';
import { canViewCourse } from '../courses/access.ts';
import { cachedPage } from '../courses/page-cache.ts';
import { courseSections } from '../courses/queries.ts';
import { getReadingHead, type ReadingHead } from '../courses/reading-head.ts';

type Viewer = Parameters<typeof canViewCourse>[0];

/**
 * The shared start of the reading pages' loads (overview, article, map, lesson, actor): the
 * per-request head (who may see the course, its version, the viewer's own progress and classes;
 * `personal: false` leaves those out), 404 with `notFound` when the viewer may not see the course
 * or the page does not exist, the part rendered once per content version (the page cache, under
 * `page`, the course and `item`), and the course header every reading page shows.
 */
export async function loadReadingPage<T>(
	viewer: Viewer,
	slug: string,
	opts: { page: string; item?: string; notFound: string; personal?: boolean },
	build: (slug: string) => Promise<{ version: string; value: T } | undefined>
) {
	const viewerId = opts.personal === false ? null : (viewer?.id ?? null);
	const head: ReadingHead | undefined = await getReadingHead(await getDb(), slug, viewerId);
	if (!head || !canViewCourse(viewer, head)) error(404, opts.notFound);
	const key = [opts.page, head.id, ...(opts.item === undefined ? [] : [opts.item])].join(':');
	const page = await cachedPage(key, head.version, () => build(head.slug));
	if (page === undefined) error(404, opts.notFound);
	const course = {
		slug: head.slug,
		title: head.title,
		draft: head.status === 'draft',
		sections: courseSections(head)
	};
	return { head, page, course };
}
