import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { inTransaction, type Executor } from '../db/index.ts';
import type { AttemptStatus, Grading, QuestionType, Reveal, SubmittedBy } from '../db/types.ts';
import { ATTEMPT_LOCK_CLASS } from '../db/locks.ts';
import { storedAnswer } from '../courses/questions.ts';
import { drawQuestions } from '../../quiz/draw.ts';
import { seededShuffle } from '../../shuffle.ts';
import { attemptDeadline } from '../../quiz/policy.ts';
import {
	parseRaw,
	responseFromRaw,
	scoreResponse,
	slotCount,
	storedResponse,
	type RawAnswer
} from '../../quiz/score.ts';
import type { GiftAnswer } from '../../gift/index.ts';
import { questionPool, quizSlots } from './quizzes.ts';
import type { QuizSettingsInput } from './settings.ts';

// The attempt path: start (or resume), save an answer, submit, and the deadline closing what was
// left open. Built for many students at once: saving is one statement; starting and submitting
// are one transaction each of a fixed number of queries, whatever the quiz's length.

/** How a quiz assignment runs (its settings) and which quiz it gives. */
export type QuizRunSettings = QuizSettingsInput & { quizId: number };

export type StartRefusal =
	'not-a-quiz' | 'not-open-yet' | 'closed' | 'no-attempts-left' | 'no-questions';

export type StartResult =
	{ ok: true; attemptId: number; resumed: boolean } | { ok: false; reason: StartRefusal };

/** Why a student may not start, in words for the page. */
export const START_REFUSALS: Record<StartRefusal, string> = {
	'not-a-quiz': 'This assignment is not a quiz.',
	'not-open-yet': 'This quiz is not open yet.',
	closed: 'This quiz is closed: no new attempts can be started.',
	'no-attempts-left': 'You have used all your attempts at this quiz.',
	'no-questions': 'This quiz has no questions yet. Tell your instructor.'
};

/** The content of a question as an attempt keeps it, hashed so each distinct content is stored once. */
const versionHash = sql<string>`md5(jsonb_build_array(
	q.type, q.prompt, q.data, q.explanation, to_jsonb(q.cites), q.actor_id, q.concern_id, q.points
)::text)`;

/**
 * Starts an attempt at a quiz assignment, or returns the student's open one (however many times
 * it is asked at once: an advisory lock on the student and assignment admits one request at a
 * time, and a unique index allows one open attempt). An open attempt whose deadline has passed is
 * closed first, with what was saved. Refuses before the open date, after the close date, and
 * when the attempts allowed (plus the student's extra attempts) are used.
 */
