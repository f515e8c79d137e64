import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { inTransaction, type Executor } from '../db/index.ts';
import { ATTEMPT_LOCK_CLASS } from '../db/locks.ts';
import { seededShuffle } from '../../shuffle.ts';
import { questionPool } from './quizzes.ts';
import { attemptQuestions } from './attempt-data.ts';
import { createAttempt } from './attempts.ts';
import { versionsOf } from './question-versions.ts';

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
		const attemptId = await createAttempt(trx, {
			assignmentId: source.assignmentId,
			classId: opts.classId,
			userId: opts.userId,
			number: Number(count.n) + 1,
			practice: true,
			seed,
			startedAt: now,
			deadlineAt: null,
			graceSeconds: 0,
			questionIds: ids,
			versions
		});
		return { attemptId, resumed: false };
	});
}
