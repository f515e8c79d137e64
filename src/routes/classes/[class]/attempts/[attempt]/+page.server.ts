import { error, redirect } from '@sveltejs/kit';
import { startPractice } from '$lib/server/quizzes/practice';
import { getDb } from '$lib/server/db';
import { keptCourseProse } from '$lib/server/courses/queries';
import { coursePassages } from '$lib/server/courses/passages';
import { parseCitations } from '$lib/citations';
import { courseRenderer } from '$lib/server/courses/render';
import {
	attemptQuestions,
	findAttempt,
	findAttemptWithQuestions,
	optionSeed,
	pastDeadline,
	saveAnswer,
	scoreSaved,
	submitAttempt,
	type AttemptInfo,
	type AttemptQuestion
} from '$lib/server/quizzes/attempts';
import { CLASS_MEMBERS, requireClass } from '$lib/server/web/guards';
import { askToConfirm, isConfirmed } from '$lib/server/web/confirm';
import { failure } from '$lib/server/web/forms';
import { revealedNow, reviewPolicy } from '$lib/quiz/policy';
import { actorMastery, describeResponse, verdictOf } from '$lib/quiz/review';
import { attemptConfusions } from '$lib/quiz/misattribution';
import {
	isUnanswered,
	publicQuestion,
	rawFromForm,
	responseFromRaw,
	rightAnswerText,
	slotCount
} from '$lib/quiz/score';
import { parseId } from '$lib/validation/ids';
import { quizPage } from '$lib/quiz/paging';
import type { Actions, PageServerLoad } from './$types';

type Viewer = Awaited<ReturnType<typeof requireClass>>;

/**
 * The attempt, if the viewer may see it: the student whose it is, or the class's staff. Anyone
 * else gets 404 (an attempt's existence is not revealed). An open attempt whose deadline has
 * passed is closed here, with what was saved, before anything is shown. The page's load reads the
 * questions and saved answers in the same statement (`withQuestions`); actions read them after
 * saving, when they need them.
 */
async function loadAttempt(
	viewer: Viewer,
	raw: string,
	withQuestions = false,
	/** The attempt as the session check read it on this GET (hooks.server.ts), if it did. */
	pre?: App.Locals['attemptView']
): Promise<{ t: AttemptInfo; questions: AttemptQuestion[] }> {
	const db = await getDb();
	const read = async (attemptId: number) => {
		if (withQuestions) return await findAttemptWithQuestions(db, viewer.cls.id, attemptId);
		const t = await findAttempt(db, viewer.cls.id, attemptId);
		return t && { attempt: t, questions: [] };
	};
	const id = parseId(raw);
	// The session check's read answers for this attempt of this class, found or not.
	const taken =
		withQuestions && pre?.attemptId === id && pre.classId === viewer.cls.id ? pre : undefined;
	let found = id === null ? undefined : taken ? taken.found : await read(id);
	const staff = viewer.access === 'instructor' || viewer.access === 'admin';
	if (!found || (found.attempt.userId !== viewer.user.id && !staff))
		error(404, 'There is no such attempt.');
	if (found.attempt.status === 'in-progress' && pastDeadline(found.attempt, new Date())) {
		await submitAttempt(db, { attemptId: found.attempt.id, by: 'deadline' });
		found = (await read(found.attempt.id))!;
	}
	return { t: found.attempt, questions: found.questions };
}

