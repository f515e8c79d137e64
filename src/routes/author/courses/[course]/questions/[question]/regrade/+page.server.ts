import { error, redirect } from '@sveltejs/kit';
import { findBankQuestion } from '$lib/server/courses/authoring';
import { applyRegrade, listRegrades, planRegrade } from '$lib/server/quizzes/regrade';
import { failure } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import { parseId } from '$lib/validation/ids';
import { editableCourse } from '../../../../../forms.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

async function questionOf(event: RequestEvent) {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	const id = parseId(event.params.question);
	const question = id === null ? undefined : await findBankQuestion(db, course.id, id);
	if (!question) error(404, 'There is no such question.');
	return { user, db, course, question };
}

export const load: PageServerLoad = async (event) => {
	const { db, course, question } = await questionOf(event);
	const [plan, log] = await Promise.all([
		planRegrade(db, course.id, question.id),
		listRegrades(db, question.id)
	]);
	return {
		course: { slug: course.slug, title: course.title, status: course.status },
		question: { id: question.id, name: question.title ?? question.externalId },
		plan: plan ?? { rows: [], changed: [], incompatible: 0 },
		log,
		done: event.url.searchParams.get('done')
	};
};

export const actions: Actions = {
	apply: async (event) => {
		const { user, db, course, question } = await questionOf(event);
		const result = await applyRegrade(db, course.id, question.id, { id: user.id, name: user.name });
		if (!result.ok)
			return failure(409, {
				action: 'apply',
				message: 'There is nothing to regrade: every attempt already has this version.'
			});
		redirect(
			303,
			`/author/courses/${course.slug}/questions/${question.id}/regrade?done=${result.changed}`
		);
	}
};
