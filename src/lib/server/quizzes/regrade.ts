/**
 * Regrading: after a question's key is fixed, the attempts that were given an earlier version of
 * it are scored again with the current one. First a plan (whose scores would change, by how
 * much), then, on the instructor's word, the same plan applied in one transaction and logged.
 *
 * Applying moves those attempts to the current version, so that their review shows the key they
 * are now scored with. Only versions whose answers still mean the same are moved: a saved answer
 * is a list of option positions (or matched texts), so a version with another number of options,
 * pairs or items, or other matching texts, or another type, cannot be re-scored and is left as
 * it was (the plan counts those).
 */
import { sql } from 'kysely';
import { slotCount, optionCount, parseRaw } from '../../quiz/score.ts';
import type { GiftAnswer } from '../../gift/index.ts';
import { inTransaction, type Executor } from '../db/index.ts';
import { storedAnswer } from '../courses/questions.ts';
import { scoreSaved } from './attempt-data.ts';
import { versionsOf } from './question-versions.ts';

export interface RegradeRow {
	attemptId: number;
	className: string;
	classId: number;
	student: string;
	practice: boolean;
	submitted: boolean;
	/** The question's score in the attempt (0..1), before and after; null while in progress. */
	before: number | null;
	after: number | null;
	/** What the question is worth in the attempt, before and after. */
	pointsBefore: number;
	pointsAfter: number;
	/** The attempt's total, before and after (null while in progress). */
	totalBefore: number | null;
	totalAfter: number | null;
	maxBefore: number;
	maxAfter: number;
}

export interface RegradePlan {
	/** Attempts on an earlier version that can be re-scored, scores changing or not. */
	rows: RegradeRow[];
	/** The subset of rows whose total changes. */
	changed: RegradeRow[];
	/** Attempts on an earlier version whose answers cannot be read against the current one. */
	incompatible: number;
}

export interface RegradeLogEntry {
	id: number;
	at: Date;
	by: string;
	attempts: number;
	changed: number;
}

