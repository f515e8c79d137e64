/** The concerns of a course: what actors want or fear, and who holds each. */
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { ConcernKind } from '../../../courses/package.ts';
import type { Executor } from '../../db/index.ts';
import { editCourse } from './publish.ts';
import {
	deletePositioned,
	failed,
	gone,
	hasErrors,
	paragraphCount,
	slugClash,
	upsertItem,
	type Deleted,
	type FieldErrors,
	type Saved
} from './shared.ts';
import { checkCites, checkProse } from './text.ts';

export interface HolderInput {
	actorId: number;
	kind: ConcernKind;
	summary: string;
	cites: number[];
}

export interface ConcernInput {
	slug: string;
	label: string;
	description: string;
	/** In display order; replaces the concern's holders. */
	holders: HolderInput[];
}

export interface Holder extends HolderInput {
	actorSlug: string;
	actorName: string;
}

export interface Concern {
	id: number;
	position: number;
	slug: string;
	label: string;
	description: string;
	holders: Holder[];
}

function concernsQuery(db: Executor, courseId: number) {
	return db
		.selectFrom('concerns as k')
		.select((eb) => [
			'k.id',
			'k.position',
			'k.slug',
			'k.label',
			'k.description',
			jsonArrayFrom(
				eb
					.selectFrom('actor_concerns as ac')
					.innerJoin('actors as a', 'a.id', 'ac.actor_id')
					.select([
						'ac.actor_id as actorId',
						'a.slug as actorSlug',
						'a.name as actorName',
						'ac.kind',
						'ac.summary',
						'ac.cites'
					])
					.whereRef('ac.concern_id', '=', 'k.id')
					.orderBy('ac.position')
			).as('holders')
		])
		.where('k.course_id', '=', courseId);
}

export async function listConcerns(db: Executor, courseId: number): Promise<Concern[]> {
	return await concernsQuery(db, courseId).orderBy('k.position').execute();
}

export async function findConcern(
	db: Executor,
	courseId: number,
	slug: string
): Promise<Concern | undefined> {
	return await concernsQuery(db, courseId).where('k.slug', '=', slug).executeTakeFirst();
}

/**
 * Adds (`concernId` null) or changes a concern and replaces its holders, all at once. Errors on
 * a holder are keyed `holders.<index>.<field>`.
 */
export async function saveConcern(
	db: Executor,
	courseId: number,
	concernId: number | null,
	input: ConcernInput
): Promise<Saved<{ id: number; slug: string }>> {
	return await editCourse(db, courseId, async (trx) => {
		const count = await paragraphCount(trx, courseId);
		const errors: FieldErrors = {};
		if (await slugClash(trx, 'concerns', courseId, concernId, input.slug))
			errors.slug = `Another concern already has the address “${input.slug}”.`;
		checkProse(errors, 'description', input.description, count);

		const actors = new Set(
			(await trx.selectFrom('actors').select('id').where('course_id', '=', courseId).execute()).map(
				(a) => a.id
			)
		);
		const seen = new Set<number>();
		input.holders.forEach((h, i) => {
			const at = `holders.${i}`;
			if (!actors.has(h.actorId)) errors[`${at}.actor`] = 'Choose an actor of this course.';
			else if (seen.has(h.actorId))
				errors[`${at}.actor`] = 'This actor already holds the concern: one entry per actor.';
			seen.add(h.actorId);
			if (h.cites.length === 0)
				errors[`${at}.cites`] = 'Cite at least one paragraph the link rests on, e.g. 1.';
			checkCites(errors, `${at}.cites`, h.cites, count);
			checkProse(errors, `${at}.summary`, h.summary, count);
		});
		if (hasErrors(errors)) return failed(errors);

		const id = await upsertItem(trx, 'concerns', courseId, concernId, {
			slug: input.slug,
			label: input.label,
			description: input.description
		});
		if (id === undefined) return gone('concern');
		await trx.deleteFrom('actor_concerns').where('concern_id', '=', id).execute();
		if (input.holders.length) {
			await trx
				.insertInto('actor_concerns')
				.values(
					input.holders.map((h, i) => ({
						concern_id: id,
						actor_id: h.actorId,
						position: i + 1,
						kind: h.kind,
						summary: h.summary,
						cites: h.cites
					}))
				)
				.execute();
		}
		return { ok: true as const, id, slug: input.slug };
	});
}

export async function deleteConcern(
	db: Executor,
	courseId: number,
	concernId: number
): Promise<Deleted> {
	return await editCourse(db, courseId, async (trx) =>
		(await deletePositioned(trx, 'concerns', courseId, concernId)) === undefined
			? gone('concern')
			: { ok: true as const }
	);
}
