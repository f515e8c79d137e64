import {
	deleteEvent,
	formatCites,
	listParagraphs,
	listTimeline,
	saveEvent
} from '$lib/server/courses/authoring';
import { courseRenderer } from '$lib/server/courses/render';
import { requireRole } from '$lib/server/web/guards';
import { EventSchema, editableCourse, listItemActions } from '../../../forms.server';
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

export const actions: Actions = listItemActions({
	noun: 'event',
	schema: EventSchema,
	save: saveEvent,
	remove: deleteEvent,
	savedMessage: (_d, added) => (added ? 'The event was added.' : 'The event was saved.'),
	deletedMessage: 'The event was deleted.'
});
