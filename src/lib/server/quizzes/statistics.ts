import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import type { QuestionType } from '../db/types.ts';
import { storedAnswer } from '../courses/questions.ts';
import { parseRaw } from '../../quiz/score.ts';
import {
	itemStatistics,
	itemWarning,
	optionLabels,
	randomGuessScore,
	type ItemStatistics
} from '../../quiz/statistics.ts';
import { scoreSaved } from './attempt-data.ts';
import { versionedCache } from '../cache/versioned.ts';

export interface ItemReport extends ItemStatistics {
	prompt: string;
	type: QuestionType;
	actorId: number | null;
	guess: number | null;
	warning: string | null;
	/** For choice questions: each option and how many picked it, then how many left it blank. */
	options: { label: string; count: number; right: boolean }[] | null;
	blank: number;
}

/** A row of the statistics query: a question version (part 0), then an attempt's question (1). */
type Row =
	| {
			part: 0;
			version_id: number;
			type: QuestionType;
			prompt: string;
			data: unknown;
			actor_id: number | null;
	  }
	| {
			part: 1;
			version_id: number;
			attempt_id: number;
			seed: string;
			shuffle_options: boolean;
			position: number;
			question_id: number;
			points: number;
			response: unknown;
			score: number | null;
	  };

/**
 * Item statistics of a quiz assignment over each student's first finished graded attempt (as
 * Moodle's report does by default). One query, whatever the class size; the arithmetic is
 * $lib/quiz/statistics.
 *
 * The query returns each question version's prompt and data once (part 0) and, for every
 * attempt's question, only the narrow columns the arithmetic needs (part 1): carrying the prompt
 * and data on every attempt row made the sort grow with the class (8.7 MB spilled to disk at
 * 1,200 students) although the page's output does not.
 */
export async function quizStatistics(
	db: Executor,
	classId: number,
	assignmentId: number
): Promise<{ attempts: number; items: ItemReport[] }> {
	const { rows } = await sql<Row>`
		with firsts as (
			select distinct on (t.user_id) t.id, t.seed
			from attempts t
			where t.assignment_id = ${assignmentId} and t.class_id = ${classId}
				and t.status = 'submitted' and not t.practice
			order by t.user_id, t.number
		),
		picked as (
			select f.id as attempt_id, f.seed, aq.position, aq.question_version_id
			from firsts f
			join attempt_questions aq on aq.attempt_id = f.id
		)
		select 0 as part, qv.id as version_id, qv.type, qv.prompt, qv.data, qv.actor_id,
			null::integer as attempt_id, null::text as seed, null::boolean as shuffle_options,
			null::integer as position, null::integer as question_id,
			null::double precision as points, null::jsonb as response,
			null::double precision as score
		from question_versions qv
		where qv.id in (select question_version_id from picked)
		union all
		select 1, p.question_version_id, null, null, null, null,
			p.attempt_id, p.seed, a.shuffle_options, p.position, qv.question_id, qv.points,
			an.response, an.score
		from picked p
		join assignments a on a.id = ${assignmentId}
		join question_versions qv on qv.id = p.question_version_id
		left join attempt_answers an on an.attempt_id = p.attempt_id and an.position = p.position
		order by part, attempt_id, position`.execute(db);

	// Each version's stored answer is parsed once, not once per attempt.
	const versions = new Map<
		number,
		{
			prompt: string;
			type: QuestionType;
			actorId: number | null;
			answer: ReturnType<typeof storedAnswer>;
		}
	>();
	const byAttempt = new Map<number, { questionId: number; points: number; score: number }[]>();
	const questions = new Map<
		number,
		{
			prompt: string;
			type: QuestionType;
			actorId: number | null;
			answer: ReturnType<typeof storedAnswer>;
			counts: number[];
			blank: number;
		}
	>();
	for (const r of rows) {
		if (r.part === 0) {
			versions.set(r.version_id, {
				prompt: r.prompt,
				type: r.type,
				actorId: r.actor_id,
				answer: storedAnswer(r.type, r.data)
			});
			continue;
		}
		const points = Number(r.points);
		const list = byAttempt.get(r.attempt_id) ?? [];
		list.push({ questionId: r.question_id, points, score: r.score === null ? 0 : Number(r.score) });
		byAttempt.set(r.attempt_id, list);
		const v = versions.get(r.version_id)!;
		const answer = v.answer;
		let q = questions.get(r.question_id);
		if (!q) {
			q = { prompt: v.prompt, type: v.type, actorId: v.actorId, answer, counts: [], blank: 0 };
			questions.set(r.question_id, q);
		}
		const labels = optionLabels(q.answer);
		if (!labels) continue;
		const raw = r.response === null ? null : (parseRaw(r.response) ?? null);
		const { response } = scoreSaved(
			{ answer, raw, position: r.position },
			{ seed: r.seed, shuffleOptions: r.shuffle_options }
		);
		const picked =
			response.type === 'mc'
				? response.choice === null
					? []
					: [response.choice]
				: response.type === 'multi'
					? response.choices
					: response.type === 'tf'
						? response.answer === null
							? []
							: [response.answer ? 0 : 1]
						: [];
		if (!picked.length) q.blank += 1;
		for (const i of picked) if (i >= 0 && i < labels.length) q.counts[i] = (q.counts[i] ?? 0) + 1;
	}
	const stats = itemStatistics([...byAttempt.values()].map((items) => ({ items })));
	const items = stats.map((s) => {
		const q = questions.get(s.questionId)!;
		const guess = randomGuessScore(q.answer);
		const labels = optionLabels(q.answer);
		const a = q.answer;
		const right = (i: number) =>
			a.type === 'mc'
				? a.choices[i].correct
				: a.type === 'multi'
					? a.options[i].weight > 0
					: a.type === 'tf'
						? a.answer === (i === 0)
						: false;
		return {
			...s,
			prompt: q.prompt,
			type: q.type,
			actorId: q.actorId,
			guess,
			warning: itemWarning(s, guess),
			options: labels
				? labels.map((label, i) => ({ label, count: q.counts[i] ?? 0, right: right(i) }))
				: null,
			blank: q.blank
		};
	});
	return { attempts: byAttempt.size, items };
}

