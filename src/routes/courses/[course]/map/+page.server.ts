import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getConcernMap, courseSections } from '$lib/server/courses/queries';
import { canViewCourse } from '$lib/server/courses/access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const row = await getConcernMap(await getDb(), params.course);
	if (!row || !canViewCourse(locals.user, row)) error(404, 'There is no such course.');
	return {
		course: {
			slug: row.slug,
			title: row.title,
			draft: row.status === 'draft',
			sections: courseSections(row)
		},
		actors: row.actors.map((a) => ({ id: a.id, slug: a.slug, name: a.name, short: a.short })),
		concerns: row.concerns.map((k) => ({
			slug: k.slug,
			label: k.label,
			holders: k.holders.map((h) => ({ actorId: h.actorId, kind: h.kind, cites: h.cites }))
		}))
	};
};
