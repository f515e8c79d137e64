import { fail } from '@sveltejs/kit';
import { deleteTerm, listGlossary, listParagraphs, saveTerm } from '$lib/server/courses/authoring';
import { courseRenderer } from '$lib/server/courses/render';
import { formValues, parseForm } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import { TermSchema, editableCourse, itemId } from '../../../forms.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	const [terms, paragraphs] = await Promise.all([
		listGlossary(db, course.id),
		listParagraphs(db, course.id)
	]);
	const r = courseRenderer(course.slug, paragraphs);
	return {
		course: { slug: course.slug, title: course.title, status: course.status },
		terms: terms.map((t, i) => ({
			id: t.id,
			term: t.term,
			definitionHtml: r.block(t.definition, `g${i}`),
			beyondHtml: t.beyondNote ? r.block(t.beyondNote, `gb${i}`) : null,
			beyondSource: t.beyondSource,
			values: {
				term: t.term,
				definition: t.definition,
				beyondNote: t.beyondNote ?? '',
				beyondSource: t.beyondSource ?? ''
			}
		}))
	};
};

export const actions: Actions = {
	save: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const form = await event.request.formData();
		const id = itemId(form);
		if (Number.isNaN(id))
			return fail(400, { action: 'save', id: null, errors: { form: 'Unknown term.' } });
		const parsed = parseForm(TermSchema, form);
		if (!parsed.ok)
			return fail(400, { action: 'save', id, errors: parsed.errors, values: parsed.values });
		const saved = await saveTerm(db, course.id, id, parsed.data);
		if (!saved.ok)
			return fail(400, { action: 'save', id, errors: saved.errors, values: formValues(form) });
		return {
			action: 'save',
			id: saved.id,
			added: id === null,
			saved: id === null ? `Added “${parsed.data.term}”.` : `Saved “${parsed.data.term}”.`
		};
	},
	delete: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const id = itemId(await event.request.formData());
		if (!id || !(await deleteTerm(db, course.id, id)))
			return fail(400, { action: 'delete', failed: true, message: 'That term no longer exists.' });
		return { action: 'delete', message: 'The term was deleted.' };
	}
};
