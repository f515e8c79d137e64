import { fail } from '@sveltejs/kit';
import {
	deleteEvent,
	formatCites,
	listParagraphs,
	listTimeline,
	saveEvent
} from '$lib/server/courses/authoring';
import { courseRenderer } from '$lib/server/courses/render';
import { formValues, parseForm } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import { EventSchema, editableCourse, itemId } from '../../../forms.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	const [events, paragraphs] = await Promise.all([
		listTimeline(db, course.id),
		listParagraphs(db, course.id)
	]);
	const r = courseRenderer(course.slug, paragraphs);
	return {
		course: { slug: course.slug, title: course.title, status: course.status },
		events: events.map((e, i) => ({
			id: e.id,
			when: e.when,
			eventHtml: r.inline(e.event, `t${i}`),
			values: {
				when: e.when,
				sort: String(e.sort),
				event: e.event,
				cites: formatCites(e.cites)
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
			return fail(400, { action: 'save', id: null, errors: { form: 'Unknown event.' } });
		const parsed = parseForm(EventSchema, form);
		if (!parsed.ok)
			return fail(400, { action: 'save', id, errors: parsed.errors, values: parsed.values });
		const saved = await saveEvent(db, course.id, id, parsed.data);
		if (!saved.ok)
			return fail(400, { action: 'save', id, errors: saved.errors, values: formValues(form) });
		return {
			action: 'save',
			id: saved.id,
			added: id === null,
			saved: id === null ? 'The event was added.' : 'The event was saved.'
		};
	},
	delete: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const id = itemId(await event.request.formData());
		if (!id || !(await deleteEvent(db, course.id, id)))
			return fail(400, { action: 'delete', failed: true, message: 'That event no longer exists.' });
		return { action: 'delete', message: 'The event was deleted.' };
	}
};