export const load: PageServerLoad = async (event) => {
	const viewer = await requireClass(event, CLASS_MEMBERS);
	const pre = event.locals.attemptView;
	event.locals.attemptView = undefined;
	const { t, questions } = await loadAttempt(viewer, event.params.attempt, true, pre);
	const db = await getDb();
	const own = t.userId === viewer.user.id;
	const shuffle = { seed: t.seed, shuffleOptions: t.settings.shuffleOptions };
	const staff = viewer.access === 'instructor' || viewer.access === 'admin';
	const base = {
		cls: { ...viewer.cls, joinCode: staff ? viewer.cls.joinCode : '' },
		access: viewer.access,
		attempt: {
			id: t.id,
			number: t.number,
			practice: t.practice,
			student: t.userName,
			own,
			assignmentId: t.assignmentId,
			title: t.assignmentTitle,
			status: t.status,
			startedAt: t.startedAt,
			deadlineAt: t.deadlineAt,
			submittedAt: t.submittedAt,
			submittedBy: t.submittedBy
		}
	};

	if (t.status === 'in-progress') {
		if (!own) {
			// Staff watching a live attempt see who and when, never the questions' keys.
			return {
				...base,
				mode: 'watch' as const,
				answered: questions.filter((q) => q.raw).length,
				total: questions.length
			};
		}
		const perPage = t.settings.questionsPerPage;
		const { page, pages, positions } = quizPage(
			questions.length,
			perPage,
			pageParam(event.url.searchParams.get('q'))
		);
		const shown = questions.filter((q) => positions.includes(q.position));
		// Taking the quiz, the page needs only the paragraphs its prompts cite (often none), not
		// the whole article: this page is requested by every student of an exam at once.
		const cited = parseCitations(shown.map((q) => q.prompt).join('\n'));
		const r = courseRenderer(t.courseSlug, await coursePassages(db, t.courseSlug, cited));
		const unanswered = questions.filter((q) => !answered(q)).map((q) => q.position);
		return {
			...base,
			mode: 'take' as const,
			// The browser's clock may be wrong: the timer counts from the server's now.
			serverNow: new Date(),
			deadlineAt: t.deadlineAt,
			graceSeconds: t.graceSeconds,
			page,
			pages,
			perPage,
			total: questions.length,
			revision: Math.max(0, ...questions.map((q) => q.revision)) + 1,
			unanswered,
			// The pages holding an unanswered question, for the page links.
			unansweredPages: [
				...new Set(unanswered.map((p) => (perPage > 0 ? Math.ceil(p / perPage) : 1)))
			],
			questions: shown.map((q) => ({
				position: q.position,
				points: q.points,
				prompt: r.inline(q.prompt, `q${q.position}`),
				question: publicQuestion(
					q.answer,
					optionSeed(shuffle, q.position),
					`${t.seed}:${q.position}`
				),
				saved: q.raw,
				savedAt: q.savedAt
			}))
		};
	}

	// The review: what the policy shows now, nothing more.
	const prose = await keptCourseProse(db, {
		id: t.courseId,
		slug: t.courseSlug,
		version: t.courseVersion
	});
	const r = courseRenderer(t.courseSlug, prose?.paragraphs ?? []);
	const shows = shownNow(t, staff);
	const actors = new Map((prose?.actors ?? []).map((a) => [a.id, a.short]));
	return {
		...base,
		mode: 'review' as const,
		shows,
		score: shows.marks ? t.score : null,
		maxScore: t.maxScore,
		passPercent: shows.marks ? t.settings.passPercent : null,
		mastery: shows.marks ? actorMastery(questions, actors) : [],
		// Which actor the student gave what the article says of another: it tells the key, so
		// only when the answers are shown.
		confusions: shows.answers
			? attemptConfusions(
					questions
						.filter((q) => q.raw)
						.map((q) => ({
							position: q.position,
							answer: q.answer,
							response: scoreSaved(q, shuffle).response
						})),
					prose?.actors ?? []
				)
			: [],
		// Practice shows answers, so it is offered only when this attempt's answers are shown.
		canPractise:
			own && shows.answers && shows.feedback && questions.some((q) => (q.score ?? 0) < 0.999),
		questions: questions.map((q) => {
			const scored = scoreSaved(q, shuffle);
			return {
				position: q.position,
				points: q.points,
				prompt: r.inline(q.prompt, `q${q.position}`),
				yourAnswer: describeResponse(q.answer, scored.response),
				verdict: shows.marks ? verdictOf(q.score, !!q.raw && !isUnanswered(scored.response)) : null,
				score: shows.marks ? (q.score ?? 0) : null,
				rightAnswer: shows.answers ? rightAnswerText(q.answer) : null,
				rightOrder: shows.answers && q.answer.type === 'ordering' ? q.answer.items : null,
				feedback:
					shows.feedback && scored.feedback ? r.inline(scored.feedback, `fb${q.position}`) : null,
				explanation:
					shows.feedback && q.explanation ? r.inline(q.explanation, `ex${q.position}`) : null,
				passages: shows.feedback
					? q.cites.map((n) => ({ number: n, text: r.paragraph(n) ?? '' }))
					: [],
				actor: q.actorId !== null ? (actors.get(q.actorId) ?? null) : null
			};
		}),
		courseSlug: t.courseSlug
	};
};

/** What of a finished attempt its viewer may see now (staff: all of it). */
function shownNow(t: AttemptInfo, staff: boolean) {
	return revealedNow(reviewPolicy(t.settings), {
		submitted: true,
		staff,
		dueAt: t.dueAt,
		closesAt: t.settings.closesAt,
		now: new Date()
	});
}

