import { loadReadingPage } from '$lib/server/web/reading-page';
import { getDb } from '$lib/server/db';
import { getActorPage } from '$lib/server/courses/queries';
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

// A reading page with nothing to run in the browser: sent as HTML only, without its data a second
// time for hydration and without JavaScript (docs/architecture.md, Courses).
export const csr = false;

export const load: PageServerLoad = async ({ params, locals }) => {
	const { head, page, course } = await loadReadingPage(
		locals.user,
		params.course,
		{ page: 'actor', item: params.actor, notFound: 'There is no such actor in this course.' },
		(slug) => buildActor(slug, params.actor)
	);
	const { actorId, ...rest } = page;
	return {
		discuss: head.classes.map((k) => ({
			name: k.name,
			href: `/classes/${k.id}/discussions?start=actor&actor=${actorId}#start`
		})),
		course,
		...rest
	};
};
