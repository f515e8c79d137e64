// The actions the audit log records, and how a person reads each. Browser-safe: the log pages
// and their filter dropdowns use the labels; the server writes the names.

export const CLASS_ACTION_LABELS = {
	'post.approve': 'Approved a post',
	'post.hide': 'Hid a post',
	'post.remove': 'Removed a post',
	'post.restore': 'Restored a post',
	'post.move': 'Moved a post',
	'thread.lock': 'Locked a thread',
	'thread.unlock': 'Unlocked a thread',
	'thread.pin': 'Pinned a thread',
	'thread.unpin': 'Unpinned a thread',
	'thread.slow-mode': 'Changed a thread’s slow mode',
	'member.silence': 'Silenced a member',
	'member.unsilence': 'Lifted a member’s silence',
	'member.premoderate': 'Put a member’s posts under review',
	'member.unpremoderate': 'Stopped reviewing a member’s posts',
	'flag.dismiss': 'Dismissed a flag',
	'settings.premoderation': 'Changed post review for the class',
	'watched-word.add': 'Added a watched word',
	'watched-word.remove': 'Removed a watched word',
	'roster.moderator-add': 'Made a student a moderator',
	'roster.moderator-remove': 'Made a moderator a student again',
	'roster.reset-link': 'Made a password reset link',
	'roster.remove': 'Removed a member from the class'
} as const;

export const ADMIN_ACTION_LABELS = {
	'account.role': 'Changed an account’s role',
	'account.disable': 'Disabled an account',
	'account.enable': 'Enabled an account',
	'account.reset-link': 'Made a password reset link',
	'account.invite': 'Invited an instructor'
} as const;

export type ClassAction = keyof typeof CLASS_ACTION_LABELS;
export type AdminAction = keyof typeof ADMIN_ACTION_LABELS;
export type LogAction = ClassAction | AdminAction;

export const ACTION_LABELS: Record<LogAction, string> = {
	...CLASS_ACTION_LABELS,
	...ADMIN_ACTION_LABELS
};

/** What the log calls an action; a name this version does not know is shown as it is. */
export function actionLabel(action: string): string {
	return (ACTION_LABELS as Record<string, string>)[action] ?? action;
}

export function isLogAction(value: string): value is LogAction {
	return Object.hasOwn(ACTION_LABELS, value);
}

/** The kinds of thing an entry can be about, for the target filter. */
export const TARGET_KIND_LABELS: Record<string, string> = {
	account: 'Account',
	invitation: 'Invitation',
	post: 'Post',
	thread: 'Thread',
	member: 'Member',
	flag: 'Flag',
	class: 'Class settings',
	'watched-word': 'Watched word'
};

export function targetKindLabel(kind: string): string {
	return TARGET_KIND_LABELS[kind] ?? kind;
}
