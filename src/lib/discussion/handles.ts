/**
 * A member's @handle, shared by the post renderer and by findMentions so that what is shown as a
 * mention and who is notified never disagree.
 */

/** "Ana López-Ruiz" → "analopezruiz": NFKD, marks stripped, lower-case, only letters and digits. */
export function mentionHandle(name: string): string {
	return name
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * `@handle` in text: not after a letter, digit or one of `_ . @ / + : -` (so an e-mail address or
 * a path is not a mention); the handle is letters, marks and digits.
 */
export const MENTION_SOURCE = String.raw`(?<![\p{L}\p{N}\p{M}_.@/+:-])@([\p{L}\p{M}\p{N}]{1,64})`;
