import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';

// An attempt points at question versions, never at `questions`: what it was given stays as it
// was whatever an author changes later.

/** The content of a question as an attempt keeps it, hashed so each distinct content is stored once. */
const versionHash = sql<string>`md5(jsonb_build_array(
	q.type, q.prompt, q.data, q.explanation, to_jsonb(q.cites), q.actor_id, q.concern_id, q.points
)::text)`;

/**
 * The version row of each question's current content, made if it is new: one select when all
 * are stored (the usual case), else one insert that skips contents already stored and a second
 * select. An attempt points at these rows, never at `questions`.
 */
export async function versionsOf(db: Executor, questionIds: number[]): Promise<QuestionVersions> {
	return (await storedOrNewVersions(db, questionIds)).versions;
}

export type QuestionVersions = Map<number, { id: number; points: number }>;

/**
 * As versionsOf, saying too whether any row was inserted (by this transaction: until it commits,
 * those ids are its own and must not be kept anywhere else).
 */
export async function storedOrNewVersions(
	db: Executor,
	questionIds: number[]
): Promise<{ versions: QuestionVersions; inserted: boolean }> {
	// Usually every version is stored already (the first attempt made them): one select then.
	const stored = await currentVersions(db, questionIds);
	if (questionIds.every((q) => stored.has(q))) return { versions: stored, inserted: false };
	await sql`insert into question_versions
			(question_id, hash, type, prompt, data, explanation, cites, actor_id, concern_id, points)
		select q.id, ${versionHash}, q.type, q.prompt, q.data, q.explanation, q.cites,
			q.actor_id, q.concern_id, q.points
		from questions q where q.id = any(${questionIds}::int[])
		on conflict (question_id, hash) do nothing`.execute(db);
	return { versions: await currentVersions(db, questionIds), inserted: true };
}

async function currentVersions(db: Executor, questionIds: number[]): Promise<QuestionVersions> {
	const { rows } = await sql<{ id: number; question_id: number; points: number }>`
		select qv.id, qv.question_id, qv.points from questions q
		join question_versions qv on qv.question_id = q.id and qv.hash = ${versionHash}
		where q.id = any(${questionIds}::int[])`.execute(db);
	return new Map(rows.map((r) => [r.question_id, { id: r.id, points: Number(r.points) }]));
}
