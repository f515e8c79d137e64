/**
 * A class's discussion settings: pre-moderation (off, every post, or posts by members who joined
 * in the last N days) and its watched words (block, hold for review, replace). Each change logged.
 */
import { inTransaction, type Executor } from '../db/index.ts';
import type { Refusal } from '../discussion/posting-rules.ts';
import { checkWatchedWord } from '../../discussion/watched-words.ts';
import { logAction } from './log.ts';
import type { Moderator } from './posts.ts';

export type Premoderation = 'off' | 'all' | 'new-members';
export const PREMODERATION: Premoderation[] = ['off', 'all', 'new-members'];
export const MAX_WATCHED_WORDS = 500;

export interface DiscussionSettings {
	premoderation: Premoderation;
	newMemberDays: number;
	words: {
		id: number;
		word: string;
		action: 'block' | 'hold' | 'replace';
		replacement: string | null;
	}[];
}

export async function readDiscussionSettings(
	db: Executor,
	classId: number
): Promise<DiscussionSettings> {
	const [settings, words] = await Promise.all([
		db
			.selectFrom('discussion_settings')
			.select(['premoderation', 'new_member_days'])
			.where('class_id', '=', classId)
			.executeTakeFirst(),
		db
			.selectFrom('watched_words')
			.select(['id', 'word', 'action', 'replacement'])
			.where('class_id', '=', classId)
			.orderBy('word')
			.execute()
	]);
	return {
		premoderation: settings?.premoderation ?? 'off',
		newMemberDays: settings?.new_member_days ?? 7,
		words
	};
}

export async function setPremoderation(
	db: Executor,
	classId: number,
	moderator: Moderator,
	mode: string,
	days: number
): Promise<{ ok: true } | { ok: false; refusal: Refusal }> {
	const premoderation = PREMODERATION.find((p) => p === mode);
	if (!premoderation) {
		return {
			ok: false,
			refusal: { status: 400, field: 'premoderation', message: 'Choose who is held for review.' }
		};
	}
	if (!Number.isInteger(days) || days < 1 || days > 365) {
		return {
			ok: false,
			refusal: {
				status: 400,
				field: 'days',
				message: 'Write a whole number of days from 1 to 365.'
			}
		};
	}
	return await inTransaction(db, async (trx) => {
		const before = await readDiscussionSettings(trx, classId);
		await trx
			.insertInto('discussion_settings')
			.values({ class_id: classId, premoderation, new_member_days: days })
			.onConflict((oc) =>
				oc.column('class_id').doUpdateSet({ premoderation, new_member_days: days })
			)
			.execute();
		await logAction(trx, {
			classId,
			actor: moderator,
			action: 'settings.premoderation',
			targetKind: 'class',
			targetId: classId,
			targetLabel: 'Pre-moderation',
			details: {
				from: before.premoderation,
				to: premoderation,
				...(premoderation === 'new-members' ? { days } : {})
			}
		});
		return { ok: true };
	});
}

export async function addWatchedWord(
	db: Executor,
	classId: number,
	moderator: Moderator,
	input: { word: string; action: string; replacement: string }
): Promise<{ ok: true } | { ok: false; refusal: Refusal }> {
	const checked = checkWatchedWord(input.word);
	if (checked.error)
		return { ok: false, refusal: { status: 400, field: 'word', message: checked.error } };
	const action = (['block', 'hold', 'replace'] as const).find((a) => a === input.action);
	if (!action)
		return {
			ok: false,
			refusal: { status: 400, field: 'wordAction', message: 'Choose what happens.' }
		};
	const replacement = input.replacement.trim();
	if (action === 'replace' && (!replacement || replacement.length > 60)) {
		return {
			ok: false,
			refusal: {
				status: 400,
				field: 'replacement',
				message: 'Write the replacement (up to 60 characters).'
			}
		};
	}
	return await inTransaction(db, async (trx) => {
		const count = await trx
			.selectFrom('watched_words')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('class_id', '=', classId)
			.executeTakeFirstOrThrow();
		if (Number(count.n) >= MAX_WATCHED_WORDS) {
			return {
				ok: false,
				refusal: {
					status: 400,
					field: 'word',
					message: `A class can watch at most ${MAX_WATCHED_WORDS} words.`
				}
			};
		}
		const row = await trx
			.insertInto('watched_words')
			.values({
				class_id: classId,
				word: checked.word,
				action,
				replacement: action === 'replace' ? replacement : null
			})
			.onConflict((oc) => oc.columns(['class_id', 'word']).doNothing())
			.returning('id')
			.executeTakeFirst();
		if (!row) {
			return {
				ok: false,
				refusal: { status: 409, field: 'word', message: 'This word is watched already.' }
			};
		}
		await logAction(trx, {
			classId,
			actor: moderator,
			action: 'watched-word.add',
			targetKind: 'watched-word',
			targetId: row.id,
			targetLabel: checked.word,
			details: { action, ...(action === 'replace' ? { replacement } : {}) }
		});
		return { ok: true };
	});
}

export async function removeWatchedWord(
	db: Executor,
	classId: number,
	moderator: Moderator,
	wordId: number
): Promise<boolean> {
	return await inTransaction(db, async (trx) => {
		const row = await trx
			.deleteFrom('watched_words')
			.where('id', '=', wordId)
			.where('class_id', '=', classId)
			.returning(['word', 'action'])
			.executeTakeFirst();
		if (!row) return false;
		await logAction(trx, {
			classId,
			actor: moderator,
			action: 'watched-word.remove',
			targetKind: 'watched-word',
			targetId: wordId,
			targetLabel: row.word,
			details: { action: row.action }
		});
		return true;
	});
}
