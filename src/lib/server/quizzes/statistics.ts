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

/**
 * Item statistics of a quiz assignment over each student's first finished graded attempt (as
 * Moodle's report does by default). One query, whatever the class size; the arithmetic is
 * $lib/quiz/statistics.
 */
export async function quizStatistics(
	db: Executor,
	classId: number,
	assignmentId: number
): Promise<{ attempts: number; items: ItemReport[] }> {
	const { rows } = await sql<{
		attempt_id: number;
		seed: string;
		shuffle_options: boolean;
		position: number;
		question_id: number;
		type: QuestionType;
		prompt: string;
		data: unknown;
		actor_id: number | null;
		points: number;
		response: unknown;
		score: number | null;
	}>`
		with firsts as (
			select distinct on (t.user_id) t.id, t.seed
			from attempts t
			where t.assignment_id = ${assignmentId} and t.class_id = ${classId}
				and t.status = 'submitted' and not t.practice
			order by t.user_id, t.number
		)
		select f.id as attempt_id, f.seed, a.shuffle_options, aq.position, qv.question_id, qv.type,
			qv.prompt, qv.data, qv.actor_id, qv.points, an.response, an.score
		from firsts f
		join assignments a on a.id = ${assignmentId}
		join attempt_questions aq on aq.attempt_id = f.id
		join question_versions qv on qv.id = aq.question_version_id
		left join attempt_answers an on an.attempt_id = aq.attempt_id and an.position = aq.position
		order by f.id, aq.position`.execute(db);

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
		const points = Number(r.points);
		const list = byAttempt.get(r.attempt_id) ?? [];
		list.push({ questionId: r.question_id, points, score: r.score === null ? 0 : Number(r.score) });
		byAttempt.set(r.attempt_id, list);
		const answer = storedAnswer(r.type, r.data);
		let q = questions.get(r.question_id);
		if (!q) {
			q = { prompt: r.prompt, type: r.type, actorId: r.actor_id, answer, counts: [], blank: 0 };
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
