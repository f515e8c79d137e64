/** Moderating a thread: lock and unlock it, pin and unpin it, slow mode. Each logged. */
import { sql } from 'kysely';
import { inTransaction, type Executor } from '../db/index.ts';
import { recordEvent } from '../discussion/events.ts';
import type { Refusal } from '../discussion/posting-rules.ts';
import { logAction } from './log.ts';
import { checkReason, type Moderator } from './posts.ts';

export type ThreadAction = 'lock' | 'unlock' | 'pin' | 'unpin';

export const SLOW_MODE_CHOICES = [0, 30, 60, 300, 900, 3600] as const;

export async function moderateThread(
	db: Executor,
	classId: number,
	threadId: number,
	moderator: Moderator,
	action: ThreadAction | { slowModeSeconds: number },
	rawReason = ''
): Promise<{ ok: true } | { ok: false; refusal: Refusal }> {
	const reason = checkReason(rawReason, false);
	if (typeof reason !== 'string') return { ok: false, refusal: reason };
	if (typeof action === 'object') {
		const s = action.slowModeSeconds;
		if (!Number.isInteger(s) || s < 0 || s > 86400) {
			return {
				ok: false,
				refusal: { status: 400, field: 'seconds', message: 'Choose a slow-mode interval.' }
			};
		}
	}
	return await inTransaction(db, async (trx) => {
		const set =
			typeof action === 'object'
				? { slow_mode_seconds: action.slowModeSeconds }
				: action === 'lock'
					? { locked_at: sql<Date>`coalesce(locked_at, now())` }
					: action === 'unlock'
						? { locked_at: null }
						: action === 'pin'
							? { pinned_at: sql<Date>`coalesce(pinned_at, now())` }
							: { pinned_at: null };
		const row = await trx
			.updateTable('threads')
			.set(set)
			.where('id', '=', threadId)
			.where('class_id', '=', classId)
			.returning(['title'])
			.executeTakeFirst();
		if (!row) return { ok: false, refusal: { status: 409, message: 'There is no such thread.' } };
		await logAction(trx, {
			classId,
			actor: moderator,
			action: typeof action === 'object' ? 'thread.slow-mode' : `thread.${action}`,
			targetKind: 'thread',
			targetId: threadId,
			targetLabel: row.title,
			reason,
			details: typeof action === 'object' ? { seconds: action.slowModeSeconds } : {}
		});
		await recordEvent(trx, { classId, kind: 'thread', threadId });
		return { ok: true };
	});
}
