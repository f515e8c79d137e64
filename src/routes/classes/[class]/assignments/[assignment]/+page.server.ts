import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import {
	classCompletion,
	findAssignment,
	listStudentAssignments
} from '$lib/server/classes/assignments';
import { CLASS_MEMBERS, CLASS_STAFF, requireClass } from '$lib/server/web/guards';
import { renderMarkdown } from '$lib/markdown';
import { parseId } from '$lib/validation/ids';
import { quizzesForClass } from '$lib/server/quizzes/quizzes';
import { extraAttempts } from '$lib/server/quizzes/accommodations';
import {
	START_REFUSALS,
	extendOpenAttempts,
	listAttempts,
	openAttemptsOf,
	startAttempt
} from '$lib/server/quizzes/attempts';
import { presetOf, revealedNow, reviewPolicy } from '$lib/quiz/policy';
import { refuseIfArchived } from '$lib/server/web/class-actions';
import { failure } from '$lib/server/web/forms';
import {
	assignPromptActors,
	promptParticipation,
	setParticipationScore
} from '$lib/server/discussion/participation';
import { courseProse } from '$lib/server/courses/queries';
import type { Actions, PageServerLoad } from './$types';

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
	const quiz = a.quiz ? await quizPart(db, cls.id, a, staff ? null : user.id) : null;
	const discussion =
		a.kind === 'discussion' ? await discussionPart(db, cls.id, a, staff, user.id) : null;
	return {
		quiz,
		discussion,
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
			kind: a.kind,
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

type Found = NonNullable<Awaited<ReturnType<typeof findAssignment>>>;

/** A prompt's page: how it runs, its thread; for staff, each student's participation. */
async function discussionPart(
	db: Awaited<ReturnType<typeof getDb>>,
	classId: number,
	a: Found,
	staff: boolean,
	userId: number
) {
	const [people, prose] = await Promise.all([
		promptParticipation(db, classId, a.id),
		a.actorMode === 'none' ? Promise.resolve(undefined) : courseProse(db, a.courseSlug)
	]);
	const actors = (prose?.actors ?? []).map((x) => ({ id: x.id, name: x.name }));
	const mine = people.find((p) => p.userId === userId);
	return {
		threadHref: a.threadId ? `/classes/${classId}/discussions/${a.threadId}` : null,
		postFirst: a.postFirst,
		anonymous: a.anonymous,
		actorMode: a.actorMode,
		actors,
		myActor: actors.find((x) => x.id === mine?.assignedActorId)?.name ?? null,
		people: staff
			? people.map((p) => ({
					...p,
					actorsArgued: p.actorsArgued,
					assignedActor: actors.find((x) => x.id === p.assignedActorId)?.name ?? null
				}))
			: []
	};
}

async function promptOf(event: Parameters<Actions['score']>[0]) {
	const { user, cls } = await requireClass(event, CLASS_STAFF);
	refuseIfArchived(cls);
	const id = parseId(event.params.assignment);
	const db = await getDb();
	const a = id === null ? undefined : await findAssignment(db, cls.id, id);
	if (!a || a.kind !== 'discussion') error(404, 'There is no such discussion prompt.');
	return { user, cls, db, a };
}

/** What a quiz assignment's page shows: the quiz, how it runs, and the viewer's attempts. */
async function quizPart(
	db: Awaited<ReturnType<typeof getDb>>,
	classId: number,
	a: Found,
	studentId: number | null
) {
	const s = a.quiz!;
	const now = new Date();
	const [quizzes, attempts, open, extra] = await Promise.all([
		quizzesForClass(db, classId),
		studentId === null ? Promise.resolve([]) : listAttempts(db, a.id, studentId),
		studentId === null ? openAttemptsOf(db, a.id, now) : Promise.resolve([]),
		studentId === null ? Promise.resolve(0) : extraAttempts(db, classId, studentId)
	]);
	const q = quizzes.find((z) => z.id === a.quizId);
	const policy = reviewPolicy(s);
	const used = attempts.length;
	const current = attempts.find((t) => t.status === 'in-progress') ?? null;
	return {
		title: q?.title ?? a.quizTitle ?? '',
		description: q?.description ?? '',
		questionCount: q?.questionCount ?? 0,
		attemptsAllowed: s.attemptsAllowed,
		timeLimitMinutes: s.timeLimitSeconds === null ? null : Math.round(s.timeLimitSeconds / 60),
		closesAt: s.closesAt,
		passPercent: s.passPercent,
		grading: s.grading,
		questionsPerPage: s.questionsPerPage,
		review: presetOf(policy),
		notOpenYet: a.opensAt !== null && new Date(a.opensAt) > now,
		closed: s.closesAt !== null && s.closesAt <= now,
		current: current ? { id: current.id, deadlineAt: current.deadlineAt } : null,
		attemptsLeft: s.attemptsAllowed === null ? null : Math.max(0, s.attemptsAllowed + extra - used),
		attempts: attempts.map((t) => {
			const shown = revealedNow(policy, {
				submitted: t.status === 'submitted',
				staff: false,
				dueAt: new Date(a.dueAt),
				closesAt: s.closesAt,
				now
			});
			return {
				id: t.id,
				number: t.number,
				status: t.status,
				submittedAt: t.submittedAt,
				submittedBy: t.submittedBy,
				score: shown.marks ? t.score : null,
				maxScore: t.maxScore
			};
		}),
		open
	};
}

export const actions: Actions = {
	score: async (event) => {
		const { user, cls, db, a } = await promptOf(event);
		const form = await event.request.formData();
		const values = {
			student: String(form.get('student') ?? ''),
			score: String(form.get('score') ?? ''),
			comment: String(form.get('comment') ?? '')
		};
		const student = parseId(values.student);
		const t = values.score.trim();
		const pct = /^\d{1,3}(\.\d)?$/.test(t) ? Number(t) : NaN;
		const errors: Record<string, string> = {};
		if (!(pct >= 0 && pct <= 100)) errors.score = 'Write a score from 0 to 100 (percent).';
		if (values.comment.length > 500) errors.comment = 'Use at most 500 characters.';
		if (student === null) errors.form = 'Choose a student of the class.';
		if (Object.keys(errors).length)
			return failure(400, { action: 'score', item: values.student, errors, values });
		const saved = await setParticipationScore(db, {
			classId: cls.id,
			assignmentId: a.id,
			userId: student!,
			score: pct / 100,
			comment: values.comment.trim(),
			by: user.id
		});
		if (!saved)
			return failure(404, {
				action: 'score',
				item: values.student,
				message: 'That student is not in this class any more.',
				values
			});
		return { action: 'score', item: values.student, saved: 'Score saved.' };
	},
	actors: async (event) => {
		const { cls, db, a } = await promptOf(event);
		const form = await event.request.formData();
		const choices: { userId: number; actorId: number | null }[] = [];
		for (const [k, v] of form) {
			const m = /^actor-(\d{1,9})$/.exec(k);
			if (!m || typeof v !== 'string') continue;
			choices.push({ userId: Number(m[1]), actorId: v === '' ? null : parseId(v) });
		}
		if (choices.length > 5_000)
			return failure(400, { action: 'actors', message: 'Too many students in one form.' });
		await assignPromptActors(db, cls.id, a.id, choices);
		return { action: 'actors', saved: 'The actors were given.' };
	},
	start: async (event) => {
		const { user, cls, access } = await requireClass(event, CLASS_MEMBERS);
		refuseIfArchived(cls);
		if (access === 'instructor' || access === 'admin')
			return failure(403, {
				action: 'start',
				message: 'Instructors preview quizzes from the course; attempts are for students.'
			});
		const id = parseId(event.params.assignment);
		if (id === null) error(404, 'There is no such assignment.');
		// Read with the session (the hook's `startParam`) for this class and assignment: taken once.
		const view = event.locals.startView;
		event.locals.startView = undefined;
		const r = await startAttempt(await getDb(), {
			classId: cls.id,
			assignmentId: id,
			userId: user.id,
			read: view?.classId === cls.id && view.assignmentId === id ? view : undefined
		});
		if (!r.ok) return failure(409, { action: 'start', message: START_REFUSALS[r.reason] });
		redirect(303, `/classes/${cls.id}/attempts/${r.attemptId}`);
	},
	extend: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const id = parseId(event.params.assignment);
		const db = await getDb();
		const a = id === null ? undefined : await findAssignment(db, cls.id, id);
		if (!a || a.kind !== 'quiz') error(404, 'There is no such quiz assignment.');
		const form = await event.request.formData();
		const values = {
			minutes: String(form.get('minutes') ?? ''),
			who: String(form.get('who') ?? '')
		};
		const minutes = /^\d{1,3}$/.test(values.minutes.trim()) ? Number(values.minutes.trim()) : NaN;
		if (!(minutes >= 1 && minutes <= 600))
			return failure(400, {
				action: 'extend',
				errors: { minutes: 'Write the extra time as a whole number of minutes, 1 to 600.' },
				values
			});
		const who = values.who === 'all' || values.who === '' ? undefined : parseId(values.who);
		if (who === null)
			return failure(400, {
				action: 'extend',
				errors: { who: 'Choose who gets the time.' },
				values
			});
		const moved = await extendOpenAttempts(db, { assignmentId: a.id, minutes, userId: who });
		return {
			action: 'extend',
			extended: moved
				? `${moved} open attempt${moved === 1 ? '' : 's'} got ${minutes} more minute${minutes === 1 ? '' : 's'}.`
				: 'Nobody has an open timed attempt right now: nothing changed.'
		};
	}
};
