import { error, redirect } from '@sveltejs/kit';
import {
	deleteConcern,
	findConcern,
	formatCites,
	listActors,
	saveConcern
} from '$lib/server/courses/authoring';
import { failure, parseForm, type FieldErrors } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import { ConcernSchema, editableCourse, withSlug } from '../../../../forms.server';
import { holderErrorsToRows, parseHolders } from '../holders.server';
import type { Actions, PageServerLoad } from './$types';

async function concernOf(
	db: Awaited<ReturnType<typeof editableCourse>>['db'],
	courseId: number,
	slug: string
) {
	const concern = await findConcern(db, courseId, slug);
	if (!concern) error(404, 'There is no such concern.');
	return concern;
}

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	const [concern, actors] = await Promise.all([
		concernOf(db, course.id, event.params.concern),
		listActors(db, course.id)
	]);
	const values: Record<string, string> = {
		slug: concern.slug,
		label: concern.label,
		description: concern.description
	};
	concern.holders.forEach((h, i) => {
		values[`h${i}.actor`] = String(h.actorId);
		values[`h${i}.kind`] = h.kind;
		values[`h${i}.summary`] = h.summary;
		values[`h${i}.cites`] = formatCites(h.cites);
	});
	return {
		course: { slug: course.slug, title: course.title, status: course.status },
		concern: { slug: concern.slug, label: concern.label, holderCount: concern.holders.length },
		// Changes whenever a save lands, so that the form is drawn afresh from what was stored.
		revision: JSON.stringify(concern),
		values,
		actors: actors.map((a) => ({ id: a.id, name: a.name }))
	};
};

export const actions: Actions = {
	save: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const concern = await concernOf(db, course.id, event.params.concern);
		const form = await event.request.formData();
		const parsed = parseForm(ConcernSchema, form);
		const { holders, rows, errors } = parseHolders(form);
		const allErrors: FieldErrors = { ...(parsed.ok ? {} : parsed.errors), ...errors };
		const slug = parsed.ok ? withSlug(parsed.data.slug, parsed.data.label, allErrors) : undefined;
		if (!parsed.ok || !slug || Object.keys(allErrors).length)
			return failure(400, { action: 'save', errors: allErrors, values: form });
		const saved = await saveConcern(db, course.id, concern.id, { ...parsed.data, slug, holders });
		if (!saved.ok)
			return failure(400, {
				action: 'save',
				errors: holderErrorsToRows(saved.errors, rows),
				problems: saved.problems,
				values: form
			});
		if (saved.slug !== concern.slug)
			redirect(303, `/author/courses/${course.slug}/concerns/${saved.slug}`);
		return { action: 'save', saved: 'The concern was saved.' };
	},
	delete: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const concern = await concernOf(db, course.id, event.params.concern);
		const deleted = await deleteConcern(db, course.id, concern.id);
		if (!deleted.ok)
			return failure(409, {
				action: 'delete',
				message: deleted.errors.form,
				problems: deleted.problems
			});
		redirect(303, `/author/courses/${course.slug}/concerns`);
	}
};