/** The page asked for (`?q=`), or null; `quizPage` brings it into range. */
function pageParam(raw: string | null): number | null {
	return raw && /^\d{1,4}$/.test(raw) ? Number(raw) : null;
}

function answered(q: AttemptQuestion): boolean {
	if (!q.raw) return false;
	return !isUnanswered(responseFromRaw(q.answer.type, q.raw, slotCount(q.answer)));
}

/**
 * Saves what the page sent for the questions it showed (`positions`): the no-JavaScript path,
 * and the last save before a page change or submit with it. Returns the questions refused as
 * closed (the deadline passed) so the caller can say so.
 */
async function saveFromForm(viewer: Viewer, t: AttemptInfo, form: FormData) {
	const db = await getDb();
	const positions = String(form.get('positions') ?? '')
		.split(',')
		.map((p) => parseId(p))
		.filter((p): p is number => p !== null)
		.slice(0, 200);
	const rev = Number(form.get('revision'));
	const revision = Number.isSafeInteger(rev) && rev > 0 ? rev : 1;
	let closed = false;
	for (const position of positions) {
		const raw = rawFromForm(form, `q${position}-`);
		const r = await saveAnswer(db, {
			attemptId: t.id,
			userId: viewer.user.id,
			classId: viewer.cls.id,
			position,
			raw,
			revision
		});
		if (r === 'closed') closed = true;
	}
	return { closed };
}

/**
 * The first step of Save, Next, Previous and Submit: the attempt must be the viewer's; when it is
 * over (submitted, or closed by its deadline now) the page is shown again as its review.
 */
async function saveWhatWasSent(event: Parameters<Actions[string]>[0]) {
	const viewer = await requireClass(event, CLASS_MEMBERS);
	const { t } = await loadAttempt(viewer, event.params.attempt);
	const here = `/classes/${viewer.cls.id}/attempts/${t.id}`;
	if (t.userId !== viewer.user.id)
		error(403, 'Only the student whose attempt it is can answer it.');
	if (t.status !== 'in-progress') redirect(303, here);
	const form = await event.request.formData();
	const { closed } = await saveFromForm(viewer, t, form);
	if (closed) redirect(303, here);
	return { viewer, t, here, form };
}

export const actions: Actions = {
	practice: async (event) => {
		const viewer = await requireClass(event, CLASS_MEMBERS);
		const { t } = await loadAttempt(viewer, event.params.attempt);
		if (t.userId !== viewer.user.id || t.status !== 'submitted')
			return failure(409, {
				action: 'practice',
				message: 'Practice starts from your own finished attempt.'
			});
		const shows = shownNow(t, false);
		if (!shows.answers || !shows.feedback)
			return failure(409, {
				action: 'practice',
				message: 'Practice opens once this quiz’s answers are shown.'
			});
		const r = await startPractice(await getDb(), {
			classId: viewer.cls.id,
			attemptId: t.id,
			userId: viewer.user.id
		});
		if (!r)
			return failure(409, {
				action: 'practice',
				message: 'You missed nothing in this attempt: nothing to practise.'
			});
		redirect(303, `/classes/${viewer.cls.id}/attempts/${r.attemptId}`);
	},
	save: async (event) => {
		const { here, form } = await saveWhatWasSent(event);
		const go = parseId(form.get('go'));
		redirect(303, go ? `${here}?q=${go}` : `${here}${event.url.search}`);
	},
	submit: async (event) => {
		const { viewer, t, here, form } = await saveWhatWasSent(event);
		if (!isConfirmed(form)) {
			const questions = await attemptQuestions(await getDb(), t.id);
			const missing = questions.filter((q) => !answered(q)).map((q) => q.position);
			return {
				...askToConfirm({
					action: '?/submit',
					message: missing.length
						? `Submit now? ${missing.length} question${missing.length === 1 ? ' is' : 's are'} unanswered: ${missing.map((p) => `question ${p}`).join(', ')}. You cannot change your answers afterwards.`
						: 'Submit now? You cannot change your answers afterwards.',
					confirmLabel: 'Submit my answers',
					fields: {}
				}),
				unanswered: missing
			};
		}
		const r = await submitAttempt(await getDb(), {
			attemptId: t.id,
			userId: viewer.user.id,
			by: 'student'
		});
		if (!r.ok) return failure(404, { action: 'submit', message: 'There is no such attempt.' });
		redirect(303, here);
	}
};
