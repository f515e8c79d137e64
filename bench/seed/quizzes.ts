import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../src/lib/server/db/connect.ts';
import { questionPool, quizSlots } from '../../src/lib/server/quizzes/quizzes.ts';
import { versionsOf } from '../../src/lib/server/quizzes/question-versions.ts';
import { storedAnswer } from '../../src/lib/server/courses/questions.ts';
import { drawQuestions, questionCount } from '../../src/lib/quiz/draw.ts';
import { seededShuffle } from '../../src/lib/shuffle.ts';
import { seededResponses } from './responses.ts';
import type { Sizes } from './layout.ts';

// Quizzes from the shipped course's bank and the attempts at them. An attempt is built as the app
// builds one (attempts.ts): a seed, the questions drawn for it (drawQuestions, then the order
// shuffle), the versions they point at (versionsOf). Each quiz gets TEMPLATES such draws; every
// attempt takes one of them, so the answers can be made in SQL while staying what the page would
// have sent for that seed, and scored as submitting them would have scored them.

const TEMPLATES = 16;

/** Fills the course up to `s.quizzes` quizzes with practice sets drawn by actor and concern. */
export async function insertQuizzes(db: Db, s: Sizes, courseId: number): Promise<number[]> {
	const existing = await db
		.selectFrom('quizzes')
		.select(['id', 'position'])
		.where('course_id', '=', courseId)
		.orderBy('position')
		.execute();
	const pool = await questionPool(db, courseId);
	const actors = [...new Set(pool.map((q) => q.actorId).filter((a): a is number => a !== null))];
	const concerns = [
		...new Set(pool.map((q) => q.concernId).filter((c): c is number => c !== null))
	];
	const start = existing.length ? Math.max(...existing.map((q) => q.position)) : 0;
	const made: {
		slug: string;
		title: string;
		slots: { actor_id?: number; concern_id?: number; draw: number }[];
	}[] = [];
	for (let n = 1; existing.length + made.length < s.quizzes; n++) {
		const slots: { actor_id?: number; concern_id?: number; draw: number }[] = [];
		for (let i = 0; i < 3 && actors.length; i++)
			slots.push({ actor_id: actors[(n + i * 2) % actors.length], draw: 2 + ((n + i) % 2) });
		if (concerns.length) slots.push({ concern_id: concerns[n % concerns.length], draw: 2 });
		made.push({
			slug: `practice-set-${n}`,
			title: `Practice set ${n}: who said what`,
			slots
		});
	}
	if (made.length) {
		const rows = await db
			.insertInto('quizzes')
			.values(
				made.map((q, i) => ({
					course_id: courseId,
					position: start + i + 1,
					slug: q.slug,
					title: q.title,
					description:
						'Questions drawn from the bank for each attempt, on three actors and a concern.'
				}))
			)
			.returning(['id', 'slug'])
			.execute();
		const idOf = new Map(rows.map((r) => [r.slug, r.id]));
		await db
			.insertInto('quiz_slots')
			.values(
				made.flatMap((q) =>
					q.slots.map((slot, i) => ({ quiz_id: idOf.get(q.slug)!, position: i + 1, ...slot }))
				)
			)
			.execute();
	}
	const all = await db
		.selectFrom('quizzes')
		.select('id')
		.where('course_id', '=', courseId)
		.orderBy('position')
		.execute();
	const slots = await quizSlots(
		db,
		all.map((q) => q.id)
	);
	const usable = all.filter((q) => questionCount(slots.get(q.id) ?? [], pool) > 0).map((q) => q.id);
	return usable.slice(0, s.quizzes);
}

/**
 * The draws every attempt picks from (bench_tpl, bench_tpl_q: work tables, dropped at the end),
 * and the question versions they point at, made by the app's own versionsOf.
 */
