import { deleteTerm, listGlossary, listParagraphs, saveTerm } from '$lib/server/courses/authoring';
import { courseRenderer } from '$lib/server/courses/render';
import { requireRole } from '$lib/server/web/guards';
import { TermSchema, editableCourse, listItemActions } from '../../../forms.server';
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

export const actions: Actions = listItemActions({
	noun: 'term',
	schema: TermSchema,
	save: saveTerm,
	remove: deleteTerm,
	savedMessage: (d, added) => `${added ? 'Added' : 'Saved'} “${d.term}”.`,
	deletedMessage: 'The term was deleted.'
});
