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
import { courseVersion, keptCourseProse } from '../courses/queries.ts';
import { courseRenderer } from '../courses/render.ts';

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

/** Reports kept (as the page shows them), one per quiz assignment; least recently used first. */
const MAX_REPORTS = 200;
const reports = versionedCache<StatisticsPage>(MAX_REPORTS);

/** What the statistics page needs before its report: one query. */
export interface StatisticsHead {
	id: number;
	title: string;
	courseId: number;
	courseSlug: string;
	/** The course's content version (courseVersion): its prompts render from the course's prose. */
	courseVersion: string;
	/** The version of what the report is computed from (below). */
	version: string;
}

/**
 * The class's quiz assignment `assignmentId` (undefined if there is none), with the version of
 * what its report is computed from: one string that changes whenever that does. Everything the
 * report reads hangs off the assignment's attempts: a submit, a reopened or deleted attempt and a
 * regrade (which rewrites every attempt holding the question, with its new version and scores)
 * each change an attempt row, and so its `xmin`; answers change only while an attempt is open,
 * and its submit changes the row. The assignment's own row (its option shuffling) is in it too.
 * Question versions are never edited, only added.
 *
 * The attempts' ids and row versions are summed, not maxed, so that any one row's change moves
 * the result even after transaction ids wrap around (a frozen row reads differently too: at worst
 * one needless rebuild).
 */
export async function statisticsHead(
	db: Executor,
	classId: number,
	assignmentId: number
): Promise<StatisticsHead | undefined> {
	return await db
		.selectFrom('assignments as a')
		.innerJoin('classes as k', 'k.id', 'a.class_id')
		.innerJoin('courses as c', 'c.id', 'k.course_id')
		.select([
			'a.id',
			'a.title',
			'c.id as courseId',
			'c.slug as courseSlug',
			courseVersion.as('courseVersion'),
			sql<string>`concat_ws(':', a.xmin::text, (
				select concat_ws(':', count(t.id), sum(t.id), sum(t.xmin::text::bigint))
				from attempts t where t.assignment_id = a.id and t.class_id = a.class_id))`.as('version')
		])
		.where('a.class_id', '=', classId)
		.where('a.id', '=', assignmentId)
		.where('a.kind', '=', 'quiz')
		.executeTakeFirst();
}

/** The report as the page shows it: each item's prompt rendered, its actor named. */
export interface StatisticsPage {
	attempts: number;
	items: (ItemReport & { actor: string | null })[];
}

/**
 * `quizStatistics` of the assignment `head` names, as the page shows it (prompts rendered from
 * the course's prose, with their citations; actors by their short names), computed again only
 * when the report's version or the course's content version has changed: scoring every first
 * attempt's answers again is most of the page's cost, and the result is the same until a student
 * submits, a question is regraded or the course is edited. No query when kept.
 */
export async function keptStatistics(
	db: Executor,
	classId: number,
	head: Pick<StatisticsHead, 'id' | 'version' | 'courseId' | 'courseSlug' | 'courseVersion'>
): Promise<StatisticsPage> {
	const version = `${head.version}|${head.courseVersion}`;
	const kept = await reports.get(`${classId}:${head.id}`, version, async () => {
		const [report, prose] = await Promise.all([
			quizStatistics(db, classId, head.id),
			keptCourseProse(db, { id: head.courseId, slug: head.courseSlug, version: head.courseVersion })
		]);
		const r = courseRenderer(head.courseSlug, prose?.paragraphs ?? []);
		const actors = new Map((prose?.actors ?? []).map((x) => [x.id, x.short]));
		return {
			version,
			value: {
				attempts: report.attempts,
				items: report.items.map((it, i) => ({
					...it,
					prompt: r.inline(it.prompt, `st${i}`),
					actor: it.actorId === null ? null : (actors.get(it.actorId) ?? null)
				}))
			}
		};
	});
	return kept!;
}

/** Forgets every kept report (tests). */
export function clearStatisticsCache(): void {
	reports.clear();
}