export async function insertTemplates(
	db: Db,
	courseId: number,
	quizIds: number[]
): Promise<number> {
	const pool = await questionPool(db, courseId);
	const slots = await quizSlots(db, quizIds);
	const versions = await versionsOf(
		db,
		pool.map((q) => q.id)
	);
	const rows = await db
		.selectFrom('question_versions')
		.select(['id', 'type', 'data'])
		.where(
			'id',
			'in',
			[...versions.values()].map((v) => v.id)
		)
		.execute();
	const answerOf = new Map(rows.map((r) => [r.id, storedAnswer(r.type, r.data)]));
	const tpl = {
		quiz: [] as number[],
		k: [] as number[],
		seed: [] as string[],
		max: [] as number[]
	};
	const q = {
		quiz: [] as number[],
		k: [] as number[],
		pos: [] as number[],
		version: [] as number[],
		points: [] as number[],
		right: [] as string[],
		rightScore: [] as number[],
		wrong: [] as string[],
		wrongScore: [] as number[]
	};
	for (const quizId of quizIds) {
		for (let k = 0; k < TEMPLATES; k++) {
			const seed = randomUUID();
			// As startAttempt: the draw, then the order shuffle (shuffle_questions is on).
			const ids = seededShuffle(
				drawQuestions(slots.get(quizId) ?? [], pool, seed),
				`${seed}:order`
			);
			let max = 0;
			ids.forEach((questionId, i) => {
				const v = versions.get(questionId)!;
				const { right, wrong } = seededResponses(answerOf.get(v.id)!, seed, i + 1);
				max += v.points;
				q.quiz.push(quizId);
				q.k.push(k);
				q.pos.push(i + 1);
				q.version.push(v.id);
				q.points.push(v.points);
				q.right.push(JSON.stringify(right.raw));
				q.rightScore.push(right.score);
				q.wrong.push(JSON.stringify(wrong.raw));
				q.wrongScore.push(wrong.score);
			});
			tpl.quiz.push(quizId);
			tpl.k.push(k);
			tpl.seed.push(seed);
			tpl.max.push(max);
		}
	}
	await sql`create unlogged table bench_tpl as
		select * from unnest(${tpl.quiz}::int[], ${tpl.k}::int[], ${tpl.seed}::text[], ${tpl.max}::float8[])
			as t(quiz_id, k, seed, max_score)`.execute(db);
	await sql`create unlogged table bench_tpl_q as
		select * from unnest(${q.quiz}::int[], ${q.k}::int[], ${q.pos}::int[], ${q.version}::int[],
			${q.points}::float8[], ${q.right}::jsonb[], ${q.rightScore}::float8[], ${q.wrong}::jsonb[],
			${q.wrongScore}::float8[])
			as t(quiz_id, k, position, version_id, points, right_raw, right_score, wrong_raw, wrong_score)`.execute(
		db
	);
	await sql`create index on bench_tpl_q (quiz_id, k)`.execute(db);
	// 0: left blank, 1: right, 2: wrong. A student's ability (45–90 %) rises 6 points a retake.
	await sql`create function bench_outcome(attempt integer, who integer, num integer, pos integer)
		returns integer language sql immutable as $$
		select case
			when abs(hashint8(attempt::bigint * 64 + pos)) % 1000 < 25 then 0
			when abs(hashint8(attempt::bigint * 64 + pos + 977)) % 1000
				< 450 + abs(hashint4(who)) % 450 + (num - 1) * 60 then 1
			else 2 end $$`.execute(db);
	return q.quiz.length;
}

/** Ten quiz assignments per class: nine past (timed, three attempts), one current (untimed, open). */
export async function insertAssignments(db: Db, s: Sizes, quizIds: number[]): Promise<number> {
	const last = s.assignmentsPerClass - 1;
	const r = await sql`
		insert into assignments (id, class_id, kind, title, instructions, opens_at, due_at, created_by,
			created_at, quiz_id, attempts_allowed, time_limit_seconds, grace_seconds, pass_percent, grading)
		select (c - 1) * ${s.assignmentsPerClass} + j + 1, c, 'quiz', z.title, '',
			case when j = ${last} then now() - interval '10 days'
				else date_trunc('day', now()) - (${last} - j) * interval '7 days' - interval '14 days' end,
			case when j = ${last} then date_trunc('day', now()) + interval '14 days 23 hours 59 minutes'
				else date_trunc('day', now()) - (${last} - j) * interval '7 days' + interval '23 hours 59 minutes' end,
			k.created_by, now() - interval '100 days', z.id,
			case when j = ${last} then null else 3 end,
			case when j = ${last} then null else 1800 end,
			60, 60,
			case when j % 5 = 3 then 'last' when j % 5 = 4 then 'average' else 'best' end
		from generate_series(1, ${s.classes}) c
		join classes k on k.id = c
		cross join generate_series(0, ${last}) j
		join (select id, title, ord from quizzes q
			join unnest(${quizIds}::int[]) with ordinality as o(qid, ord) on o.qid = q.id) z
			on z.ord = 1 + ((c - 1) * 3 + j) % ${quizIds.length}`.execute(db);
	return Number(r.numAffectedRows ?? 0);
}

/**
 * Who attempts what (bench_plan): every student of a class, every assignment, 0–3 finished
 * attempts (mean 2); the manifest's students also have an open attempt at the current quiz.
 */
