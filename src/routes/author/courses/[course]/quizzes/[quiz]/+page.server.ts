import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import {
	addQuizSlot,
	deleteQuiz,
	findCourseQuiz,
	moveQuizSlot,
	questionTypeWords,
	quizEditor,
	removeQuizSlot,
	saveQuiz,
	type SlotInput
} from '$lib/server/courses/authoring';
import { failure, parseForm, type FieldErrors } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import {
	QuizDrawSlotSchema,
	QuizQuestionSlotSchema,
	QuizSchema,
	QuizSlotSchema,
	editableCourse,
	withSlug
} from '../../../../forms.server';
import type { Actions, PageServerLoad } from './$types';

/** The course (if the viewer may edit it) and its quiz named in the address; 404 otherwise. */
async function quizOf(event: RequestEvent) {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	const quiz = await findCourseQuiz(db, course.id, event.params.quiz ?? '');
	if (!quiz) error(404, 'There is no such quiz.');
	return { db, course, quiz };
}

export const load = (async (event) => {
	const { db, course, quiz } = await quizOf(event);
	const editor = await quizEditor(db, course.id, quiz.id);
	const typeOf = <T extends { type: Parameters<typeof questionTypeWords>[0] }>(q: T) => ({
		...q,
		typeWords: questionTypeWords(q.type)
	});
	return {
		course: { slug: course.slug, title: course.title, status: course.status },
		quiz: { slug: quiz.slug, title: quiz.title },
		values: { title: quiz.title, slug: quiz.slug, description: quiz.description },
		slots: editor.slots.map((s) => ({ ...s, question: s.question && typeOf(s.question) })),
		questionCount: editor.questionCount,
		bank: editor.bank.map(typeOf),
		inQuiz: editor.slots.flatMap((s) => (s.question ? [s.question.id] : [])),
		uncited: editor.uncited,
		actors: editor.actors,
		concerns: editor.concerns,
		classes: editor.classes
	};
}) satisfies PageServerLoad;

export const actions: Actions = {
	save: async (event) => {
		const { db, course, quiz } = await quizOf(event);
		const form = await event.request.formData();
		const parsed = parseForm(QuizSchema, form);
		if (!parsed.ok) return failure(400, { action: 'save', errors: parsed.errors, values: form });
		const errors: FieldErrors = {};
		const slug = withSlug(parsed.data.slug, parsed.data.title, errors);
		if (!slug) return failure(400, { action: 'save', errors, values: form });
		const saved = await saveQuiz(db, course.id, quiz.id, { ...parsed.data, slug });
		if (!saved.ok) return failure(400, { action: 'save', errors: saved.errors, values: form });
		if (saved.slug !== quiz.slug)
			redirect(303, `/author/courses/${course.slug}/quizzes/${saved.slug}`);
		return { action: 'save', saved: 'The quiz was saved.' };
	},
	addQuestion: async (event) => {
		const { db, course, quiz } = await quizOf(event);
		const form = await event.request.formData();
		const parsed = parseForm(QuizQuestionSlotSchema, form);
		if (!parsed.ok)
			return failure(400, { action: 'addQuestion', errors: parsed.errors, values: form });
		return await addSlot(db, course.id, quiz.id, 'addQuestion', form, {
			kind: 'question',
			questionId: parsed.data.question
		});
	},
	addDraw: async (event) => {
		const { db, course, quiz } = await quizOf(event);
		const form = await event.request.formData();
		const parsed = parseForm(QuizDrawSlotSchema, form);
		if (!parsed.ok) return failure(400, { action: 'addDraw', errors: parsed.errors, values: form });
		return await addSlot(db, course.id, quiz.id, 'addDraw', form, {
			kind: 'draw',
			actorId: parsed.data.actor,
			concernId: parsed.data.concern,
			draw: parsed.data.draw
		});
	},
	move: async (event) => {
		const { db, course, quiz } = await quizOf(event);
		const parsed = parseForm(QuizSlotSchema, await event.request.formData());
		if (!parsed.ok || !parsed.data.direction)
			return failure(400, { action: 'slot', message: 'Unknown place.' });
		const moved = await moveQuizSlot(
			db,
			course.id,
			quiz.id,
			parsed.data.position,
			parsed.data.direction
		);
		if (!moved.ok) return failure(409, { action: 'slot', message: moved.errors.form });
		return { action: 'slot', saved: 'The quiz’s order was changed.' };
	},
	remove: async (event) => {
		const { db, course, quiz } = await quizOf(event);
		const parsed = parseForm(QuizSlotSchema, await event.request.formData());
		if (!parsed.ok) return failure(400, { action: 'slot', message: 'Unknown place.' });
		const removed = await removeQuizSlot(db, course.id, quiz.id, parsed.data.position);
		if (!removed.ok) return failure(409, { action: 'slot', message: removed.errors.form });
		return { action: 'slot', saved: 'The place was removed.' };
	},
	delete: async (event) => {
		const { db, course, quiz } = await quizOf(event);
		const deleted = await deleteQuiz(db, course.id, quiz.id);
		if (!deleted.ok) return failure(409, { action: 'delete', message: deleted.errors.form });
		redirect(303, `/author/courses/${course.slug}/quizzes`);
	}
};

type Db = Awaited<ReturnType<typeof quizOf>>['db'];

async function addSlot(
	db: Db,
	courseId: number,
	quizId: number,
	action: string,
	form: FormData,
	slot: SlotInput
) {
	const added = await addQuizSlot(db, courseId, quizId, slot);
	if (!added.ok) return failure(400, { action, errors: added.errors, values: form });
	return {
		action,
		saved: slot.kind === 'question' ? 'The question was added.' : 'The draw was added.'
	};
}
