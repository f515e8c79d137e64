/** The actors of a course: who is in the article, and where they stand. */
import { sql } from 'kysely';
import { STANCES, type Stance } from '../../../courses/package.ts';
import type { Executor } from '../../db/index.ts';
import { editCourse } from './publish.ts';
import {
	closeGap,
	failed,
	gone,
	hasErrors,
	paragraphCount,
	slugClash,
	touchCourse,
	upsertItem,
	type Deleted,
	type FieldErrors,
	type Saved
} from './shared.ts';
import { checkCites, checkProse } from './text.ts';

export interface ActorInput {
	slug: string;
	name: string;
	short: string;
	stance: Stance;
	stanceLabel: string;
	summary: string;
	cites: number[];
}

export interface Actor extends ActorInput {
	id: number;
	position: number;
	concernCount: number;
}

export async function listActors(db: Executor, courseId: number): Promise<Actor[]> {
	const rows = await db
		.selectFrom('actors as a')
		.select((eb) => [
			'a.id',
			'a.position',
			'a.slug',
			'a.name',
			'a.short_name as short',
			'a.stance',
			'a.stance_label as stanceLabel',
			'a.summary',
			'a.cites',
			eb
				.selectFrom('actor_concerns as ac')
				.select(sql<number>`count(*)::int`.as('n'))
				.whereRef('ac.actor_id', '=', 'a.id')
				.as('concernCount')
		])
		.where('a.course_id', '=', courseId)
		.orderBy('a.position')
		.execute();
	return rows.map((r) => ({
		...r,
		stance: toStance(r.stance),
		concernCount: Number(r.concernCount)
	}));
}

/** A stored stance, checked: the column is text, the domain a fixed list. */
function toStance(s: string): Stance {
	const found = STANCES.find((x) => x === s);
	if (!found) throw new Error(`stored actor stance "${s}" is not one of ${STANCES.join(', ')}`);
	return found;
}

/** Adds (`actorId` null) or changes an actor. A changed slug is followed in the lessons. */
export async function saveActor(
	db: Executor,
	courseId: number,
	actorId: number | null,
	input: ActorInput
): Promise<Saved<{ id: number }>> {
	return await editCourse(db, courseId, async (trx) => {
		const count = await paragraphCount(trx, courseId);
		const errors: FieldErrors = {};
		if (await slugClash(trx, 'actors', courseId, actorId, input.slug))
			errors.slug = `Another actor already has the address “${input.slug}”.`;
		checkProse(errors, 'summary', input.summary, count);
		checkCites(errors, 'cites', input.cites, count);
		if (hasErrors(errors)) return failed(errors);

		const before =
			actorId === null
				? undefined
				: await trx
						.selectFrom('actors')
						.select('slug')
						.where('id', '=', actorId)
						.where('course_id', '=', courseId)
						.executeTakeFirst();
		const id = await upsertItem(trx, 'actors', courseId, actorId, {
			slug: input.slug,
			name: input.name,
			short_name: input.short,
			stance: input.stance,
			stance_label: input.stanceLabel,
			summary: input.summary,
			cites: input.cites
		});
		if (id === undefined) return gone('actor');
		if (before && before.slug !== input.slug) {
			await trx
				.updateTable('lessons')
				.set({ actor_slugs: sql`array_replace(actor_slugs, ${before.slug}, ${input.slug})` })
				.where('course_id', '=', courseId)
				.execute();
		}
		return { ok: true as const, id };
	});
}

/**
 * Deletes an actor with its holder links (the foreign key cascades), drops it from lessons'
 * actor lists, and keeps the positions of the rest dense.
 */
export async function deleteActor(
	db: Executor,
	courseId: number,
	actorId: number
): Promise<Deleted> {
	return await editCourse(db, courseId, async (trx) => {
		const removed = await trx
			.deleteFrom('actors')
			.where('id', '=', actorId)
			.where('course_id', '=', courseId)
			.returning(['slug', 'position'])
			.executeTakeFirst();
		if (!removed) return gone('actor');
		await closeGap(trx, 'actors', courseId, removed.position);
		await sql`
			update actor_concerns as ac set position = r.n
			from (
				select concern_id, actor_id, row_number() over (partition by concern_id order by position) as n
				from actor_concerns
				where concern_id in (select id from concerns where course_id = ${courseId})
			) as r
			where ac.concern_id = r.concern_id and ac.actor_id = r.actor_id and ac.position <> r.n`.execute(
			trx
		);
		await trx
			.updateTable('lessons')
			.set({ actor_slugs: sql`array_remove(actor_slugs, ${removed.slug})` })
			.where('course_id', '=', courseId)
			.execute();
		await touchCourse(trx, courseId);
		return { ok: true as const };
	});
}
