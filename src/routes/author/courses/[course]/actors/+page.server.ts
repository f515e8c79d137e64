import {
	deleteActor,
	formatCites,
	listActors,
	listParagraphs,
	saveActor
} from '$lib/server/courses/authoring';
import { courseRenderer } from '$lib/server/courses/render';
import { requireRole } from '$lib/server/web/guards';
import { ActorSchema, editableCourse, listItemActions, withSlug } from '../../../forms.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	const [actors, paragraphs] = await Promise.all([
		listActors(db, course.id),
		listParagraphs(db, course.id)
	]);
	const r = courseRenderer(course.slug, paragraphs);
	return {
		course: { slug: course.slug, title: course.title, status: course.status },
		paragraphCount: paragraphs.length,
		actors: actors.map((a, i) => ({
			id: a.id,
			name: a.name,
			stance: a.stance,
			stanceLabel: a.stanceLabel,
			concernCount: a.concernCount,
			summaryHtml: r.block(a.summary, `a${i}`),
			values: {
				slug: a.slug,
				name: a.name,
				short: a.short,
				stance: a.stance,
				stanceLabel: a.stanceLabel,
				summary: a.summary,
				cites: formatCites(a.cites)
			}
		}))
	};
};

const STANCE_LABEL: Record<string, string> = {
	supports: 'Supports',
	opposes: 'Opposes',
	proposed: 'Proposed it',
	sceptical: 'Sceptical',
	decides: 'Decides',
	other: 'Other'
};

export const actions: Actions = listItemActions({
	noun: 'actor',
	schema: ActorSchema,
	save: async (db, courseId, id, d) => {
		const errors = {};
		const slug = withSlug(d.slug, d.short ?? d.name, errors);
		if (!slug) return { ok: false, errors };
		return await saveActor(db, courseId, id, {
			slug,
			name: d.name,
			short: d.short ?? d.name,
			stance: d.stance,
			stanceLabel: d.stanceLabel ?? STANCE_LABEL[d.stance],
			summary: d.summary,
			cites: d.cites
		});
	},
	remove: deleteActor,
	savedMessage: (d, added) => `${added ? 'Added' : 'Saved'} “${d.name}”.`,
	deletedMessage: 'The actor was deleted, with its place in any concern.'
});
