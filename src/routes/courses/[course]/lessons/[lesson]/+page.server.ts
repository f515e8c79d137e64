import { error } from '@sveltejs/kit';
import { loadReadingPage } from '$lib/server/web/reading-page';
import { getDb } from '$lib/server/db';
import { findQuestion, getLessonPage, setLessonDone } from '$lib/server/courses/queries';
import { canViewCourse } from '$lib/server/courses/access';
import { courseRenderer } from '$lib/server/courses/render';
import { failure } from '$lib/server/web/forms';
import { requireUser } from '$lib/server/web/guards';
import { recordCheckAnswer } from '$lib/server/classes/progress';
import {
	isUnanswered,
	publicQuestion,
	rawFromForm,
	responseFromForm,
	scoreResponse,
	slotCount,
	storedResponse
} from '$lib/quiz/score';
import { readingMinutes, stripMarkdown } from '$lib/markdown';
import { parseId } from '$lib/validation/ids';
import type { Actions, PageServerLoad } from './$types';

async function loadLesson(params: { course: string; lesson: string }, user: App.Locals['user']) {
	const row = await getLessonPage(await getDb(), params.course, params.lesson);
	if (!row || !row.lesson || !canViewCourse(user, row)) error(404, 'There is no such lesson.');
	return { ...row, lesson: row.lesson };
}

// What the lesson page shows of the course, rendered once per content version. The check
// questions' keys stay on the server: publicQuestion strips them here, before anything is kept.
async function buildLesson(courseSlug: string, lessonSlug: string) {
	const row = await getLessonPage(await getDb(), courseSlug, lessonSlug);
	if (!row || !row.lesson) return undefined;
	const lesson = row.lesson;
	const r = courseRenderer(row.slug, row.paragraphs);
	const index = row.outline.findIndex((o) => o.id === lesson.id);
	return {
		version: row.version,
		value: {
			lesson: {
				id: lesson.id,
				slug: lesson.slug,
				title: lesson.title,
				summary: lesson.summary,
				body: r.block(lesson.body, 'body'),
				keyPoints: lesson.keyPoints.map((k, i) => r.inline(k, `kp${i}`)),
				minutes: readingMinutes(stripMarkdown(lesson.body)),
				number: index + 1,
				total: row.outline.length
			},
			actors: row.actors,
			prev:
				index > 0
					? { slug: row.outline[index - 1].slug, title: row.outline[index - 1].title }
					: null,
			next:
				index < row.outline.length - 1
					? { slug: row.outline[index + 1].slug, title: row.outline[index + 1].title }
					: null,
			checks: row.checks.map((q, i) => ({
				id: q.id,
				prompt: r.inline(q.prompt, `q${i}`),
				question: publicQuestion(q.answer, q.externalId)
			}))
		}
	};
}

export const load: PageServerLoad = async ({ params, locals }) => {
	const { head, page, course } = await loadReadingPage(
		locals.user,
		params.course,
		{ page: 'lesson', item: params.lesson, notFound: 'There is no such lesson.' },
		(slug) => buildLesson(slug, params.lesson)
	);
	const { id: lessonId, ...lesson } = page.lesson;
	return {
		discuss: head.classes.map((k) => ({
			name: k.name,
			href: `/classes/${k.id}/discussions?start=lesson&lesson=${lessonId}#start`
		})),
		course,
		...page,
		lesson,
		done: head.doneLessonIds.includes(lessonId),
		signedIn: !!locals.user
	};
};

export const actions: Actions = {
	done: async (event) => {
		const user = requireUser(event);
		const row = await loadLesson(event.params, user);
		const form = await event.request.formData();
		const done = form.get('done') !== 'false';
		await setLessonDone(await getDb(), user.id, row.lesson.id, done);
		return { action: 'done', done };
	},
	// Grading happens here, so the answer key never reaches the browser before the student answers.
	check: async (event) => {
		const row = await loadLesson(event.params, event.locals.user);
		const form = await event.request.formData();
		const questionId = parseId(form.get('questionId')) ?? 0;
		if (!row.checks.some((q) => q.id === questionId))
			return failure(400, { action: 'check', message: 'Unknown question.' });
		const db = await getDb();
		const q = await findQuestion(db, row.id, questionId);
		if (!q) return failure(400, { action: 'check', message: 'Unknown question.' });
		const stored = q.answer;
		const response = storedResponse(
			stored,
			q.externalId,
			responseFromForm(stored.type, form, slotCount(stored))
		);
		const unanswered = isUnanswered(response);
		if (unanswered) {
			return failure(400, {
				action: 'check',
				item: questionId,
				message: 'Choose or type an answer first.'
			});
		}
		if (response.type === 'numerical' && Number.isNaN(response.value)) {
			return failure(400, {
				action: 'check',
				item: questionId,
				message: 'Write the number with the digits 0–9, e.g. 2017 or 3.5.'
			});
		}
		const scored = scoreResponse(stored, response);
		// Recorded for signed-in readers: an assignment may count as done when its checks are answered.
		if (event.locals.user) await recordCheckAnswer(db, event.locals.user.id, q.id, scored.score);
		const r = courseRenderer(row.slug, row.paragraphs);
		// Like a tutor: a wrong answer gets its feedback, the explanation and a retry; the right
		// answer only when asked for ("Show the answer"), or once it is found.
		const shows = scored.correct || form.get('reveal') === 'yes';
		return {
			action: 'check',
			item: questionId,
			correct: scored.correct,
			score: scored.score,
			raw: rawFromForm(form),
			feedback: scored.feedback ? r.inline(scored.feedback, `fb${questionId}`) : null,
			rightAnswer: shows ? scored.rightAnswer : null,
			rightOrder: shows && stored.type === 'ordering' ? stored.items : null,
			explanation: q.explanation ? r.inline(q.explanation, `ex${questionId}`) : null,
			passages: q.cites.map((n) => ({ number: n, text: r.paragraph(n) ?? '' }))
		};
	}
};
