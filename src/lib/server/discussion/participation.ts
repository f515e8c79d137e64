/**
 * Participation in a discussion prompt, for grading: per student of the class, their posts in the
 * prompt's thread (those not withdrawn), the replies others made to them, the paragraphs they
 * cited and the actors they argued for; the actor assigned to them, and the score the instructor
 * gave (the prompt's score in the progress model, and so in the gradebook). Two queries.
 */
import { sql } from 'kysely';
import { parseCitations } from '../../citations/index.ts';
import type { Executor } from '../db/index.ts';

export interface Participation {
	userId: number;
	name: string;
	posts: number;
	repliesReceived: number;
	/** Distinct paragraphs cited, in order. */
	cited: number[];
	/** Names of the actors their posts speak for. */
	actorsArgued: string[];
	assignedActorId: number | null;
	score: number | null;
	comment: string;
}

export async function promptParticipation(
	db: Executor,
	classId: number,
	assignmentId: number
): Promise<Participation[]> {
	const [members, posts] = await Promise.all([
		db
			.selectFrom('memberships as m')
			.innerJoin('users as u', 'u.id', 'm.user_id')
			.leftJoin('discussion_scores as ds', (j) =>
				j.on('ds.assignment_id', '=', assignmentId).onRef('ds.user_id', '=', 'm.user_id')
			)
			.leftJoin('prompt_actors as pa', (j) =>
				j.on('pa.assignment_id', '=', assignmentId).onRef('pa.user_id', '=', 'm.user_id')
			)
			.select(['u.id', 'u.name', 'ds.score', 'ds.comment', 'pa.actor_id as assignedActorId'])
			.where('m.class_id', '=', classId)
			.where('m.role', '!=', 'instructor')
			.orderBy('u.name')
			.orderBy('u.id')
			.execute(),
		db
			.selectFrom('posts as p')
			.innerJoin('threads as th', 'th.id', 'p.thread_id')
			.leftJoin('posts as parent', 'parent.id', 'p.parent_id')
			.leftJoin('actors as a', 'a.id', 'p.actor_id')
			.select([
				'p.author_id as authorId',
				'parent.author_id as parentAuthorId',
				'p.body',
				'a.name as actor'
			])
			.where('th.assignment_id', '=', assignmentId)
			.where('th.class_id', '=', classId)
			.where('p.status', 'not in', ['deleted', 'removed'])
			.execute()
	]);
	const byUser = new Map<number, Participation>(
		members.map((m) => [
			m.id,
			{
				userId: m.id,
				name: m.name,
				posts: 0,
				repliesReceived: 0,
				cited: [],
				actorsArgued: [],
				assignedActorId: m.assignedActorId,
				score: m.score === null ? null : Number(m.score),
				comment: m.comment ?? ''
			}
		])
	);
	for (const p of posts) {
		const author = p.authorId === null ? undefined : byUser.get(p.authorId);
		if (author) {
			author.posts++;
			for (const n of parseCitations(p.body)) if (!author.cited.includes(n)) author.cited.push(n);
			if (p.actor && !author.actorsArgued.includes(p.actor)) author.actorsArgued.push(p.actor);
		}
		const parent = p.parentAuthorId === null ? undefined : byUser.get(p.parentAuthorId);
		if (parent && p.parentAuthorId !== p.authorId) parent.repliesReceived++;
	}
	for (const p of byUser.values()) p.cited.sort((a, b) => a - b);
	return [...byUser.values()];
}

/** Gives (or changes) a student's participation score for a prompt: 0..1 of its mark. */
export async function setParticipationScore(
	db: Executor,
	input: {
		classId: number;
		assignmentId: number;
		userId: number;
		score: number;
		comment: string;
		by: number;
	}
): Promise<boolean> {
	const { rows } = await sql<{ ok: number }>`
		insert into discussion_scores (assignment_id, user_id, score, comment, given_by, given_at)
		select a.id, m.user_id, ${input.score}, ${input.comment}, ${input.by}, now()
		from assignments a
		join memberships m on m.class_id = a.class_id and m.user_id = ${input.userId} and m.role <> 'instructor'
		where a.id = ${input.assignmentId} and a.class_id = ${input.classId} and a.kind = 'discussion'
		on conflict (assignment_id, user_id) do update
			set score = excluded.score, comment = excluded.comment,
				given_by = excluded.given_by, given_at = excluded.given_at
		returning 1 as ok`.execute(db);
	return rows.length > 0;
}

/** Assigns the actors students are to argue for (`actorId` null: none); only actors of the class's course. */
export async function assignPromptActors(
	db: Executor,
	classId: number,
	assignmentId: number,
	choices: { userId: number; actorId: number | null }[]
): Promise<void> {
	const set = choices.filter((c) => c.actorId !== null);
	const cleared = choices.filter((c) => c.actorId === null).map((c) => c.userId);
	if (cleared.length)
		await db
			.deleteFrom('prompt_actors')
			.where('assignment_id', '=', assignmentId)
			.where('user_id', 'in', cleared)
			.execute();
	if (!set.length) return;
	await sql`
		insert into prompt_actors (assignment_id, user_id, actor_id)
		select a.id, v.user_id, v.actor_id
		from unnest(${set.map((c) => c.userId)}::int[], ${set.map((c) => c.actorId)}::int[]) as v(user_id, actor_id)
		join assignments a on a.id = ${assignmentId} and a.class_id = ${classId}
		join classes k on k.id = a.class_id
		join memberships m on m.class_id = a.class_id and m.user_id = v.user_id and m.role <> 'instructor'
		join actors ac on ac.id = v.actor_id and ac.course_id = k.course_id
		on conflict (assignment_id, user_id) do update set actor_id = excluded.actor_id`.execute(db);
}
