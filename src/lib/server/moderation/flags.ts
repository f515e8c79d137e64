/**
 * Flagging a post for the moderators: with a reason, once per member and post, never one's own,
 * at most FLAG_RULE.max a day. The flag goes to the queue; the flagger's identity is for moderators.
 */
import { inTransaction, type Executor } from '../db/index.ts';
import { takeFlagAllowance, type Refusal } from '../discussion/posting-rules.ts';
import { moderates, type Viewer } from '../discussion/viewer.ts';
import { checkReason } from './posts.ts';

export const FLAG_REASONS = [
	'Disrespectful or abusive',
	'Misrepresents the article',
	'Off topic',
	'Spam',
	'Something else'
] as const;

export async function flagPost(
	db: Executor,
	classId: number,
	postId: number,
	viewer: Viewer,
	input: { reason: string; note: string },
	now: Date = new Date()
): Promise<{ ok: true } | { ok: false; refusal: Refusal }> {
	const kind = FLAG_REASONS.find((r) => r === input.reason);
	if (!kind)
		return {
			ok: false,
			refusal: { status: 400, field: 'reason', message: 'Choose why you flag it.' }
		};
	const note = checkReason(input.note, kind === 'Something else');
	if (typeof note !== 'string') return { ok: false, refusal: { ...note, field: 'note' } };
	return await inTransaction(
		db,
		async (trx): Promise<{ ok: true } | { ok: false; refusal: Refusal }> => {
			const post = await trx
				.selectFrom('posts')
				.select(['author_id', 'status'])
				.where('id', '=', postId)
				.where('class_id', '=', classId)
				.executeTakeFirst();
			if (!post || (post.status !== 'visible' && !moderates(viewer))) {
				return { ok: false, refusal: { status: 409, message: 'This post is not there to flag.' } };
			}
			if (post.author_id === viewer.id) {
				return { ok: false, refusal: { status: 403, message: 'You cannot flag your own post.' } };
			}
			const row = await trx
				.insertInto('flags')
				.values({
					class_id: classId,
					post_id: postId,
					user_id: viewer.id,
					reason: note ? `${kind}: ${note}` : kind
				})
				.onConflict((oc) =>
					oc.columns(['post_id', 'user_id']).where('user_id', 'is not', null).doNothing()
				)
				.returning('id')
				.executeTakeFirst();
			if (!row) {
				return {
					ok: false,
					refusal: {
						status: 409,
						message: 'You have flagged this post already; a moderator will look at it.'
					}
				};
			}
			const allowance = await takeFlagAllowance(trx, viewer.id, now);
			if (allowance) throw new FlagRefused(allowance);
			return { ok: true };
		}
	).catch((e) => {
		if (e instanceof FlagRefused) return { ok: false as const, refusal: e.refusal };
		throw e;
	});
}

class FlagRefused extends Error {
	constructor(readonly refusal: Refusal) {
		super(refusal.message);
	}
}
