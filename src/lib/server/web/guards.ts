import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from '../auth/session.ts';
import type { Role } from '../db/types.ts';

/** The signed-in user; anyone else is sent to log in and brought back afterwards. */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): SessionUser {
	const user = event.locals.user;
	if (!user) {
		const next = event.url.pathname + event.url.search;
		redirect(303, `/login?next=${encodeURIComponent(next)}`);
	}
	return user;
}

const RANK: Record<Role, number> = { student: 0, instructor: 1, admin: 2 };

/** The signed-in user if their role is at least `role`; 403 otherwise. */
export function requireRole(event: Pick<RequestEvent, 'locals' | 'url'>, role: Role): SessionUser {
	const user = requireUser(event);
	if (RANK[user.role] < RANK[role]) error(403, 'You do not have access to this page.');
	return user;
}

/** Only same-site paths are followed after login, never another host. */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\'))
		return fallback;
	return next;
}
