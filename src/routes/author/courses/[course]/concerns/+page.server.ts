import {
	formatCites,
	listActors,
	listConcerns,
	listParagraphs,
	saveConcern
} from '$lib/server/courses/authoring';
import { courseRenderer } from '$lib/server/courses/render';
import { failure, parseForm, type FieldErrors } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import { ConcernSchema, editableCourse, withSlug } from '../../../forms.server';
import { holderErrorsToRows, parseHolders } from './holders.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	const [concerns, actors, paragraphs] = await Promise.all([
		listConcerns(db, course.id),
		listActors(db, course.id),
		listParagraphs(db, course.id)
	]);
	const r = courseRenderer(course.slug, paragraphs);
	return {
		course: { slug: course.slug, title: course.title, status: course.status },
		actors: actors.map((a) => ({ id: a.id, name: a.name, concernCount: a.concernCount })),
		concerns: concerns.map((k, i) => ({
			id: k.id,
			slug: k.slug,
			label: k.label,
			descriptionHtml: r.block(k.description, `k${i}`),
			holders: k.holders.map((h, j) => ({
				actorName: h.actorName,
				kind: h.kind,
				summaryHtml: r.inline(h.summary, `k${i}h${j}`),
				cites: formatCites(h.cites)
			}))
		}))
	};
};

export const actions: Actions = {
	add: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const form = await event.request.formData();
		const parsed = parseForm(ConcernSchema, form);
		const { holders, rows, errors } = parseHolders(form);
		const allErrors: FieldErrors = { ...(parsed.ok ? {} : parsed.errors), ...errors };
		const slug = parsed.ok ? withSlug(parsed.data.slug, parsed.data.label, allErrors) : undefined;
		if (!parsed.ok || !slug || Object.keys(allErrors).length)
			return failure(400, { action: 'add', errors: allErrors, values: form });
		const saved = await saveConcern(db, course.id, null, { ...parsed.data, slug, holders });
		if (!saved.ok)
			return failure(400, {
				action: 'add',
				errors: holderErrorsToRows(saved.errors, rows),
				problems: saved.problems,
				values: form
			});
		return { action: 'add', saved: `Added “${parsed.data.label}”.` };
	}
};
