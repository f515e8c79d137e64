import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import {
	classCompletion,
	createAssignment,
	deleteAssignment,
	lessonsForClass,
	listStudentAssignments
} from '$lib/server/classes/assignments';
import { CLASS_MEMBERS, CLASS_STAFF, requireClass } from '$lib/server/web/guards';
import { refuseIfArchived } from '$lib/server/web/class-actions';
import { parseAssignmentForm } from '$lib/server/web/assignment-form';
import { parseId } from '$lib/validation/ids';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user, cls, access } = await requireClass(event, CLASS_MEMBERS);
	const db = await getDb();
	const visible = {
		...cls,
		joinCode: access === 'instructor' || access === 'admin' ? cls.joinCode : ''
	};
	if (access === 'instructor' || access === 'admin') {
		const [assignments, lessons] = await Promise.all([
			classCompletion(db, cls.id),
			lessonsForClass(db, cls.id)
		]);
		return { cls: visible, access, staff: true as const, assignments, lessons, mine: null };
	}
	return {
		cls: visible,
		access,
		staff: false as const,
		assignments: null,
		lessons: null,
		mine: await listStudentAssignments(db, user.id, { classId: cls.id })
	};
};

export const actions: Actions = {
	create: async (event) => {
		const { user, cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const db = await getDb();
		const parsed = parseAssignmentForm(
			await event.request.formData(),
			await lessonsForClass(db, cls.id)
		);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const id = await createAssignment(db, cls.id, parsed.input, user.id);
		if (!id)
			return fail(400, {
				errors: { lesson: 'Choose a lesson of this course.' } as Record<string, string>,
				values: {} as Record<string, string>
			});
		return { created: parsed.input.title };
	},
	delete: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const id = parseId((await event.request.formData()).get('assignmentId'));
		if (id === null || !(await deleteAssignment(await getDb(), cls.id, id))) {
			return fail(404, { message: 'That assignment no longer exists.' });
		}
		return { deleted: true };
	}
};
