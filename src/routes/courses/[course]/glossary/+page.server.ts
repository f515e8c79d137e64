import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { canViewCourse } from '$lib/server/courses/access';
import { courseSections, getGlossaryPage } from '$lib/server/courses/queries';
import { courseRenderer } from '$lib/server/courses/render';
import type { PageServerLoad } from './$types';

// A reading page with nothing to run in the browser: sent as HTML only, without its data a second
// time for hydration and without JavaScript (docs/architecture.md, Courses).
export const csr = false;

export const load: PageServerLoad = async ({ params, locals }) => {
	const row = await getGlossaryPage(await getDb(), params.course);
	if (!row || !canViewCourse(locals.user, row)) error(404, 'There is no such course.');
	const r = courseRenderer(row.slug, row.paragraphs);
	return {
		course: {
			slug: row.slug,
			title: row.title,
			draft: row.status === 'draft',
			sections: courseSections(row)
		},
		terms: row.glossary.map((g, i) => ({
			term: g.term,
			definition: r.block(g.definition, `g${i}`),
			beyondNote: g.beyondNote,
			beyondSource: g.beyondSource
		}))
	};
};
