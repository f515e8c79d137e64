import { error, redirect } from '@sveltejs/kit';
import {
	deleteLesson,
	findLesson,
	listActors,
	listLessons,
	listParagraphs,
	listQuestionIds,
	saveLesson
} from '$lib/server/courses/authoring';
import { courseRenderer } from '$lib/server/courses/render';
import { failure, formValues, parseForm, type FieldErrors } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import { LessonSchema, editableCourse, markdown, withSlug } from '../../../../forms.server';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';

type Db = Awaited<ReturnType<typeof editableCourse>>['db'];

async function lessonOf(db: Db, courseId: number, slug: string) {
	const lesson = await findLesson(db, courseId, slug);
	if (!lesson) error(404, 'There is no such lesson.');
	return lesson;
}

const checkedActors = (form: FormData) =>
	form.getAll('actors').filter((a): a is string => typeof a === 'string');

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	const [lesson, lessons, paragraphs, actors, questionIds] = await Promise.all([
		lessonOf(db, course.id, event.params.lesson),
		listLessons(db, course.id),
		listParagraphs(db, course.id),
		listActors(db, course.id),
		listQuestionIds(db, course.id)
	]);
	const r = courseRenderer(course.slug, paragraphs);
	return {
		course: { slug: course.slug, title: course.title, status: course.status },
		lesson: {
			slug: lesson.slug,
			title: lesson.title,
			position: lesson.position,
			total: lessons.length,
			cites: lessons.find((l) => l.id === lesson.id)?.cites ?? false
		},
		values: {
			slug: lesson.slug,
			title: lesson.title,
			summary: lesson.summary,
			keyPoints: lesson.keyPoints.join('\n'),
			check: lesson.check.join('\n'),
			body: lesson.body
		},
		checkedActors: lesson.actors,
		actors: actors.map((a) => ({ slug: a.slug, name: a.name })),
		questionIds,
		paragraphs,
		previewHtml: r.block(lesson.body, 'preview')
	};
};

export const actions: Actions = {
	save: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const lesson = await lessonOf(db, course.id, event.params.lesson);
		const form = await event.request.formData();
		const checked = checkedActors(form);
		const parsed = parseForm(LessonSchema, form);
		if (!parsed.ok) return failure(400, { action: 'save', errors: parsed.errors, values: form });
		const errors: FieldErrors = {};
		const slug = withSlug(parsed.data.slug, parsed.data.title, errors);
		if (!slug) return failure(400, { action: 'save', errors, values: form });
		const saved = await saveLesson(db, course.id, lesson.id, {
			...parsed.data,
			slug,
			actors: checked
		});
		if (!saved.ok)
			return failure(400, {
				action: 'save',
				errors: saved.errors,
				problems: saved.problems,
				values: form
			});
		if (saved.slug !== lesson.slug)
			redirect(303, `/author/courses/${course.slug}/lessons/${saved.slug}`);
		return { action: 'save', saved: 'The lesson was saved.' };
	},
	// Without JavaScript, the Preview button posts here: nothing is saved, the page comes back
	// with what was typed and its rendering.
	preview: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		await lessonOf(db, course.id, event.params.lesson);
		const form = await event.request.formData();
		const parsed = v.safeParse(markdown(100_000), form.get('body') ?? '');
		const body = parsed.success ? parsed.output : '';
		const r = courseRenderer(course.slug, await listParagraphs(db, course.id));
		return {
			action: 'preview',
			values: formValues(form),
			previewHtml: r.block(body, 'preview')
		};
	},
	delete: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const lesson = await lessonOf(db, course.id, event.params.lesson);
		const deleted = await deleteLesson(db, course.id, lesson.id);
		if (!deleted.ok)
			return failure(409, {
				action: 'delete',
				message: deleted.errors.form,
				problems: deleted.problems
			});
		redirect(303, `/author/courses/${course.slug}/lessons`);
	}
};
