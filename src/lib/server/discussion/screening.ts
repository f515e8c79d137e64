/**
 * A class's watched words, applied to every post and edit by a student: a blocked word refuses the
 * post (naming the word, the draft kept), a held one sends it to the moderation queue, a replaced
 * one is rewritten. Moderators' posts are not screened.
 */
import { applyWatchedWords, type WatchedWord } from '../../discussion/watched-words.ts';
import type { Executor } from '../db/index.ts';
import type { Refusal } from './posting-rules.ts';
import { moderates, type Viewer } from './viewer.ts';

export interface Screened {
	body: string;
	blocked?: Refusal;
	hold: boolean;
	holdReason?: string;
}

export async function classWatchedWords(db: Executor, classId: number): Promise<WatchedWord[]> {
	return await db
		.selectFrom('watched_words')
		.select(['word', 'action', 'replacement'])
		.where('class_id', '=', classId)
		.orderBy('word')
		.execute();
}

export async function screenBody(
	db: Executor,
	classId: number,
	body: string,
	viewer: Viewer
): Promise<Screened> {
	if (moderates(viewer)) return { body, hold: false };
	const words = await classWatchedWords(db, classId);
	if (!words.length) return { body, hold: false };
	const result = applyWatchedWords(body, words);
	if (result.blocked.length) {
		const list = result.blocked.map((w) => `“${w}”`).join(', ');
		return {
			body,
			hold: false,
			blocked: {
				status: 400,
				field: 'body',
				message: `This class does not allow ${list} in posts. Change it and post again; your draft is kept.`
			}
		};
	}
	if (result.held.length) {
		return {
			body: result.body,
			hold: true,
			holdReason: `Watched word: ${result.held.join(', ')}`
		};
	}
	return { body: result.body, hold: false };
}