type Report = Awaited<ReturnType<typeof quizStatistics>>;

/** Reports kept, one per quiz assignment; the least recently used goes first. */
const MAX_REPORTS = 200;
const reports = versionedCache<Report>(MAX_REPORTS);

/**
 * What the report of an assignment is computed from, as one string that changes whenever that
 * does. Everything the report reads hangs off the assignment's attempts: a submit, a reopened or
 * deleted attempt and a regrade (which rewrites every attempt holding the question, with its new
 * version and scores) each change an attempt row, and so its `xmin`; answers change only while
 * an attempt is open, and its submit changes the row. The assignment's own row (its option
 * shuffling) is in it too. Question versions are never edited, only added.
 *
 * The attempts' ids and row versions are summed, not maxed, so that any one row's change moves
 * the result even after transaction ids wrap around (a frozen row reads differently too: at worst
 * one needless rebuild).
 */
export async function statisticsVersion(
	db: Executor,
	classId: number,
	assignmentId: number
): Promise<string> {
	const { rows } = await sql<{ v: string }>`
		select concat_ws(':', count(t.id), sum(t.id), sum(t.xmin::text::bigint),
			(select a.xmin::text from assignments a where a.id = ${assignmentId})) as v
		from attempts t
		where t.assignment_id = ${assignmentId} and t.class_id = ${classId}`.execute(db);
	return rows[0].v;
}

/**
 * `quizStatistics`, computed again only when what it reads has changed (`statisticsVersion`):
 * scoring every first attempt's answers again is most of the page's cost, and the result is the
 * same until a student submits or a question is regraded. One small query when kept.
 */
export async function cachedQuizStatistics(
	db: Executor,
	classId: number,
	assignmentId: number
): Promise<Report> {
	const version = await statisticsVersion(db, classId, assignmentId);
	const report = await reports.get(`${classId}:${assignmentId}`, version, async () => ({
		version,
		value: await quizStatistics(db, classId, assignmentId)
	}));
	return report!;
}

/** Forgets every kept report (tests). */
export function clearStatisticsCache(): void {
	reports.clear();
}
