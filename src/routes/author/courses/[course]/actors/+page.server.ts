import { fail } from '@sveltejs/kit';
import {
	deleteActor,
	formatCites,
	listActors,
	listParagraphs,
	saveActor
} from '$lib/server/courses/authoring';
import { courseRenderer } from '$lib/server/courses/render';
import { formValues, parseForm } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import { ActorSchema, editableCourse, itemId, withSlug } from '../../../forms.server';
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

export const actions: Actions = {
	save: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const form = await event.request.formData();
		const id = itemId(form);
		if (Number.isNaN(id))
			return fail(400, { action: 'save', id: null, errors: { form: 'Unknown actor.' } });
		const parsed = parseForm(ActorSchema, form);
		if (!parsed.ok)
			return fail(400, { action: 'save', id, errors: parsed.errors, values: parsed.values });
		const d = parsed.data;
		const errors = {};
		const slug = withSlug(d.slug, d.short ?? d.name, errors);
		if (!slug) return fail(400, { action: 'save', id, errors, values: formValues(form) });
		const saved = await saveActor(db, course.id, id, {
			slug,
			name: d.name,
			short: d.short ?? d.name,
			stance: d.stance,
			stanceLabel: d.stanceLabel ?? STANCE_LABEL[d.stance],
			summary: d.summary,
			cites: d.cites
		});
		if (!saved.ok)
			return fail(400, { action: 'save', id, errors: saved.errors, values: formValues(form) });
		return {
			action: 'save',
			id: saved.id,
			added: id === null,
			saved: id === null ? `Added “${d.name}”.` : `Saved “${d.name}”.`
		};
	},
	delete: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const id = itemId(await event.request.formData());
		if (!id || !(await deleteActor(db, course.id, id)))
			return fail(400, { action: 'delete', failed: true, message: 'That actor no longer exists.' });
		return { action: 'delete', message: 'The actor was deleted, with its place in any concern.' };
	}
};
