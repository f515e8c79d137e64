import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import {
	assignmentWarnings,
	findAssignment,
	lessonsForClass,
	updateAssignment
} from '$lib/server/classes/assignments';
import { CLASS_STAFF, requireClass } from '$lib/server/web/guards';
import { refuseIfArchived } from '$lib/server/web/class-actions';
import { parseAssignmentForm, quizSettingsValues } from '$lib/server/web/assignment-form';
import { quizzesForClass } from '$lib/server/quizzes/quizzes';
import { countAttempts } from '$lib/server/quizzes/attempts';
import { failure } from '$lib/server/web/forms';
import { parseId } from '$lib/validation/ids';
import type { Actions, PageServerLoad } from './$types';

async function load_(classId: number, raw: string) {
	const db = await getDb();
	const id = parseId(raw);
	const [a, lessons, quizzes] = await Promise.all([
		id === null ? undefined : findAssignment(db, classId, id),
		lessonsForClass(db, classId),
		quizzesForClass(db, classId)
	]);
	if (!a) error(404, 'There is no such assignment.');
	return { a, lessons, quizzes };
}

export const load: PageServerLoad = async (event) => {
	const { cls, access } = await requireClass(event, CLASS_STAFF);
	const { a, lessons, quizzes } = await load_(cls.id, event.params.assignment);
	return {
		cls,
		access,
		lessons,
		quizzes,
		assignment: { id: a.id, title: a.title },
		values: {
			kind: a.kind,
			quiz: String(a.quizId ?? ''),
			...quizSettingsValues(a.quiz),
			lesson: String(a.lessonId ?? ''),
			title: a.title,
			instructions: a.instructions,
			completion: a.completion,
			postFirst: a.postFirst ? 'on' : '',
			anonymous: a.anonymous ? 'on' : '',
			actorMode: a.actorMode,
			opens: a.opensAt ? new Date(a.opensAt).toISOString() : '',
			due: new Date(a.dueAt).toISOString()
		}
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const { a, lessons, quizzes } = await load_(cls.id, event.params.assignment);
		const form = await event.request.formData();
		const parsed = parseAssignmentForm(form, lessons, cls.timeZone, quizzes);
		if (!parsed.ok) return failure(400, { errors: parsed.errors, values: parsed.values });
		const db = await getDb();
		const changesQuiz =
			a.kind === 'quiz' && (parsed.input.kind !== 'quiz' || parsed.input.quizId !== a.quizId);
		if (changesQuiz && (await countAttempts(db, a.id)) > 0)
			return failure(409, {
				errors: {
					[parsed.input.kind === 'quiz' ? 'quiz' : 'lesson']:
						'Students have attempts at this quiz: it stays this quiz. Assign the other one as a new assignment.'
				},
				values: parsed.values
			});
		if (form.get('anyway') !== 'yes') {
			const warnings = await assignmentWarnings(db, cls.id, parsed.input, {
				exceptId: a.id,
				timeZone: cls.timeZone
			});
			if (warnings.length) return failure(409, { warnings, values: parsed.values });
		}
		if ((a.kind === 'discussion') !== (parsed.input.kind === 'discussion'))
			return failure(409, {
				errors: {
					kind:
						a.kind === 'discussion'
							? 'A discussion prompt stays a prompt: its thread holds the students’ posts. Assign the lesson or quiz as a new assignment.'
							: 'Assign the discussion prompt as a new assignment.'
				},
				values: parsed.values
			});
		await updateAssignment(db, cls.id, a.id, parsed.input);
		redirect(303, `/classes/${cls.id}/assignments/${a.id}`);
	}
};
