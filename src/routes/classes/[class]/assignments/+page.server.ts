import { getDb } from '$lib/server/db';
import {
	assignmentWarnings,
	classCompletion,
	createAssignment,
	countPromptPosts,
	deleteAssignment,
	findAssignment,
	lessonsForClass,
	listStudentAssignments
} from '$lib/server/classes/assignments';
import { CLASS_MEMBERS, CLASS_STAFF, requireClass } from '$lib/server/web/guards';
import { refuseIfArchived } from '$lib/server/web/class-actions';
import { parseAssignmentForm } from '$lib/server/web/assignment-form';
import { askToConfirm, isConfirmed } from '$lib/server/web/confirm';
import { failure } from '$lib/server/web/forms';
import { parseId } from '$lib/validation/ids';
import { quizzesForClass } from '$lib/server/quizzes/quizzes';
import { countAttempts } from '$lib/server/quizzes/attempts';
import type { Actions, PageServerLoad } from './$types';

const GONE = 'That assignment no longer exists.';

export const load: PageServerLoad = async (event) => {
	const { user, cls, access } = await requireClass(event, CLASS_MEMBERS);
	const db = await getDb();
	const visible = {
		...cls,
		joinCode: access === 'instructor' || access === 'admin' ? cls.joinCode : ''
	};
	if (access === 'instructor' || access === 'admin') {
		const [assignments, lessons, quizzes] = await Promise.all([
			classCompletion(db, cls.id),
			lessonsForClass(db, cls.id),
			quizzesForClass(db, cls.id)
		]);
		return {
			cls: visible,
			access,
			staff: true as const,
			assignments,
			lessons,
			quizzes,
			mine: null
		};
	}
	return {
		cls: visible,
		access,
		staff: false as const,
		assignments: null,
		lessons: null,
		quizzes: null,
		mine: await listStudentAssignments(db, user.id, { classId: cls.id })
	};
};

export const actions: Actions = {
	create: async (event) => {
		const { user, cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const db = await getDb();
		const form = await event.request.formData();
		const [lessons, quizzes] = await Promise.all([
			lessonsForClass(db, cls.id),
			quizzesForClass(db, cls.id)
		]);
		const parsed = parseAssignmentForm(form, lessons, cls.timeZone, quizzes);
		if (!parsed.ok)
			return failure(400, { action: 'create', errors: parsed.errors, values: parsed.values });
		if (form.get('anyway') !== 'yes') {
			const warnings = await assignmentWarnings(db, cls.id, parsed.input, {
				timeZone: cls.timeZone
			});
			if (warnings.length)
				return failure(409, { action: 'create', warnings, values: parsed.values });
		}
		const id = await createAssignment(db, cls.id, parsed.input, user.id);
		if (!id)
			return failure(400, {
				action: 'create',
				errors:
					parsed.input.kind === 'quiz'
						? { quiz: 'Choose a quiz of this course.' }
						: { lesson: 'Choose a lesson of this course.' },
				values: parsed.values
			});
		return { created: parsed.input.title, createdId: id };
	},
	delete: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const form = await event.request.formData();
		const id = parseId(form.get('assignmentId'));
		const db = await getDb();
		const found = id === null ? undefined : await findAssignment(db, cls.id, id);
		if (!found) return failure(404, { action: 'delete', item: id, message: GONE });
		const attempts = await countAttempts(db, found.id);
		if (attempts > 0)
			return failure(409, {
				action: 'delete',
				item: found.id,
				message: `“${found.title}” cannot be deleted: students have made ${attempts} attempt${attempts === 1 ? '' : 's'} at it, and their marks would be lost.`
			});
		const posts = await countPromptPosts(db, found.id);
		if (posts > 0)
			return failure(409, {
				action: 'delete',
				item: found.id,
				message: `“${found.title}” cannot be deleted: its discussion has ${posts} post${posts === 1 ? '' : 's'}, which would be lost. Change its due date instead.`
			});
		if (!isConfirmed(form)) {
			return askToConfirm({
				action: '?/delete',
				message: `Delete “${found.title}”? Students no longer see it; what they did in the lesson stays.`,
				confirmLabel: 'Delete assignment',
				fields: { assignmentId: String(found.id) }
			});
		}
		if (!(await deleteAssignment(db, cls.id, found.id))) {
			return failure(404, { action: 'delete', item: found.id, message: GONE });
		}
		return { deleted: true };
	}
};
