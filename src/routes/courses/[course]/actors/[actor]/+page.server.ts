import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getActorPage, courseSections } from '$lib/server/courses/queries';
import { canViewCourse } from '$lib/server/courses/access';
import { courseRenderer } from '$lib/server/courses/render';
import { memberClassesOfCourse } from '$lib/server/discussion/threads';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const row = await getActorPage(await getDb(), params.course, params.actor);
	if (!row || !canViewCourse(locals.user, row))
		error(404, 'There is no such actor in this course.');
	const classes = locals.user
		? await memberClassesOfCourse(await getDb(), locals.user.id, row.id)
		: [];
	const r = courseRenderer(row.slug, row.paragraphs);
	return {
		discuss: classes.map((k) => ({
			name: k.name,
			href: `/classes/${k.id}/discussions?start=actor&actor=${row.actorId}#start`
		})),
		course: {
			slug: row.slug,
			title: row.title,
			draft: row.status === 'draft',
			sections: courseSections(row)
		},
		actor: {
			slug: row.actorSlug,
			name: row.actorName,
			short: row.actorShort,
			stance: row.stance,
			stanceLabel: row.stanceLabel,
			summary: r.block(row.actorSummary, 'summary'),
			passages: row.actorCites.map((n) => ({ number: n, text: r.paragraph(n) ?? '' }))
		},
		concerns: row.concerns.map((k, i) => ({
			slug: k.slug,
			label: k.label,
			kind: k.kind,
			summary: r.inline(k.summary, `c${i}`),
			passages: k.cites.map((n) => ({ number: n, text: r.paragraph(n) ?? '' })),
			sharedWith: k.sharedWith
		})),
		lessons: row.lessons,
		others: row.allActors.filter((a) => a.slug !== row.actorSlug)
	};
};
