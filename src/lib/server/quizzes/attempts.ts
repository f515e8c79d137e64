import { randomUUID } from 'node:crypto';
import { sql, type Expression } from 'kysely';
import { inTransaction, type Executor } from '../db/index.ts';
import { poolSize } from '../db/connect.ts';
import { Gate } from '../db/gate.ts';
import type { AttemptStatus, SubmittedBy } from '../db/types.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { drawQuestions } from '../../quiz/draw.ts';
import { seededShuffle } from '../../shuffle.ts';
import { attemptDeadline } from '../../quiz/policy.ts';
import type { RawAnswer } from '../../quiz/score.ts';
import { courseVersion } from '../courses/queries.ts';
import { drawKit } from './draw-cache.ts';
import { liveSessionUserId } from '../auth/live-session.ts';
import type { QuestionVersions } from './question-versions.ts';
import { attemptQuestions, pastDeadline, scoreSaved } from './attempt-data.ts';

// What reads attempts (a page, a report) is in attempt-data.ts; practice attempts in practice.ts.
export * from './attempt-data.ts';

// The attempt path: start (or resume), save an answer, submit, and the deadline closing what was
// left open. Built for many students at once: saving is one statement, starting two (one read,
// one insert), submitting one transaction of a fixed number of queries, whatever the quiz's
// length.

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

/**
 * Starts an attempt at a quiz assignment, or returns the student's open one, however many times
 * it is asked at once: a unique index allows one open attempt (and one attempt of each number),
 * so of two starts racing the second's insert is refused and its second try finds the first's
 * attempt. An open attempt whose deadline has passed is closed first, with what was saved.
 * Refuses before the open date, after the close date, and when the attempts allowed (plus the
 * student's extra attempts) are used.
 *
 * Two statements when the course's draw is kept (draw-cache.ts): one read (the assignment, the
 * student's accommodations, open attempt and attempts used) and one insert (the attempt with its
 * questions). No transaction is needed: each write is one statement, and a start that fails
 * between them has written nothing. At an exam's start every round trip here is paid by every
 * student at once: the start form's read comes with the session check (`read`), leaving the
 * insert.
 */
export async function startAttempt(
	db: Executor,
	opts: StartOptions & {
		/**
		 * The start's context as the session check read it for this student, class and
		 * assignment (`startContextJson`): the start reads it no more (a retry after a refused
		 * insert reads afresh).
		 */
		read?: { context: StartContext | undefined };
	}
): Promise<StartResult> {
	const { read, ...o } = opts;
	// Inside a caller's transaction it already holds its connection: no place to wait for.
	return db.isTransaction ? startIn(db, o, read) : startGate.run(() => startIn(db, o, read));
}

type StartOptions = { classId: number; assignmentId: number; userId: number; now?: Date };

/**
 * Starts running at once in one instance: half its pool's connections. At an exam's start the
 * whole school asks in the same second; the students who already started keep the other half
 * for their page views and saves instead of queueing behind every start (a start waits here,
 * in memory, not in the pool's queue). Exported for tests.
 */
export const startGate = new Gate(Math.max(1, Math.floor(poolSize() / 2)));

async function startIn(
	db: Executor,
	opts: StartOptions,
	read?: { context: StartContext | undefined }
): Promise<StartResult> {
	try {
		return await startOnce(db, opts, read);
	} catch (e) {
		// The same student's other start inserted first: this try's insert was refused by the
		// one-open-attempt (or attempt-number) index. The second try finds that attempt. (In a
		// caller's transaction the refusal has aborted it: the caller sees the error.)
		if (db.isTransaction || !isUniqueViolation(e)) throw e;
		return await startOnce(db, opts);
	}
}

/**
 * What a start needs to know (the assignment, its course's version, the student's
 * accommodations, open attempt and attempts used), for `userId`: a number, or an expression of the
 * statement it is part of (the session check's user).
 */