export async function planAttempts(db: Db, s: Sizes): Promise<number> {
	const lastUser = s.instructors + s.manifestStudents;
	await sql`create unlogged table bench_plan as
		with pairs as (
			select a.id as assignment_id, a.class_id, a.quiz_id, a.opens_at, a.due_at,
				a.time_limit_seconds is null as current, m.user_id,
				case when h < 2 then 0 when h < 13 then 1 when h < 35 then 2 else 3 end as finished
			from assignments a
			join memberships m on m.class_id = a.class_id and m.role <> 'instructor'
			cross join lateral (select abs(hashint8(a.id::bigint * 100003 + m.user_id)) % 50 as h) x
		), rows as (
			select p.*, n.n as number, n.n > p.finished as open
			from pairs p
			cross join lateral generate_series(1,
				p.finished + case when p.current and p.user_id <= ${lastUser} then 1 else 0 end) n(n)
		)
		select (row_number() over (order by assignment_id, user_id, number))::int as id, r.*
		from rows r`.execute(db);
	await sql`alter table bench_plan add column k integer, add column started_at timestamptz,
		add column submitted_at timestamptz`.execute(db);
	await sql`update bench_plan set
		k = abs(hashint4(id)) % ${TEMPLATES},
		started_at = case when open then now() - interval '30 minutes'
			else opens_at + (number - 1) * interval '2 days'
				+ (abs(hashint4(id * 3)) % 2000) * interval '1 minute' end`.execute(db);
	await sql`update bench_plan set submitted_at = started_at
		+ (4 + abs(hashint4(id * 5)) % 24) * interval '1 minute' where not open`.execute(db);
	const { rows } = await sql<{ n: number }>`select count(*)::int as n from bench_plan`.execute(db);
	return rows[0].n;
}

export async function insertAttempts(db: Db): Promise<number> {
	const r = await sql`
		insert into attempts (id, assignment_id, class_id, user_id, number, practice, seed, status,
			started_at, deadline_at, grace_seconds, submitted_at, submitted_by, score, max_score)
		select p.id, p.assignment_id, p.class_id, p.user_id, p.number, false, t.seed,
			case when p.open then 'in-progress' else 'submitted' end,
			p.started_at,
			case when p.current then null else p.started_at + interval '30 minutes' end,
			case when p.current then 0 else 60 end,
			p.submitted_at,
			case when p.open then null else 'student' end,
			case when p.open then null else (
				select round(coalesce(sum(q.points * case bench_outcome(p.id, p.user_id, p.number, q.position)
					when 1 then q.right_score when 2 then q.wrong_score else 0 end), 0)::numeric, 3)::float8
				from bench_tpl_q q where q.quiz_id = p.quiz_id and q.k = p.k) end,
			t.max_score
		from bench_plan p
		join bench_tpl t on t.quiz_id = p.quiz_id and t.k = p.k`.execute(db);
	await sql`select setval(pg_get_serial_sequence('attempts', 'id'),
		greatest(1, (select coalesce(max(id), 0) from attempts)))`.execute(db);
	return Number(r.numAffectedRows ?? 0);
}

export async function insertAttemptQuestions(db: Db): Promise<number> {
	const r = await sql`
		insert into attempt_questions (attempt_id, position, question_version_id)
		select p.id, q.position, q.version_id
		from bench_plan p
		join bench_tpl_q q on q.quiz_id = p.quiz_id and q.k = p.k`.execute(db);
	return Number(r.numAffectedRows ?? 0);
}

/** The finished attempts' answers as saved, each scored as its submit scored it. */
export async function insertAttemptAnswers(db: Db): Promise<number> {
	const r = await sql`
		insert into attempt_answers (attempt_id, position, response, revision, saved_at, score)
		select p.id, q.position,
			case o.o when 1 then q.right_raw else q.wrong_raw end,
			1 + abs(hashint4(p.id + q.position)) % 3,
			p.started_at + (p.submitted_at - p.started_at) * q.position / (q.position + 1),
			case o.o when 1 then q.right_score else q.wrong_score end
		from bench_plan p
		join bench_tpl_q q on q.quiz_id = p.quiz_id and q.k = p.k
		cross join lateral (select bench_outcome(p.id, p.user_id, p.number, q.position) as o) o
		where not p.open and o.o <> 0`.execute(db);
	return Number(r.numAffectedRows ?? 0);
}

export async function dropWorkTables(db: Db): Promise<void> {
	await sql`drop table if exists bench_plan, bench_tpl_q, bench_tpl`.execute(db);
	await sql`drop function if exists bench_outcome(integer, integer, integer, integer)`.execute(db);
}
