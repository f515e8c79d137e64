import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import type { QuestionType } from '../db/types.ts';
import { storedAnswer } from '../courses/questions.ts';
import { parseRaw, responseFromRaw, slotCount, storedResponse } from '../../quiz/score.ts';
import {
	actorMatcher,
	canShowConfusion,
	questionConfusions,
	tallyConfusions,
	type CourseActor,
	type PairCount,
	type StudentAnswer
} from '../../quiz/misattribution.ts';
import type { GiftAnswer } from '../../gift/index.ts';
import { optionSeed } from './attempt-data.ts';

// Which actor a class's students confuse with which, from their quiz answers ($lib/quiz/misattribution).
// Read over each student's first finished graded attempt at each quiz assignment, as the item
// statistics are: a second attempt, made after the review showed the key, says less about what the
// student believed. Practice attempts are left out, and so are people no longer students of the class.

/** One answer behind a confusion, for the teacher to open. */
export interface ConfusionAnswer {
	attemptId: number;
	userId: number;
	student: string;
	assignment: string;
	prompt: string;
	answered: string;
	expected: string;
}

export interface MisattributionReport {
	actors: CourseActor[];
	/** Students who answered at least one question where actors could be confused. */
	students: number;
	/** Every pair that was possible, most students first. */
	pairs: PairCount[];
	/** The pair asked for (by its actors' slugs), when both are actors of the course. */
	pair: { right: CourseActor; chosen: CourseActor } | null;
	/** The answers behind that pair (the first ANSWERS_SHOWN, by student), and how many in all. */
	answers: ConfusionAnswer[];
	answerCount: number;
}

/** How many answers behind one pair a page lists. */
export const ANSWERS_SHOWN = 200;

/** The first finished graded attempt of each current student of the class at each assignment. */
function firstAttempts(classId: number) {
	return sql`
		select distinct on (t.user_id, t.assignment_id) t.id, t.user_id, t.assignment_id, t.seed
		from attempts t
		join memberships m on m.class_id = t.class_id and m.user_id = t.user_id
			and m.role <> 'instructor'
		where t.class_id = ${classId} and t.status = 'submitted' and not t.practice
		order by t.user_id, t.assignment_id, t.number`;
}

/**
 * The class's misattribution report, and the answers behind one pair when `pair` names two
 * actors of the course by slug.
 * Three queries whatever the class size (two when no question answered names actors): the
 * course's actors and the question versions answered (side by side), then the answers to those
 * versions that can show a confusion.
 */
export async function classMisattribution(
	db: Executor,
	classId: number,
	want?: { right: string; chosen: string }
): Promise<MisattributionReport> {
	const [actors, versions] = await Promise.all([
		db
			.selectFrom('actors as a')
			.innerJoin('classes as k', 'k.course_id', 'a.course_id')
			.select(['a.id', 'a.slug', 'a.name', 'a.short_name as short'])
			.where('k.id', '=', classId)
			.orderBy('a.position')
			.execute(),
		sql<{ id: number; type: QuestionType; prompt: string; data: unknown }>`
			with firsts as (${firstAttempts(classId)})
			select qv.id, qv.type, qv.prompt, qv.data
			from question_versions qv
			where qv.type in ('mc', 'multi', 'matching')
				and qv.id in (
					select aq.question_version_id from firsts f
					join attempt_questions aq on aq.attempt_id = f.id
				)`.execute(db)
	]);
	const actorOf = actorMatcher(actors);
	const right = actors.find((a) => a.slug === want?.right);
	const chosen = actors.find((a) => a.slug === want?.chosen);
	const pair = right && chosen && right.id !== chosen.id ? { right, chosen } : null;
	const asked = new Map<number, { answer: GiftAnswer; prompt: string }>();
	for (const v of versions.rows) {
		const answer = storedAnswer(v.type, v.data);
		if (canShowConfusion(answer, actorOf)) asked.set(v.id, { answer, prompt: v.prompt });
	}
	if (!asked.size) return { actors, students: 0, pairs: [], pair, answers: [], answerCount: 0 };

	const { rows } = await sql<{
		attempt_id: number;
		user_id: number;
		student: string;
		assignment: string;
		seed: string;
		shuffle_options: boolean;
		position: number;
		version_id: number;
		response: unknown;
	}>`
		with firsts as (${firstAttempts(classId)})
		select f.id as attempt_id, f.user_id, u.name as student, a.title as assignment, f.seed,
			a.shuffle_options, aq.position, aq.question_version_id as version_id, an.response
		from firsts f
		join users u on u.id = f.user_id
		join assignments a on a.id = f.assignment_id
		join attempt_questions aq on aq.attempt_id = f.id
		join attempt_answers an on an.attempt_id = aq.attempt_id and an.position = aq.position
		where aq.question_version_id = any(${[...asked.keys()]}::int[])
		order by u.name, f.user_id, a.title, f.id, aq.position`.execute(db);

	const tallied: StudentAnswer[] = [];
	const answers: ConfusionAnswer[] = [];
	let answerCount = 0;
	for (const r of rows) {
		const q = asked.get(r.version_id)!;
		const raw = parseRaw(r.response);
		if (!raw) continue;
		const response = storedResponse(
			q.answer,
			optionSeed({ seed: r.seed, shuffleOptions: r.shuffle_options }, r.position),
			responseFromRaw(q.answer.type, raw, slotCount(q.answer))
		);
		const shown = questionConfusions(q.answer, response, actorOf);
		if (!shown.possible.length) continue;
		tallied.push({ userId: r.user_id, ...shown });
		if (!pair) continue;
		for (const c of shown.confusions)
			if (
				c.right === pair.right.id &&
				c.chosen === pair.chosen.id &&
				++answerCount <= ANSWERS_SHOWN
			)
				answers.push({
					attemptId: r.attempt_id,
					userId: r.user_id,
					student: r.student,
					assignment: r.assignment,
					prompt: q.prompt,
					answered: c.answered,
					expected: c.expected
				});
	}
	return {
		actors,
		students: new Set(tallied.map((t) => t.userId)).size,
		pairs: tallyConfusions(tallied),
		pair,
		answers,
		answerCount
	};
}
