// The payloads of the `discussion` channel: ids only, never content.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import { EVENTS_CHANNEL } from '../events.ts';

export type LivePayload =
	| { kind: 'event'; classId: number; eventId: string }
	| { kind: 'left'; classId: number; userId: number };

/** `<class>:<event id>` (discussion/events.ts) or `<class>:left:<user>`; undefined otherwise. */
export function parseLivePayload(payload: string): LivePayload | undefined {
	let m = /^(\d{1,9}):(\d{1,18})$/.exec(payload);
	if (m) return { kind: 'event', classId: Number(m[1]), eventId: m[2] };
	m = /^(\d{1,9}):left:(\d{1,9})$/.exec(payload);
	if (m) return { kind: 'left', classId: Number(m[1]), userId: Number(m[2]) };
	return undefined;
}

/**
 * Tells every app process, when `trx` commits, that the user is no longer a member of the class:
 * each closes that user's open streams of it (their next connection is refused by the guard).
 */
export async function notifyMemberLeft(
	trx: Executor,
	classId: number,
	userId: number
): Promise<void> {
	await sql`select pg_notify(${EVENTS_CHANNEL}, ${`${classId}:left:${userId}`})`.execute(trx);
}
