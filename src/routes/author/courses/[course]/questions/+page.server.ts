import { redirect } from '@sveltejs/kit';
import { duplicateQuestion, listBank, needsCitation } from '$lib/server/courses/authoring';
import { courseRenderer } from '$lib/server/courses/render';
import { listParagraphs } from '$lib/server/courses/authoring';
import { QUESTION_TYPES, isQuestionType } from '$lib/quiz/question-form';
import { failure } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import { parseId } from '$lib/validation/ids';
import { editableCourse, itemId } from '../../../forms.server';
import { editorChoices } from './question-form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	const [bank, choices, paragraphs] = await Promise.all([
		listBank(db, course.id),
		editorChoices(db, course.id),
		listParagraphs(db, course.id)
	]);
	const q = event.url.searchParams;
	const filter = {
		actor: parseId(q.get('actor')),
		concern: parseId(q.get('concern')),
		type: isQuestionType(q.get('type')) ? q.get('type') : null,
		needs: q.get('needs') === 'citation'
	};
	const shown = bank.filter(
		(b) =>
			(filter.actor === null || b.actorId === filter.actor) &&
			(filter.concern === null || b.concernId === filter.concern) &&
			(filter.type === null || b.type === filter.type) &&
			(!filter.needs || needsCitation(b))
	);
	const r = courseRenderer(course.slug, paragraphs);
	const imported = Number(q.get('imported'));
	return {
		course: { slug: course.slug, title: course.title, status: course.status },
		actors: choices.actors,
		concerns: choices.concerns,
		filter: {
			actor: filter.actor === null ? '' : String(filter.actor),
			concern: filter.concern === null ? '' : String(filter.concern),
			type: filter.type ?? '',
			needs: filter.needs
		},
		total: bank.length,
		needingCitation: bank.filter(needsCitation).length,
		notice:
			q.get('deleted') === '1'
				? 'The question was deleted.'
				: Number.isInteger(imported) && imported > 0
					? `Imported ${imported} question${imported === 1 ? '' : 's'}.`
					: null,
		questions: shown.map((b) => ({
			id: b.id,
			externalId: b.externalId,
			title: b.title,
			promptHtml: r.inline(b.prompt, `q${b.id}`),
			type: QUESTION_TYPES.find((t) => t.type === b.type)?.label ?? b.type,
			points: b.points,
			actor: b.actorName,
			concern: b.concernLabel,
			cites: b.cites,
			quizzes: b.quizzes,
			attempts: b.attempts
		}))
	};
};

export const actions: Actions = {
	duplicate: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const id = itemId(await event.request.formData());
		const copy = id ? await duplicateQuestion(db, course.id, id) : undefined;
		if (!copy?.ok)
			return failure(copy ? 409 : 400, {
				action: 'duplicate',
				item: id,
				message: copy?.errors.form ?? 'That question no longer exists.',
				problems: copy?.problems
			});
		redirect(303, `/author/courses/${course.slug}/questions/${copy.id}?copied=1`);
	}
};
