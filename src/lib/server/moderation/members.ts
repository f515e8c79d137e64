/**
 * Moderating members of a class: silence one for a period (they can read, not post), or hold
 * every post of theirs for review. Each logged; the restriction is checked on the server at every
 * post (discussion/posting-rules.ts).
 */
import { inTransaction, type Executor } from '../db/index.ts';
import type { Refusal } from '../discussion/posting-rules.ts';
import { logAction } from './log.ts';
import { checkReason, type Moderator } from './posts.ts';

export const SILENCE_HOURS = [1, 24, 72, 168] as const;

export type MemberAction =
	| { kind: 'silence'; hours: number }
	| { kind: 'unsilence' }
	| { kind: 'premoderate' }
	| { kind: 'unpremoderate' };

export async function restrictMember(
	db: Executor,
	classId: number,
	userId: number,
	moderator: Moderator,
	action: MemberAction,
	rawReason: string,
	now: Date = new Date()
): Promise<{ ok: true } | { ok: false; refusal: Refusal }> {
	const reason = checkReason(rawReason, action.kind === 'silence');
	if (typeof reason !== 'string') return { ok: false, refusal: reason };
	if (action.kind === 'silence' && !(SILENCE_HOURS as readonly number[]).includes(action.hours)) {
		return { ok: false, refusal: { status: 400, field: 'hours', message: 'Choose how long.' } };
	}
	return await inTransaction(db, async (trx) => {
		const member = await trx
			.selectFrom('memberships as m')
			.innerJoin('users as u', 'u.id', 'm.user_id')
			.select(['u.name', 'u.email', 'm.role'])
			.where('m.class_id', '=', classId)
			.where('m.user_id', '=', userId)
			.executeTakeFirst();
		if (!member || member.role === 'instructor') {
			return {
				ok: false,
				refusal: { status: 400, message: 'Only students and moderators can be restricted.' }
			};
		}
		const until =
			action.kind === 'silence' ? new Date(now.getTime() + action.hours * 3600 * 1000) : null;
		const set =
			action.kind === 'silence' || action.kind === 'unsilence'
				? { silenced_until: until }
				: { premoderated: action.kind === 'premoderate' };
		await trx
			.insertInto('member_restrictions')
			.values({ class_id: classId, user_id: userId, ...set })
			.onConflict((oc) => oc.columns(['class_id', 'user_id']).doUpdateSet(set))
			.execute();
		await logAction(trx, {
			classId,
			actor: moderator,
			action: `member.${action.kind}`,
			targetKind: 'member',
			targetId: userId,
			targetLabel: `${member.name} <${member.email}>`,
			reason,
			details: until
				? { until: until.toISOString(), hours: action.kind === 'silence' ? action.hours : 0 }
				: {}
		});
		return { ok: true };
	});
}
