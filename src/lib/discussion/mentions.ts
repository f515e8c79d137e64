/** Who a post mentions, read the way the post renderer reads `@handle`. */
import { mentionedHandles } from '../markdown/post.ts';

export { mentionHandle } from './handles.ts';
import { mentionHandle } from './handles.ts';

/** Members one post may notify; a post naming more notifies the first 20 mentioned. */
export const MAX_MENTIONS = 20;

/**
 * Ids of the members whose handle `body` mentions as `@handle` (any case), outside code spans,
 * code blocks and links, in order of first mention, without repeats, at most MAX_MENTIONS.
 */
export function findMentions(body: string, members: { id: number; name: string }[]): number[] {
	const byHandle = new Map<string, number[]>();
	for (const m of members) {
		const handle = mentionHandle(m.name);
		if (handle === '') continue;
		byHandle.set(handle, [...(byHandle.get(handle) ?? []), m.id]);
	}
	const ids: number[] = [];
	for (const handle of new Set(mentionedHandles(body))) {
		for (const id of byHandle.get(handle) ?? []) {
			if (ids.length >= MAX_MENTIONS) return ids;
			if (!ids.includes(id)) ids.push(id);
		}
	}
	return ids;
}