export async function startAttempt(
	db: Executor,
	opts: { classId: number; assignmentId: number; userId: number; now?: Date }
): Promise<StartResult> {
	const now = opts.now ?? new Date();
	return inTransaction(db, async (trx) => {
		await sql`select pg_advisory_xact_lock(${ATTEMPT_LOCK_CLASS}::int,
			hashtext(${`${opts.assignmentId}:${opts.userId}`}))`.execute(trx);
		const a = await trx
			.selectFrom('assignments as a')
			.innerJoin('classes as k', 'k.id', 'a.class_id')
			.leftJoin('accommodations as ac', (j) =>
				j.onRef('ac.class_id', '=', 'a.class_id').on('ac.user_id', '=', opts.userId)
			)
			.select([
				'a.kind',
				'a.quiz_id as quizId',
				'a.opens_at as opensAt',
				'a.closes_at as closesAt',
				'a.attempts_allowed as attemptsAllowed',
				'a.time_limit_seconds as timeLimitSeconds',
				'a.grace_seconds as graceSeconds',
				'a.shuffle_questions as shuffleQuestions',
				'k.course_id as courseId',
				sql<number>`coalesce(ac.extra_minutes, 0)`.as('extraMinutes'),
				sql<number>`coalesce(ac.time_multiplier, 1)`.as('multiplier'),
				sql<number>`coalesce(ac.extra_attempts, 0)`.as('extraAttempts')
			])
			.select((eb) =>
				eb
					.selectFrom('attempts as t')
					.select(sql<number>`count(*)::int`.as('n'))
					.whereRef('t.assignment_id', '=', 'a.id')
					.where('t.user_id', '=', opts.userId)
					.where('t.practice', '=', false)
					.as('used')
			)
			.where('a.id', '=', opts.assignmentId)
			.where('a.class_id', '=', opts.classId)
			.executeTakeFirst();
		if (!a || a.kind !== 'quiz' || a.quizId === null) return { ok: false, reason: 'not-a-quiz' };

		const open = await trx
			.selectFrom('attempts')
			.select(['id', 'deadline_at as deadlineAt', 'grace_seconds as graceSeconds'])
			.where('assignment_id', '=', opts.assignmentId)
			.where('user_id', '=', opts.userId)
			.where('practice', '=', false)
			.where('status', '=', 'in-progress')
			.executeTakeFirst();
		if (open && !pastDeadline(open, now)) return { ok: true, attemptId: open.id, resumed: true };
		if (open) await submitAttempt(trx, { attemptId: open.id, by: 'deadline', now });

		if (a.opensAt && new Date(a.opensAt) > now) return { ok: false, reason: 'not-open-yet' };
		if (a.closesAt && new Date(a.closesAt) <= now) return { ok: false, reason: 'closed' };
		const used = Number(a.used ?? 0);
		if (a.attemptsAllowed !== null && used >= a.attemptsAllowed + Number(a.extraAttempts))
			return { ok: false, reason: 'no-attempts-left' };

		const seed = randomUUID();
		const [slots, pool] = await Promise.all([
			quizSlots(trx, [a.quizId]),
			questionPool(trx, a.courseId)
		]);
		let questionIds = drawQuestions(slots.get(a.quizId) ?? [], pool, seed);
		if (!questionIds.length) return { ok: false, reason: 'no-questions' };
		if (a.shuffleQuestions) questionIds = shuffleWith(questionIds, seed);

		const versions = await versionsOf(trx, questionIds);
		const deadline = attemptDeadline({
			startedAt: now,
			timeLimitSeconds: a.timeLimitSeconds,
			closesAt: a.closesAt ? new Date(a.closesAt) : null,
			multiplier: Number(a.multiplier),
			extraMinutes: Number(a.extraMinutes)
		});
		const attempt = await trx
			.insertInto('attempts')
			.values({
				assignment_id: opts.assignmentId,
				class_id: opts.classId,
				user_id: opts.userId,
				number: used + 1,
				seed,
				status: 'in-progress',
				started_at: now,
				deadline_at: deadline,
				grace_seconds: deadline ? a.graceSeconds : 0,
				max_score: questionIds.reduce((s, id) => s + versions.get(id)!.points, 0)
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx
			.insertInto('attempt_questions')
			.values(
				questionIds.map((id, i) => ({
					attempt_id: attempt.id,
					position: i + 1,
					question_version_id: versions.get(id)!.id
				}))
			)
			.execute();
		return { ok: true, attemptId: attempt.id, resumed: false };
	});
}

function shuffleWith(ids: number[], seed: string): number[] {
	// A separate stream from the draws', so the order does not follow the draw.
	return seededShuffle(ids, `${seed}:order`);
}

/** True when an open attempt's saves are no longer accepted (deadline and grace both passed). */
export function pastDeadline(
	a: { deadlineAt: Date | string | null; graceSeconds: number },
	now: Date
): boolean {
	if (!a.deadlineAt) return false;
	return new Date(a.deadlineAt).getTime() + a.graceSeconds * 1000 < now.getTime();
}

/**
 * The version row of each question's current content, made if it is new: one insert that skips
 * contents already stored, one select. An attempt points at these rows, never at `questions`.
 */
async function versionsOf(
	db: Executor,
	questionIds: number[]
): Promise<Map<number, { id: number; points: number }>> {
	await sql`insert into question_versions
			(question_id, hash, type, prompt, data, explanation, cites, actor_id, concern_id, points)
		select q.id, ${versionHash}, q.type, q.prompt, q.data, q.explanation, q.cites,
			q.actor_id, q.concern_id, q.points
		from questions q where q.id = any(${questionIds}::int[])
		on conflict (question_id, hash) do nothing`.execute(db);
	const { rows } = await sql<{ id: number; question_id: number; points: number }>`
		select qv.id, qv.question_id, qv.points from questions q
		join question_versions qv on qv.question_id = q.id and qv.hash = ${versionHash}
		where q.id = any(${questionIds}::int[])`.execute(db);
	return new Map(rows.map((r) => [r.question_id, { id: r.id, points: Number(r.points) }]));
}

export type SaveResult = 'saved' | 'stale' | 'closed' | 'not-found';

/**
 * Saves the student's answer to one question of their open attempt: one statement, which also
 * checks that the attempt is theirs, still open and within its deadline (plus grace), and that
 * the save is newer (`revision`) than the one stored — so a replayed or late-arriving older save
 * never overwrites a newer answer. Only when nothing was written does a second query say why.
 */
export async function saveAnswer(
	db: Executor,
	opts: {
		attemptId: number;
		userId: number;
		position: number;
		raw: RawAnswer;
		revision: number;
		now?: Date;
	}
): Promise<SaveResult> {
	const now = opts.now ?? new Date();
	const { rows } = await sql<{ saved_at: Date }>`
		insert into attempt_answers (attempt_id, position, response, revision, saved_at)
		select t.id, aq.position, ${JSON.stringify(opts.raw)}::jsonb, ${opts.revision}, ${now}
		from attempts t
		join attempt_questions aq on aq.attempt_id = t.id and aq.position = ${opts.position}
		where t.id = ${opts.attemptId} and t.user_id = ${opts.userId} and t.status = 'in-progress'
			and (t.deadline_at is null
				or t.deadline_at + make_interval(secs => t.grace_seconds) >= ${now})
		-- Waits for a submit in progress (which locks the attempt), then sees it submitted.
		for share of t
		on conflict (attempt_id, position) do update
			set response = excluded.response, revision = excluded.revision, saved_at = excluded.saved_at
			where attempt_answers.revision < excluded.revision
		returning saved_at`.execute(db);
	if (rows.length) return 'saved';
	const why = await db
		.selectFrom('attempts as t')
		.leftJoin('attempt_questions as aq', (j) =>
			j.onRef('aq.attempt_id', '=', 't.id').on('aq.position', '=', opts.position)
		)
		.select(['t.status', 't.deadline_at as deadlineAt', 't.grace_seconds as graceSeconds'])
		.select('aq.position')
		.where('t.id', '=', opts.attemptId)
		.where('t.user_id', '=', opts.userId)
		.executeTakeFirst();
	if (!why || why.position === null) return 'not-found';
	if (why.status !== 'in-progress' || pastDeadline(why, now)) return 'closed';
	return 'stale';
}

export interface AttemptQuestion {
	position: number;
	versionId: number;
	questionId: number;
	type: QuestionType;
	prompt: string;
	answer: GiftAnswer;
	explanation: string | null;
	cites: number[];
	actorId: number | null;
	concernId: number | null;
	points: number;
	/** What the student saved, as the page sent it; null when unanswered. */
	raw: RawAnswer | null;
	revision: number;
	savedAt: Date | null;
	/** 0..1 once the attempt is submitted. */
	score: number | null;
}

/** An attempt's questions as it was given them, with the saved answers. One query. */
export async function attemptQuestions(
	db: Executor,
	attemptId: number
): Promise<AttemptQuestion[]> {
	const rows = await db
		.selectFrom('attempt_questions as aq')
		.innerJoin('question_versions as qv', 'qv.id', 'aq.question_version_id')
		.leftJoin('attempt_answers as an', (j) =>
			j.onRef('an.attempt_id', '=', 'aq.attempt_id').onRef('an.position', '=', 'aq.position')
		)
		.select([
			'aq.position',
			'qv.id as versionId',
			'qv.question_id as questionId',
			'qv.type',
			'qv.prompt',
			'qv.data',
			'qv.explanation',
			'qv.cites',
			'qv.actor_id as actorId',
			'qv.concern_id as concernId',
			'qv.points',
			'an.response',
			'an.revision',
			'an.saved_at as savedAt',
			'an.score'
		])
		.where('aq.attempt_id', '=', attemptId)
		.orderBy('aq.position')
		.execute();
	return rows.map((r) => ({
		position: r.position,
		versionId: r.versionId,
		questionId: r.questionId,
		type: r.type,
		prompt: r.prompt,
		answer: storedAnswer(r.type, r.data),
		explanation: r.explanation,
		cites: r.cites,
		actorId: r.actorId,
		concernId: r.concernId,
		points: Number(r.points),
		raw: r.response === null ? null : (parseRaw(r.response) ?? null),
		revision: r.revision === null ? 0 : Number(r.revision),
		savedAt: r.savedAt ? new Date(r.savedAt) : null,
		score: r.score === null ? null : Number(r.score)
	}));
}

/** The seed a question's options are shown with in an attempt (null: in written order). */
export function optionSeed(attempt: { seed: string; shuffleOptions: boolean }, position: number) {
	return attempt.shuffleOptions ? `${attempt.seed}:${position}` : null;
}

/** Scores a saved answer against the version the attempt was given. */
export function scoreSaved(
	q: Pick<AttemptQuestion, 'answer' | 'raw' | 'position'>,
	attempt: { seed: string; shuffleOptions: boolean }
) {
	const response = storedResponse(
		q.answer,
		optionSeed(attempt, q.position),
		responseFromRaw(q.answer.type, q.raw ?? { answer: [], slots: [] }, slotCount(q.answer))
	);
	return { response, ...scoreResponse(q.answer, response) };
}

export type SubmitResult =
	| { ok: true; already: boolean; score: number; maxScore: number }
	| { ok: false; reason: 'not-found' };

/**
 * Submits an attempt: scores every saved answer on the server against the versions the attempt
 * was given, and closes it. One transaction of four queries. The attempt row is locked first, so
 * a double or replayed submit waits and then finds it submitted: it never scores twice, and a
 * finished attempt never changes. A student's submit that arrives after the deadline and its
 * grace closes the attempt as the deadline would, with what was saved in time.
 */
export async function submitAttempt(
	db: Executor,
	opts: { attemptId: number; userId?: number; by: SubmittedBy; now?: Date }
): Promise<SubmitResult> {
	const now = opts.now ?? new Date();
	return inTransaction(db, async (trx) => {
		let q = trx
			.selectFrom('attempts as t')
			.innerJoin('assignments as a', 'a.id', 't.assignment_id')
			.select([
				't.id',
				't.status',
				't.seed',
				't.score',
				't.max_score as maxScore',
				't.deadline_at as deadlineAt',
				't.grace_seconds as graceSeconds',
				'a.shuffle_options as shuffleOptions'
			])
			.where('t.id', '=', opts.attemptId);
		if (opts.userId !== undefined) q = q.where('t.user_id', '=', opts.userId);
		const t = await q.forUpdate('t').executeTakeFirst();
		if (!t) return { ok: false, reason: 'not-found' };
		if (t.status === 'submitted')
			return { ok: true, already: true, score: Number(t.score), maxScore: Number(t.maxScore) };
		const questions = await attemptQuestions(trx, t.id);
		const scores = questions.map((qq) => (qq.raw ? scoreSaved(qq, t).score : 0));
		const answered = questions.filter((qq) => qq.raw);
		if (answered.length) {
			await sql`update attempt_answers an set score = v.score
				from unnest(${answered.map((qq) => qq.position)}::int[],
					${answered.map((qq) => scores[questions.indexOf(qq)])}::float8[]) as v(position, score)
				where an.attempt_id = ${t.id} and an.position = v.position`.execute(trx);
		}
		const total = round(questions.reduce((s, qq, i) => s + qq.points * scores[i], 0));
		const late = pastDeadline(t, now);
		await trx
			.updateTable('attempts')
			.set({
				status: 'submitted' satisfies AttemptStatus,
				submitted_at: late && t.deadlineAt ? new Date(t.deadlineAt) : now,
				submitted_by: late && opts.by === 'student' ? 'deadline' : opts.by,
				score: total
			})
			.where('id', '=', t.id)
			.execute();
		return { ok: true, already: false, score: total, maxScore: Number(t.maxScore) };
	});
}

function round(n: number): number {
	return Math.round(n * 1000) / 1000;
}

/**
 * Closes every open attempt whose deadline and grace have passed, with what was saved — the
 * students may have left long ago. Run by the periodic job; returns how many it closed.
 */
export async function closeExpiredAttempts(
	db: Executor,
	now: Date = new Date(),
	limit = 500
): Promise<number> {
	const { rows } = await sql<{ id: number }>`
		select id from attempts
		where status = 'in-progress' and deadline_at is not null
			and deadline_at + make_interval(secs => grace_seconds) < ${now}
		order by deadline_at limit ${limit}`.execute(db);
	let closed = 0;
	for (const r of rows) {
		const res = await submitAttempt(db, { attemptId: r.id, by: 'deadline', now });
		if (res.ok && !res.already) closed++;
	}
	return closed;
}

/**
 * Gives more time to open attempts of an assignment — everyone's, or one student's — at once:
 * the deadline the server checks moves. Returns how many attempts it moved.
 */
export async function extendOpenAttempts(
	db: Executor,
	opts: { assignmentId: number; minutes: number; userId?: number; now?: Date }
): Promise<number> {
	const now = opts.now ?? new Date();
	let q = db
		.updateTable('attempts')
		.set({
			deadline_at: sql`deadline_at + make_interval(mins => ${opts.minutes})`
		})
		.where('assignment_id', '=', opts.assignmentId)
		.where('status', '=', 'in-progress')
		.where('deadline_at', 'is not', null)
		.where(sql<boolean>`deadline_at + make_interval(secs => grace_seconds) >= ${now}`);
	if (opts.userId !== undefined) q = q.where('user_id', '=', opts.userId);
	const r = await q.executeTakeFirst();
	return Number(r.numUpdatedRows);
}

export interface AttemptInfo {
	id: number;
	classId: number;
	assignmentId: number;
	userId: number;
	userName: string;
	number: number;
	practice: boolean;
	seed: string;
	status: AttemptStatus;
	startedAt: Date;
	deadlineAt: Date | null;
	graceSeconds: number;
	submittedAt: Date | null;
	submittedBy: SubmittedBy | null;
	score: number | null;
	maxScore: number;
	assignmentTitle: string;
	dueAt: Date;
	courseSlug: string;
	settings: QuizRunSettings;
}

/** One attempt of a class with its assignment's settings, or undefined. One query. */
export async function findAttempt(
	db: Executor,
	classId: number,
	attemptId: number
): Promise<AttemptInfo | undefined> {
	const r = await db
		.selectFrom('attempts as t')
		.innerJoin('assignments as a', 'a.id', 't.assignment_id')
		.innerJoin('users as u', 'u.id', 't.user_id')
		.innerJoin('classes as k', 'k.id', 't.class_id')
		.innerJoin('courses as c', 'c.id', 'k.course_id')
		.select([
			't.id',
			't.class_id as classId',
			't.assignment_id as assignmentId',
			't.user_id as userId',
			'u.name as userName',
			't.number',
			't.practice',
			't.seed',
			't.status',
			't.started_at as startedAt',
			't.deadline_at as deadlineAt',
			't.grace_seconds as graceSeconds',
			't.submitted_at as submittedAt',
			't.submitted_by as submittedBy',
			't.score',
			't.max_score as maxScore',
			'a.title as assignmentTitle',
			'a.due_at as dueAt',
			'c.slug as courseSlug',
			...SETTINGS_COLUMNS
		])
		.where('t.id', '=', attemptId)
		.where('t.class_id', '=', classId)
		.executeTakeFirst();
	if (!r) return undefined;
	return {
		id: r.id,
		classId: r.classId,
		assignmentId: r.assignmentId,
		userId: r.userId,
		userName: r.userName,
		number: r.number,
		practice: r.practice,
		seed: r.seed,
		status: r.status,
		startedAt: new Date(r.startedAt),
		deadlineAt: r.deadlineAt ? new Date(r.deadlineAt) : null,
		graceSeconds: r.graceSeconds,
		submittedAt: r.submittedAt ? new Date(r.submittedAt) : null,
		submittedBy: r.submittedBy,
		score: r.score === null ? null : Number(r.score),
		maxScore: Number(r.maxScore),
		assignmentTitle: r.assignmentTitle,
		dueAt: new Date(r.dueAt),
		courseSlug: r.courseSlug,
		settings: settingsOf(r)
	};
}

/** The assignment columns that say how a quiz runs, aliased for `settingsOf`. */
export const SETTINGS_COLUMNS = [
	'a.quiz_id as s_quizId',
	'a.attempts_allowed as s_attemptsAllowed',
	'a.time_limit_seconds as s_timeLimitSeconds',
	'a.grace_seconds as s_graceSeconds',
	'a.shuffle_questions as s_shuffleQuestions',
	'a.shuffle_options as s_shuffleOptions',
	'a.one_per_page as s_onePerPage',
	'a.review_marks as s_reviewMarks',
	'a.review_answers as s_reviewAnswers',
	'a.review_feedback as s_reviewFeedback',
	'a.pass_percent as s_passPercent',
	'a.grading as s_grading',
	'a.closes_at as s_closesAt'
] as const;

export function settingsOf(r: {
	s_quizId: number | null;
	s_attemptsAllowed: number | null;
	s_timeLimitSeconds: number | null;
	s_graceSeconds: number;
	s_shuffleQuestions: boolean;
	s_shuffleOptions: boolean;
	s_onePerPage: boolean;
	s_reviewMarks: Reveal;
	s_reviewAnswers: Reveal;
	s_reviewFeedback: Reveal;
	s_passPercent: number | null;
	s_grading: Grading;
	s_closesAt: Date | string | null;
}): QuizRunSettings {
	return {
		quizId: r.s_quizId ?? 0,
		attemptsAllowed: r.s_attemptsAllowed,
		timeLimitSeconds: r.s_timeLimitSeconds,
		graceSeconds: r.s_graceSeconds,
		shuffleQuestions: r.s_shuffleQuestions,
		shuffleOptions: r.s_shuffleOptions,
		onePerPage: r.s_onePerPage,
		reviewMarks: r.s_reviewMarks,
		reviewAnswers: r.s_reviewAnswers,
		reviewFeedback: r.s_reviewFeedback,
		passPercent: r.s_passPercent === null ? null : Number(r.s_passPercent),
		grading: r.s_grading,
		closesAt: r.s_closesAt ? new Date(r.s_closesAt) : null
	};
}

export interface AttemptRow {
	id: number;
	number: number;
	status: AttemptStatus;
	startedAt: Date;
	deadlineAt: Date | null;
	submittedAt: Date | null;
	submittedBy: SubmittedBy | null;
	score: number | null;
	maxScore: number;
}

/** A student's attempts at an assignment (graded ones, then practice), in order. */
export async function listAttempts(
	db: Executor,
	assignmentId: number,
	userId: number,
	opts: { practice?: boolean } = {}
): Promise<AttemptRow[]> {
	const rows = await db
		.selectFrom('attempts')
		.select([
			'id',
			'number',
			'status',
			'started_at as startedAt',
			'deadline_at as deadlineAt',
			'submitted_at as submittedAt',
			'submitted_by as submittedBy',
			'score',
			'max_score as maxScore'
		])
		.where('assignment_id', '=', assignmentId)
		.where('user_id', '=', userId)
		.where('practice', '=', opts.practice ?? false)
		.orderBy('number')
		.execute();
	return rows.map((r) => ({
		...r,
		startedAt: new Date(r.startedAt),
		deadlineAt: r.deadlineAt ? new Date(r.deadlineAt) : null,
		submittedAt: r.submittedAt ? new Date(r.submittedAt) : null,
		score: r.score === null ? null : Number(r.score),
		maxScore: Number(r.maxScore)
	}));
}

/** How many graded and practice attempts an assignment has (an assignment with some is kept). */
export async function countAttempts(db: Executor, assignmentId: number): Promise<number> {
	const r = await db
		.selectFrom('attempts')
		.select(sql<number>`count(*)::int`.as('n'))
		.where('assignment_id', '=', assignmentId)
		.executeTakeFirstOrThrow();
	return Number(r.n);
}

/** The open timed attempts of an assignment now (for the instructor's "give more time"). */
export async function openAttemptsOf(db: Executor, assignmentId: number, now: Date = new Date()) {
	const rows = await db
		.selectFrom('attempts as t')
		.innerJoin('users as u', 'u.id', 't.user_id')
		.select(['t.id', 't.user_id as userId', 'u.name', 't.deadline_at as deadlineAt'])
		.where('t.assignment_id', '=', assignmentId)
		.where('t.status', '=', 'in-progress')
		.where('t.practice', '=', false)
		.where('t.deadline_at', 'is not', null)
		.where(sql<boolean>`t.deadline_at + make_interval(secs => t.grace_seconds) >= ${now}`)
		.orderBy('u.name')
		.execute();
	return rows.map((r) => ({ ...r, deadlineAt: new Date(r.deadlineAt!) }));
}

/** The extra attempts a student of the class has been given (0 when none). */
export async function extraAttempts(db: Executor, classId: number, userId: number) {
	const r = await db
		.selectFrom('accommodations')
		.select('extra_attempts')
		.where('class_id', '=', classId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	return r?.extra_attempts ?? 0;
}

/** The most questions a "practise what I missed" attempt gives. */
export const PRACTICE_SIZE = 10;

/**
 * "Practise what I missed": a practice attempt (never counted in the gradebook) from a finished
 * attempt of the student's — the questions they did not get fully right, and others of the bank
 * on the same concerns, in a new order; untimed. Returns the student's open practice attempt of
 * the assignment instead when there is one. Undefined when nothing was missed.
 */
export async function startPractice(
	db: Executor,
	opts: { classId: number; attemptId: number; userId: number; now?: Date }
): Promise<{ attemptId: number; resumed: boolean } | undefined> {
	const now = opts.now ?? new Date();
	return inTransaction(db, async (trx) => {
		const source = await trx
			.selectFrom('attempts as t')
			.innerJoin('classes as k', 'k.id', 't.class_id')
			.select(['t.id', 't.assignment_id as assignmentId', 'k.course_id as courseId'])
			.where('t.id', '=', opts.attemptId)
			.where('t.class_id', '=', opts.classId)
			.where('t.user_id', '=', opts.userId)
			.where('t.status', '=', 'submitted')
			.executeTakeFirst();
		if (!source) return undefined;
		await sql`select pg_advisory_xact_lock(${ATTEMPT_LOCK_CLASS}::int,
			hashtext(${`${source.assignmentId}:${opts.userId}`}))`.execute(trx);
		const open = await trx
			.selectFrom('attempts')
			.select('id')
			.where('assignment_id', '=', source.assignmentId)
			.where('user_id', '=', opts.userId)
			.where('practice', '=', true)
			.where('status', '=', 'in-progress')
			.executeTakeFirst();
		if (open) return { attemptId: open.id, resumed: true };
		const missed = (await attemptQuestions(trx, source.id)).filter((q) => (q.score ?? 0) < 0.999);
		if (!missed.length) return undefined;
		const missedIds = new Set(missed.map((q) => q.questionId));
		const concerns = new Set(missed.map((q) => q.concernId).filter((c) => c !== null));
		const pool = await questionPool(trx, source.courseId);
		const seed = randomUUID();
		const others = seededShuffle(
			pool.filter((q) => !missedIds.has(q.id) && q.concernId !== null && concerns.has(q.concernId)),
			seed
		);
		const ids = seededShuffle(
			[...seededShuffle([...missedIds], seed), ...others.map((q) => q.id)].slice(0, PRACTICE_SIZE),
			`${seed}:order`
		);
		const versions = await versionsOf(trx, ids);
		const count = await trx
			.selectFrom('attempts')
			.select(sql<number>`count(*)::int`.as('n'))
			.where('assignment_id', '=', source.assignmentId)
			.where('user_id', '=', opts.userId)
			.where('practice', '=', true)
			.executeTakeFirstOrThrow();
		const attempt = await trx
			.insertInto('attempts')
			.values({
				assignment_id: source.assignmentId,
				class_id: opts.classId,
				user_id: opts.userId,
				number: Number(count.n) + 1,
				practice: true,
				seed,
				status: 'in-progress',
				started_at: now,
				deadline_at: null,
				max_score: ids.reduce((s, id) => s + versions.get(id)!.points, 0)
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx
			.insertInto('attempt_questions')
			.values(
				ids.map((id, i) => ({
					attempt_id: attempt.id,
					position: i + 1,
					question_version_id: versions.get(id)!.id
				}))
			)
			.execute();
		return { attemptId: attempt.id, resumed: false };
	});
}