function startContextQuery(
	db: Executor,
	opts: { classId: number; assignmentId: number; userId: number | Expression<number> }
) {
	return (
		db
			.selectFrom('assignments as a')
			.innerJoin('classes as k', 'k.id', 'a.class_id')
			.innerJoin('courses as c', 'c.id', 'k.course_id')
			.leftJoin('accommodations as ac', (j) =>
				j.onRef('ac.class_id', '=', 'a.class_id').on('ac.user_id', '=', opts.userId)
			)
			// The student's open attempt, if any (attempts_one_open_idx allows one), in the same
			// query: at an exam's start every round trip here is paid by every student at once.
			.leftJoin('attempts as o', (j) =>
				j
					.onRef('o.assignment_id', '=', 'a.id')
					.on('o.user_id', '=', opts.userId)
					.on('o.practice', '=', false)
					.on('o.status', '=', 'in-progress')
			)
			.select([
				'o.id as openId',
				'o.deadline_at as openDeadlineAt',
				'o.grace_seconds as openGraceSeconds',
				'a.kind',
				'a.quiz_id as quizId',
				'a.opens_at as opensAt',
				'a.closes_at as closesAt',
				'a.attempts_allowed as attemptsAllowed',
				'a.time_limit_seconds as timeLimitSeconds',
				'a.grace_seconds as graceSeconds',
				'a.shuffle_questions as shuffleQuestions',
				'k.course_id as courseId',
				courseVersion.as('courseVersion'),
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
	);
}

/**
 * A start's context as it was read (dates may be text when it came as JSON: every use parses
 * them), or undefined when the class has no such assignment.
 */
export type StartContext = {
	[K in keyof StartContextRow]: StartContextRow[K] extends Date | null
		? Date | string | null
		: StartContextRow[K];
};
type StartContextRow = NonNullable<
	Awaited<ReturnType<ReturnType<typeof startContextQuery>['executeTakeFirst']>>
>;

/**
 * The start's context as one JSON value (or null), for the session check to read with the
 * session on a start (`userId`: the session's user): a start is then two round trips, not three.
 */
export function startContextJson(
	db: Executor,
	classId: number,
	assignmentId: number,
	userId: Expression<number>
) {
	return sql<StartContext | null>`(select row_to_json(v) from (${startContextQuery(db, {
		classId,
		assignmentId,
		userId
	})}) v)`;
}

async function startOnce(
	db: Executor,
	opts: StartOptions,
	read?: { context: StartContext | undefined }
): Promise<StartResult> {
	const now = opts.now ?? new Date();
	const a = read ? read.context : await startContextQuery(db, opts).executeTakeFirst();
	if (!a || a.kind !== 'quiz' || a.quizId === null) return { ok: false, reason: 'not-a-quiz' };

	const open =
		a.openId === null
			? undefined
			: {
					id: a.openId,
					deadlineAt: a.openDeadlineAt,
					graceSeconds: Number(a.openGraceSeconds ?? 0)
				};
	if (open && !pastDeadline(open, now)) return { ok: true, attemptId: open.id, resumed: true };
	if (open) await submitAttempt(db, { attemptId: open.id, by: 'deadline', now });

	if (a.opensAt && new Date(a.opensAt) > now) return { ok: false, reason: 'not-open-yet' };
	if (a.closesAt && new Date(a.closesAt) <= now) return { ok: false, reason: 'closed' };
	const used = Number(a.used ?? 0);
	if (a.attemptsAllowed !== null && used >= a.attemptsAllowed + Number(a.extraAttempts))
		return { ok: false, reason: 'no-attempts-left' };

	const seed = randomUUID();
	// The pool, the slots and the versions of the course as it was read: kept
	// in memory per course version (draw-cache.ts), so most starts read none of them.
	const { slots, pool, versions } = await drawKit(db, {
		courseId: a.courseId,
		quizId: a.quizId,
		version: a.courseVersion
	});
	let questionIds = drawQuestions(slots, pool, seed);
	if (!questionIds.length) return { ok: false, reason: 'no-questions' };
	if (a.shuffleQuestions) questionIds = shuffleWith(questionIds, seed);

	const deadline = attemptDeadline({
		startedAt: now,
		timeLimitSeconds: a.timeLimitSeconds,
		closesAt: a.closesAt ? new Date(a.closesAt) : null,
		multiplier: Number(a.multiplier),
		extraMinutes: Number(a.extraMinutes)
	});
	const attemptId = await createAttempt(db, {
		assignmentId: opts.assignmentId,
		classId: opts.classId,
		userId: opts.userId,
		number: used + 1,
		practice: false,
		seed,
		startedAt: now,
		deadlineAt: deadline,
		graceSeconds: deadline ? a.graceSeconds : 0,
		questionIds,
		versions
	});
	return { ok: true, attemptId, resumed: false };
}

/**
 * Inserts an attempt and the question versions it is given, in order (one statement). Its
 * maximum score is the sum of their points.
 */
export async function createAttempt(
	trx: Executor,
	a: {
		assignmentId: number;
		classId: number;
		userId: number;
		number: number;
		practice: boolean;
		seed: string;
		startedAt: Date;
		deadlineAt: Date | null;
		graceSeconds: number;
		questionIds: number[];
		versions: QuestionVersions;
	}
): Promise<number> {
	// The attempt and its questions in one statement (a data-modifying CTE).
	const attempt = trx
		.insertInto('attempts')
		.values({
			assignment_id: a.assignmentId,
			class_id: a.classId,
			user_id: a.userId,
			number: a.number,
			practice: a.practice,
			seed: a.seed,
			status: 'in-progress',
			started_at: a.startedAt,
			deadline_at: a.deadlineAt,
			grace_seconds: a.graceSeconds,
			max_score: a.questionIds.reduce((s, q) => s + a.versions.get(q)!.points, 0)
		})
		.returning('id');
	const { rows } = await sql<{ id: number }>`
		with t as (${attempt})
		insert into attempt_questions (attempt_id, position, question_version_id)
		select t.id, v.position, v.version from t,
			unnest(${a.questionIds.map((_, i) => i + 1)}::int[],
				${a.questionIds.map((q) => a.versions.get(q)!.id)}::int[]) as v(position, version)
		returning attempt_id as id`.execute(trx);
	if (!rows.length) throw new Error('An attempt needs at least one question.');
	return rows[0].id;
}

function shuffleWith(ids: number[], seed: string): number[] {
	// A separate stream from the draws', so the order does not follow the draw.
	return seededShuffle(ids, `${seed}:order`);
}

export type SaveResult = 'saved' | 'stale' | 'closed' | 'not-found' | 'signed-out';

/**
 * Saves the student's answer to one question of their open attempt: one statement, which also
 * checks that the attempt is theirs (in `classId` when given) and they are still in its class,
 * that it is open and within its deadline (plus grace), and that the save is newer (`revision`)
 * than the one stored — so a replayed or late-arriving older save never overwrites a newer
 * answer. Only when nothing was written does a second query say why. The autosave endpoint relies
 * on these checks instead of looking the class up first, and names the student by their session
 * (`sessionId`, the token's hash) instead of a user id, so the statement checks the session too
 * (live, its user not disabled: 'signed-out' otherwise): a save is one round trip.
 */
export async function saveAnswer(
	db: Executor,
	opts: ({ userId: number } | { sessionId: string }) & {
		attemptId: number;
		classId?: number;
		position: number;
		raw: RawAnswer;
		revision: number;
		now?: Date;
	}
): Promise<SaveResult> {
	const now = opts.now ?? new Date();
	const inClass = opts.classId === undefined ? sql`true` : sql`t.class_id = ${opts.classId}`;
	const student =
		'sessionId' in opts ? liveSessionUserId(opts.sessionId, now) : sql<number>`${opts.userId}`;
	const { rows } = await sql<{ saved_at: Date }>`
		insert into attempt_answers (attempt_id, position, response, revision, saved_at)
		select t.id, aq.position, ${JSON.stringify(opts.raw)}::jsonb, ${opts.revision}, ${now}
		from attempts t
		join attempt_questions aq on aq.attempt_id = t.id and aq.position = ${opts.position}
		join memberships m on m.class_id = t.class_id and m.user_id = t.user_id
		where t.id = ${opts.attemptId} and t.user_id = ${student} and ${inClass}
			and t.status = 'in-progress'
			and (t.deadline_at is null
				or t.deadline_at + make_interval(secs => t.grace_seconds) >= ${now})
		-- Waits for a submit in progress (which locks the attempt), then sees it submitted.
		for share of t
		on conflict (attempt_id, position) do update
			set response = excluded.response, revision = excluded.revision, saved_at = excluded.saved_at
			where attempt_answers.revision < excluded.revision
		returning saved_at`.execute(db);
	if (rows.length) return 'saved';
	let userId: number;
	if ('sessionId' in opts) {
		const live = await sql<{ id: number | null }>`select ${student} as id`.execute(db);
		if (live.rows[0]?.id == null) return 'signed-out';
		userId = live.rows[0].id;
	} else userId = opts.userId;
	const why = await db
		.selectFrom('attempts as t')
		.leftJoin('attempt_questions as aq', (j) =>
			j.onRef('aq.attempt_id', '=', 't.id').on('aq.position', '=', opts.position)
		)
		.innerJoin('memberships as m', (j) =>
			j.onRef('m.class_id', '=', 't.class_id').onRef('m.user_id', '=', 't.user_id')
		)
		.select(['t.status', 't.deadline_at as deadlineAt', 't.grace_seconds as graceSeconds'])
		.select('aq.position')
		.where('t.id', '=', opts.attemptId)
		.where('t.user_id', '=', userId)
		.$if(opts.classId !== undefined, (q) => q.where('t.class_id', '=', opts.classId!))
		.executeTakeFirst();
	if (!why || why.position === null) return 'not-found';
	if (why.status !== 'in-progress' || pastDeadline(why, now)) return 'closed';
	return 'stale';
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
