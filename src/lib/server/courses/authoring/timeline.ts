/** The timeline of a course: dated events the article mentions. */
import type { Executor } from '../../db/index.ts';
import { editCourse } from './publish.ts';
import {
	deletePositioned,
	failed,
	gone,
	hasErrors,
	paragraphCount,
	upsertItem,
	type Deleted,
	type FieldErrors,
	type Saved
} from './shared.ts';
import { checkCites, checkProse } from './text.ts';

export interface EventInput {
	when: string;
	sort: number;
	event: string;
	cites: number[];
}

export interface TimelineEvent extends EventInput {
	id: number;
	position: number;
}

/** In reading order: by `sort`, then as entered. */
export async function listTimeline(db: Executor, courseId: number): Promise<TimelineEvent[]> {
	return await db
		.selectFrom('timeline_events')
		.select(['id', 'position', 'when_label as when', 'sort', 'event', 'cites'])
		.where('course_id', '=', courseId)
		.orderBy('sort')
		.orderBy('position')
		.execute();
}
export async function saveEvent(
	db: Executor,
	courseId: number,
	eventId: number | null,
	input: EventInput
): Promise<Saved<{ id: number }>> {
	return await editCourse(db, courseId, async (trx) => {
		const count = await paragraphCount(trx, courseId);
		const errors: FieldErrors = {};
		checkProse(errors, 'event', input.event, count);
		checkCites(errors, 'cites', input.cites, count);
		if (hasErrors(errors)) return failed(errors);

		const id = await upsertItem(trx, 'timeline_events', courseId, eventId, {
			when_label: input.when,
			sort: input.sort,
			event: input.event,
			cites: input.cites
		});
		return id === undefined ? gone('event') : { ok: true as const, id };
	});
}

export async function deleteEvent(
	db: Executor,
	courseId: number,
	eventId: number
): Promise<Deleted> {
	return await editCourse(db, courseId, async (trx) =>
		(await deletePositioned(trx, 'timeline_events', courseId, eventId)) === undefined
			? gone('event')
			: { ok: true as const }
	);
}
