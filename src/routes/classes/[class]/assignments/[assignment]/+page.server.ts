import { error, fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import {
	classCompletion,
	lessonsForClass,
	updateAssignment
} from '$lib/server/classes/assignments';
import { CLASS_STAFF, requireClass } from '$lib/server/web/guards';
import { refuseIfArchived } from '$lib/server/web/class-actions';
import { parseAssignmentForm } from '$lib/server/web/assignment-form';
import type { Actions, PageServerLoad } from './$types';

async function findAssignment(classId: number, raw: string) {
	const db = await getDb();
	const [all, lessons] = await Promise.all([
		classCompletion(db, classId),
		lessonsForClass(db, classId)
	]);
	const a = all.find((x) => String(x.id) === raw);
	if (!a) error(404, 'There is no such assignment.');
	return { a, lessons };
}

export const load: PageServerLoad = async (event) => {
	const { cls, access } = await requireClass(event, CLASS_STAFF);
	const { a, lessons } = await findAssignment(cls.id, event.params.assignment);
	return {
		cls,
		access,
		lessons,
		assignment: { id: a.id, title: a.title },
		values: {
			lesson: String(a.lessonId ?? ''),
			title: a.title,
			instructions: a.instructions,
			opens: a.opensAt ? new Date(a.opensAt).toISOString() : '',
			due: new Date(a.dueAt).toISOString()
		}
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const { a, lessons } = await findAssignment(cls.id, event.params.assignment);
		const parsed = parseAssignmentForm(await event.request.formData(), lessons);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		await updateAssignment(await getDb(), cls.id, a.id, parsed.input);
		redirect(303, `/classes/${cls.id}/assignments`);
	}
};
