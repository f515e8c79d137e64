import { error, redirect } from '@sveltejs/kit';
import {
	classesUsingCourse,
	deleteCourse,
	getCourseDetails,
	publishCourse,
	replaceParagraphs,
	unpublishCourse,
	updateCourseDetails
} from '$lib/server/courses/authoring';
import { courseRenderer } from '$lib/server/courses/render';
import { failure, parseForm } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import { DetailsSchema, ParagraphsSchema, editableCourse } from '../../forms.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	const details = await getCourseDetails(db, course.id);
	if (!details) error(404, 'There is no such course.');
	const r = courseRenderer(details.slug, details.paragraphs);
	return {
		course: {
			slug: details.slug,
			title: details.title,
			status: details.status,
			summary: details.summary,
			summaryHtml: details.summary ? r.block(details.summary, 'summary') : '',
			articleTitle: details.articleTitle,
			articlePublisher: details.articlePublisher,
			articleDate: details.articleDate,
			articleReference: details.articleReference,
			articleNote: details.articleNote,
			publishedAt: details.publishedAt,
			updatedAt: details.updatedAt
		},
		paragraphs: details.paragraphs,
		counts: details.counts
	};
};

export const actions: Actions = {
	details: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const form = await event.request.formData();
		const parsed = parseForm(DetailsSchema, form);
		if (!parsed.ok) return failure(400, { action: 'details', errors: parsed.errors, values: form });
		const saved = await updateCourseDetails(db, course.id, parsed.data);
		if (!saved.ok)
			return failure(400, {
				action: 'details',
				errors: saved.errors,
				problems: saved.problems,
				values: form
			});
		return { action: 'details', saved: 'The course details were saved.' };
	},
	paragraphs: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const form = await event.request.formData();
		const parsed = parseForm(ParagraphsSchema, form);
		if (!parsed.ok)
			return failure(400, { action: 'paragraphs', errors: parsed.errors, values: form });
		const saved = await replaceParagraphs(db, course.id, parsed.data.paragraphs);
		if (!saved.ok)
			return failure(400, {
				action: 'paragraphs',
				errors: saved.errors,
				problems: saved.problems,
				values: form
			});
		return {
			action: 'paragraphs',
			saved: `The article was saved: ${saved.count} paragraph${saved.count === 1 ? '' : 's'}.`
		};
	},
	publish: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const result = await publishCourse(db, course.id);
		if (!result.ok)
			return failure(400, {
				action: 'publish',
				message: `Not published: ${result.problems.length === 1 ? 'one problem needs' : `${result.problems.length} problems need`} fixing first.`,
				problems: result.problems
			});
		return { action: 'publish', saved: 'The course is published: students can see it now.' };
	},
	unpublish: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		await unpublishCourse(db, course.id);
		return {
			action: 'unpublish',
			saved: 'The course is a draft again: students no longer see it.'
		};
	},
	delete: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const form = await event.request.formData();
		if (form.get('confirm') !== 'yes')
			return failure(400, {
				action: 'delete',
				errors: { confirm: 'Tick the box to confirm that the course should be deleted.' }
			});
		const classes = await classesUsingCourse(db, course.id);
		if (classes > 0) {
			return failure(409, {
				action: 'delete',
				errors: {
					confirm: `${classes} class${classes === 1 ? ' is' : 'es are'} taught from this course, so it cannot be deleted. Unpublish it instead, or archive those classes and ask an admin.`
				}
			});
		}
		await deleteCourse(db, course.id);
		redirect(303, '/author');
	}
};
