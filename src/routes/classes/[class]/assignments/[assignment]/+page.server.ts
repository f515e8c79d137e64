import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import {
	classCompletion,
	findAssignment,
	listStudentAssignments
} from '$lib/server/classes/assignments';
import { CLASS_MEMBERS, requireClass } from '$lib/server/web/guards';
import { renderMarkdown } from '$lib/markdown';
import { parseId } from '$lib/validation/ids';
import type { PageServerLoad } from './$types';

// An assignment in its class: what to do, by when, the instructions, and the way back.
export const load: PageServerLoad = async (event) => {
	const { user, cls, access } = await requireClass(event, CLASS_MEMBERS);
	const db = await getDb();
	const id = parseId(event.params.assignment);
	const a = id === null ? undefined : await findAssignment(db, cls.id, id);
	if (!a) error(404, 'There is no such assignment.');
	const staff = access === 'instructor' || access === 'admin';
	const [completion, mine] = await Promise.all([
		staff ? classCompletion(db, cls.id, { assignmentId: a.id }) : Promise.resolve(null),
		staff ? Promise.resolve(null) : listStudentAssignments(db, user.id, { classId: cls.id })
	]);
	const own = mine?.find((m) => m.id === a.id) ?? null;
	return {
		cls: { ...cls, joinCode: staff ? cls.joinCode : '' },
		access,
		staff,
		assignment: {
			id: a.id,
			title: a.title,
			completion: a.completion,
			checkCount: a.checkCount,
			opensAt: a.opensAt,
			dueAt: a.dueAt,
			lessonTitle: a.lessonTitle,
			lessonHref: a.lessonSlug ? `/courses/${a.courseSlug}/lessons/${a.lessonSlug}` : null,
			// Instructors' Markdown, rendered like course prose: raw HTML escaped, safe links only.
			instructions: a.instructions
				? renderMarkdown(a.instructions, {
						citationHref: (n) => `/courses/${a.courseSlug}/article#p${n}`,
						idPrefix: 'ins'
					})
				: ''
		},
		progress: own
			? { status: own.status, done: own.doneAt !== null, doneAt: own.doneAt, score: own.score }
			: null,
		completion: completion?.[0] ?? null
	};
};
