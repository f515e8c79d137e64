import { loadReadingPage } from '$lib/server/web/reading-page';
import { getDb } from '$lib/server/db';
import { getConcernMap } from '$lib/server/courses/queries';
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

// A reading page with nothing to run in the browser: sent as HTML only, without its data a second
// time for hydration and without JavaScript (docs/architecture.md, Courses).
export const csr = false;

export const load: PageServerLoad = async ({ params, locals }) => {
	// The map has nothing of the viewer's own: the head leaves out their progress and classes.
	const { page, course } = await loadReadingPage(
		locals.user,
		params.course,
		{ page: 'map', notFound: 'There is no such course.', personal: false },
		buildMap
	);
	return { course, ...page };
};
