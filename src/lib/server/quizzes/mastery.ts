import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';

export interface MasteryGrid {
	actors: { id: number; name: string }[];
	students: { id: number; name: string; cells: Record<number, { got: number; of: number }> }[];
}

/**
 * Class × actor mastery: for each student and each actor, the points earned over the points
 * possible on questions about that actor, across the student's finished graded attempts in the
 * class. Two queries, whatever the class size.
 */
export async function classMastery(db: Executor, classId: number): Promise<MasteryGrid> {
	const [actors, rows] = await Promise.all([
		db
			.selectFrom('actors as a')
			.innerJoin('classes as k', 'k.course_id', 'a.course_id')
			.select(['a.id', 'a.short_name as name'])
			.where('k.id', '=', classId)
			.orderBy('a.position')
			.execute(),
		sql<{
			user_id: number;
			name: string;
			actor_id: number | null;
			got: number | null;
			of: number | null;
		}>`
			select m.user_id, u.name, x.actor_id, x.got, x.of
			from memberships m
			join users u on u.id = m.user_id
			left join (
				select t.user_id, qv.actor_id,
					sum(qv.points * coalesce(an.score, 0)) as got, sum(qv.points) as of
				from attempts t
				join attempt_questions aq on aq.attempt_id = t.id
				join question_versions qv on qv.id = aq.question_version_id
				left join attempt_answers an on an.attempt_id = aq.attempt_id and an.position = aq.position
				where t.class_id = ${classId} and t.status = 'submitted' and not t.practice
					and qv.actor_id is not null
				group by t.user_id, qv.actor_id
			) x on x.user_id = m.user_id
			where m.class_id = ${classId} and m.role <> 'instructor'
			order by u.name, m.user_id`.execute(db)
	]);
	const students = new Map<number, MasteryGrid['students'][number]>();
	for (const r of rows.rows) {
		let s = students.get(r.user_id);
		if (!s) {
			s = { id: r.user_id, name: r.name, cells: {} };
			students.set(r.user_id, s);
		}
		if (r.actor_id !== null) s.cells[r.actor_id] = { got: Number(r.got), of: Number(r.of) };
	}
	return { actors, students: [...students.values()] };
}
