import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getActorPage, courseSections } from '$lib/server/courses/queries';
import { getReadingHead } from '$lib/server/courses/reading-head';
import { cachedPage } from '$lib/server/courses/page-cache';
import { canViewCourse } from '$lib/server/courses/access';
import { courseRenderer } from '$lib/server/courses/render';
import type { PageServerLoad } from './$types';

// The actor's page, rendered once per content version.
async function buildActor(courseSlug: string, actorSlug: string) {
	const row = await getActorPage(await getDb(), courseSlug, actorSlug);
	if (!row) return undefined;
	const r = courseRenderer(row.slug, row.paragraphs);
	return {
		version: row.version,
		value: {
			actorId: row.actorId,
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
		}
	};
}

export const load: PageServerLoad = async ({ params, locals }) => {
	const head = await getReadingHead(await getDb(), params.course, locals.user?.id ?? null);
	if (!head || !canViewCourse(locals.user, head))
		error(404, 'There is no such actor in this course.');
	const page = await cachedPage(`actor:${head.id}:${params.actor}`, head.version, () =>
		buildActor(head.slug, params.actor)
	);
	if (!page) error(404, 'There is no such actor in this course.');
	const { actorId, ...rest } = page;
	return {
		discuss: head.classes.map((k) => ({
			name: k.name,
			href: `/classes/${k.id}/discussions?start=actor&actor=${actorId}#start`
		})),
		course: {
			slug: head.slug,
			title: head.title,
			draft: head.status === 'draft',
			sections: courseSections(head)
		},
		...rest
	};
};