/** Whether an answer saved for `old` means the same thing for `current`. */
export function compatible(old: GiftAnswer, current: GiftAnswer): boolean {
	if (old.type !== current.type) return false;
	if (optionCount(old) !== optionCount(current) || slotCount(old) !== slotCount(current))
		return false;
	if (old.type === 'matching' && current.type === 'matching') {
		const rights = (a: typeof old) => [...new Set(a.pairs.map((p) => p.right))].sort().join('\n');
		return rights(old) === rights(current);
	}
	return true;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

interface Candidate extends RegradeRow {
	position: number;
	fromVersion: number;
}

async function candidates(
	db: Executor,
	courseId: number,
	questionId: number
): Promise<{
	current: { answer: GiftAnswer; points: number } | null;
	rows: Candidate[];
	incompatible: number;
}> {
	const question = await db
		.selectFrom('questions')
		.select(['type', 'data', 'points'])
		.where('id', '=', questionId)
		.where('course_id', '=', courseId)
		.executeTakeFirst();
	if (!question) return { current: null, rows: [], incompatible: 0 };
	const current = {
		answer: storedAnswer(question.type, question.data),
		points: Number(question.points)
	};
	// Every attempt position given a version of this question whose content is not the current
	// one. One query, whatever the number of attempts.
	const { rows } = await sql<{
		attempt_id: number;
		position: number;
		version_id: number;
		type: string;
		data: unknown;
		points: number;
		response: unknown;
		score: number | null;
		status: string;
		practice: boolean;
		seed: string;
		total: number | null;
		max_score: number;
		shuffle_options: boolean;
		class_name: string;
		class_id: number;
		student: string;
	}>`
		select aq.attempt_id, aq.position, qv.id as version_id, qv.type, qv.data, qv.points,
			an.response, an.score, t.status, t.practice, t.seed, t.score as total, t.max_score,
			a.shuffle_options, k.name as class_name, k.id as class_id, u.name as student
		from question_versions qv
		join questions q on q.id = qv.question_id
		join attempt_questions aq on aq.question_version_id = qv.id
		join attempts t on t.id = aq.attempt_id
		join assignments a on a.id = t.assignment_id
		join classes k on k.id = t.class_id
		join users u on u.id = t.user_id
		left join attempt_answers an on an.attempt_id = aq.attempt_id and an.position = aq.position
		where qv.question_id = ${questionId}
			and qv.hash <> md5(jsonb_build_array(q.type, q.prompt, q.data, q.explanation,
				to_jsonb(q.cites), q.actor_id, q.concern_id, q.points)::text)
		order by k.name, u.name, t.id, aq.position`.execute(db);

	let incompatible = 0;
	const out: Candidate[] = [];
	for (const r of rows) {
		const old = storedAnswer(r.type, r.data);
		if (!compatible(old, current.answer)) {
			incompatible++;
			continue;
		}
		const submitted = r.status === 'submitted';
		const raw = r.response === null ? null : (parseRaw(r.response) ?? null);
		const after = submitted
			? raw
				? scoreSaved(
						{ answer: current.answer, raw, position: r.position },
						{ seed: r.seed, shuffleOptions: r.shuffle_options }
					).score
				: 0
			: null;
		const before = submitted ? Number(r.score ?? 0) : null;
		const oldPoints = Number(r.points);
		out.push({
			attemptId: r.attempt_id,
			position: r.position,
			fromVersion: r.version_id,
			className: r.class_name,
			classId: r.class_id,
			student: r.student,
			practice: r.practice,
			submitted,
			before,
			after,
			pointsBefore: oldPoints,
			pointsAfter: current.points,
			totalBefore: submitted ? Number(r.total ?? 0) : null,
			totalAfter: null,
			maxBefore: Number(r.max_score),
			maxAfter: Number(r.max_score) - oldPoints + current.points
		});
		const c = out[out.length - 1];
		if (submitted && before !== null && after !== null)
			c.totalAfter = round(c.totalBefore! - oldPoints * before + current.points * after);
	}
	return { current, rows: out, incompatible };
}

/** Whose scores a regrade of the question would change, without changing anything. */
export async function planRegrade(
	db: Executor,
	courseId: number,
	questionId: number
): Promise<RegradePlan | undefined> {
	const { current, rows, incompatible } = await candidates(db, courseId, questionId);
	if (!current) return undefined;
	return { rows: rows.map(strip), changed: rows.filter(changes).map(strip), incompatible };
}

const changes = (r: RegradeRow) =>
	r.totalAfter !== r.totalBefore ||
	r.maxAfter !== r.maxBefore ||
	r.after !== r.before ||
	r.pointsAfter !== r.pointsBefore;

function strip(c: Candidate): RegradeRow {
	const { position: _p, fromVersion: _f, ...row } = c;
	return row;
}

/**
 * Re-scores, under lock, the attempts the plan names: the question's score, the attempt's total
 * and maximum, and the version it points at; logs who did it and every total that moved.
 * An attempt in progress moves to the current version and is scored with it when submitted.
 */
export async function applyRegrade(
	db: Executor,
	courseId: number,
	questionId: number,
	by: { id: number; name: string }
): Promise<
	{ ok: true; attempts: number; changed: number } | { ok: false; reason: 'not-found' | 'nothing' }
> {
	return await inTransaction(db, async (trx) => {
		// The attempts first, in id order (no deadlock with a submit, which locks one), and the
		// plan read after: a submit that got in first is seen with its scores.
		await sql`select t.id from attempts t
			where t.id in (select aq.attempt_id from attempt_questions aq
				join question_versions qv on qv.id = aq.question_version_id
				where qv.question_id = ${questionId})
			order by t.id for update`.execute(trx);
		const { current, rows } = await candidates(trx, courseId, questionId);
		if (!current) return { ok: false as const, reason: 'not-found' as const };
		if (!rows.length) return { ok: false as const, reason: 'nothing' as const };
		const version = (await versionsOf(trx, [questionId])).get(questionId)!;
		await sql`update attempt_questions aq set question_version_id = ${version.id}
			from unnest(${rows.map((r) => r.attemptId)}::int[], ${rows.map((r) => r.position)}::int[])
				as v(attempt_id, position)
			where aq.attempt_id = v.attempt_id and aq.position = v.position`.execute(trx);
		const scored = rows.filter((r) => r.submitted);
		if (scored.length)
			await sql`update attempt_answers an set score = v.score
				from unnest(${scored.map((r) => r.attemptId)}::int[], ${scored.map((r) => r.position)}::int[],
					${scored.map((r) => r.after ?? 0)}::float8[]) as v(attempt_id, position, score)
				where an.attempt_id = v.attempt_id and an.position = v.position`.execute(trx);
		// An attempt can hold the question twice (a fixed slot and a draw): add up its changes.
		const totals = new Map<number, { score: number; max: number; from: number | null }>();
		for (const r of rows) {
			const t = totals.get(r.attemptId) ?? { score: 0, max: 0, from: r.totalBefore };
			if (r.submitted) t.score += (r.totalAfter ?? 0) - (r.totalBefore ?? 0);
			t.max += r.maxAfter - r.maxBefore;
			totals.set(r.attemptId, t);
		}
		const ids = [...totals.keys()];
		await sql`update attempts t set
				score = case when t.status = 'submitted' then round((t.score + v.delta)::numeric, 3)::float8 else t.score end,
				max_score = t.max_score + v.max_delta
			from unnest(${ids}::int[], ${ids.map((id) => totals.get(id)!.score)}::float8[],
				${ids.map((id) => totals.get(id)!.max)}::float8[]) as v(id, delta, max_delta)
			where t.id = v.id`.execute(trx);
		const moved = ids
			.map((id) => {
				const t = totals.get(id)!;
				return { attempt: id, from: t.from, to: t.from === null ? null : round(t.from + t.score) };
			})
			.filter((c) => c.from !== c.to || totals.get(c.attempt)!.max !== 0);
		await trx
			.insertInto('regrades')
			.values({
				question_id: questionId,
				question_version_id: version.id,
				by_user_id: by.id,
				by_name: by.name,
				attempts: ids.length,
				changed: moved.length,
				changes: JSON.stringify(moved)
			})
			.execute();
		return { ok: true as const, attempts: ids.length, changed: moved.length };
	});
}

export async function listRegrades(db: Executor, questionId: number): Promise<RegradeLogEntry[]> {
	const rows = await db
		.selectFrom('regrades')
		.select(['id', 'created_at', 'by_name', 'attempts', 'changed'])
		.where('question_id', '=', questionId)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		at: new Date(r.created_at),
		by: r.by_name,
		attempts: r.attempts,
		changed: r.changed
	}));
}
