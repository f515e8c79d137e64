import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getConcernMap, courseSections } from '$lib/server/courses/queries';
import { getReadingHead } from '$lib/server/courses/reading-head';
import { cachedPage } from '$lib/server/courses/page-cache';
import { canViewCourse } from '$lib/server/courses/access';
import type { PageServerLoad } from './$types';

// Who holds which concern, read once per content version.
async function buildMap(slug: string) {
	const row = await getConcernMap(await getDb(), slug);
	if (!row) return undefined;
	return {
		version: row.version,
		value: {
			actors: row.actors.map((a) => ({ id: a.id, slug: a.slug, name: a.name, short: a.short })),
			concerns: row.concerns.map((k) => ({
				slug: k.slug,
				label: k.label,
				holders: k.holders.map((h) => ({ actorId: h.actorId, kind: h.kind, cites: h.cites }))
			}))
		}
	};
}

export const load: PageServerLoad = async ({ params, locals }) => {
	const head = await getReadingHead(await getDb(), params.course, null);
	if (!head || !canViewCourse(locals.user, head)) error(404, 'There is no such course.');
	const page = await cachedPage(`map:${head.id}`, head.version, () => buildMap(head.slug));
	if (!page) error(404, 'There is no such course.');
	return {
		course: {
			slug: head.slug,
			title: head.title,
			draft: head.status === 'draft',
			sections: courseSections(head)
		},
		...page
	};
};
