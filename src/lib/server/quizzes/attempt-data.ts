import type { Executor } from '../db/index.ts';
import type { AttemptStatus, QuestionType, SubmittedBy } from '../db/types.ts';
import { sql } from 'kysely';
import { storedAnswer } from '../courses/questions.ts';
import { courseVersion } from '../courses/queries.ts';
import {
	parseRaw,
	responseFromRaw,
	scoreResponse,
	slotCount,
	storedResponse,
	type RawAnswer
} from '../../quiz/score.ts';
import type { GiftAnswer } from '../../gift/index.ts';
import type { QuizSettingsInput } from './settings.ts';
import type { Grading, Reveal } from '../db/types.ts';

// Reading attempts: an attempt with its settings, its questions as it was given them and the saved
// answers, a student's attempts, and the scoring of a saved answer. The write path is attempts.ts.

/** How a quiz assignment runs (its settings) and which quiz it gives. */
export type QuizRunSettings = QuizSettingsInput & { quizId: number };

/** True when an open attempt's saves are no longer accepted (deadline and grace both passed). */
export function pastDeadline(
	a: { deadlineAt: Date | string | null; graceSeconds: number },
	now: Date
): boolean {
	if (!a.deadlineAt) return false;
	return new Date(a.deadlineAt).getTime() + a.graceSeconds * 1000 < now.getTime();
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
	return rows.map(questionFromRow);
}

/** A question row, from the query above or from the JSON of `findAttemptWithQuestions`. */
type QuestionRow = {
	position: number;
	versionId: number;
	questionId: number;
	type: QuestionType;
	prompt: string;
	data: unknown;
	explanation: string | null;
	cites: number[];
	actorId: number | null;
	concernId: number | null;
	points: number | string;
	response: unknown;
	revision: number | string | null;
	savedAt: Date | string | null;
	score: number | string | null;
};

function questionFromRow(r: QuestionRow): AttemptQuestion {
	return {
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
	};
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
	courseId: number;
	courseSlug: string;
	/** The course's content version (courseVersion): what its prose is kept under. */
	courseVersion: string;
	settings: QuizRunSettings;
}

function attemptQuery(db: Executor, classId: number, attemptId: number) {
	return db
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
			'c.id as courseId',
			'c.slug as courseSlug',
			courseVersion.as('courseVersion'),
			...SETTINGS_COLUMNS
		])
		.where('t.id', '=', attemptId)
		.where('t.class_id', '=', classId);
}

type AttemptInfoRow = NonNullable<
	Awaited<ReturnType<ReturnType<typeof attemptQuery>['executeTakeFirst']>>
>;

function attemptFromRow(r: AttemptInfoRow): AttemptInfo {
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
		courseId: r.courseId,
		courseSlug: r.courseSlug,
		courseVersion: r.courseVersion,
		settings: settingsOf(r)
	};
}

/** One attempt of a class with its assignment's settings, or undefined. One query. */
export async function findAttempt(
	db: Executor,
	classId: number,
	attemptId: number
): Promise<AttemptInfo | undefined> {
	const r = await attemptQuery(db, classId, attemptId).executeTakeFirst();
	return r && attemptFromRow(r);
}

/**
 * `findAttempt` and `attemptQuestions` in one statement: the attempt page, which every student of
 * an exam asks for at every page turn, needs both.
 */
function attemptWithQuestionsQuery(db: Executor, classId: number, attemptId: number) {
	return attemptQuery(db, classId, attemptId).select(
		sql<QuestionRow[]>`coalesce((
				select json_agg(json_build_object(
					'position', aq.position, 'versionId', qv.id, 'questionId', qv.question_id,
					'type', qv.type, 'prompt', qv.prompt, 'data', qv.data,
					'explanation', qv.explanation, 'cites', qv.cites, 'actorId', qv.actor_id,
					'concernId', qv.concern_id, 'points', qv.points, 'response', an.response,
					'revision', an.revision, 'savedAt', an.saved_at, 'score', an.score
				) order by aq.position)
				from attempt_questions aq
				join question_versions qv on qv.id = aq.question_version_id
				left join attempt_answers an
					on an.attempt_id = aq.attempt_id and an.position = aq.position
				where aq.attempt_id = t.id
			), '[]'::json)`.as('questions')
	);
}

type AttemptWithQuestionsRow = NonNullable<
	Awaited<ReturnType<ReturnType<typeof attemptWithQuestionsQuery>['executeTakeFirst']>>
>;

export type AttemptWithQuestions = { attempt: AttemptInfo; questions: AttemptQuestion[] };

/** A row of `attemptWithQuestionsQuery`, as read or as JSON (dates as text: both are read). */
export function attemptWithQuestionsOf(r: AttemptWithQuestionsRow): AttemptWithQuestions {
	return { attempt: attemptFromRow(r), questions: r.questions.map(questionFromRow) };
}

/** One attempt of a class with its questions and saved answers, or undefined. One query. */
export async function findAttemptWithQuestions(
	db: Executor,
	classId: number,
	attemptId: number
): Promise<AttemptWithQuestions | undefined> {
	const r = await attemptWithQuestionsQuery(db, classId, attemptId).executeTakeFirst();
	return r && attemptWithQuestionsOf(r);
}

/**
 * `findAttemptWithQuestions`'s row as one JSON value (or null), for the session check to carry
 * on an attempt page (the page every student of an exam asks for at once): one round trip for
 * both. Whether the viewer may see it is decided by the page, as with the query.
 */
export function attemptWithQuestionsJson(db: Executor, classId: number, attemptId: number) {
	return sql<AttemptWithQuestionsRow | null>`(select row_to_json(v) from (${attemptWithQuestionsQuery(db, classId, attemptId)}) v)`;
}

/** The assignment columns that say how a quiz runs, aliased for `settingsOf`. */
export const SETTINGS_COLUMNS = [
	'a.quiz_id as s_quizId',
	'a.attempts_allowed as s_attemptsAllowed',
	'a.time_limit_seconds as s_timeLimitSeconds',
	'a.grace_seconds as s_graceSeconds',
	'a.shuffle_questions as s_shuffleQuestions',
	'a.shuffle_options as s_shuffleOptions',
	'a.questions_per_page as s_questionsPerPage',
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
	s_questionsPerPage: number;
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
		questionsPerPage: Number(r.s_questionsPerPage),
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
