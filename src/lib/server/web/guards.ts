import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from '../auth/session.ts';
import type { Role } from '../db/types.ts';
import { getDb } from '../db/index.ts';
import { findClassForViewer, type ClassAccess, type ClassInfo } from '../classes/classes.ts';
import { parseId } from '../../validation/ids.ts';

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

/**
 * Only paths on this site are followed after login. Browsers drop tabs and newlines inside URLs
 * (so `/\t/evil.example` would become `//evil.example`) and read `\` as `/`: any control
 * character, space or backslash makes the target untrusted.
 */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.length > 2000)
		return fallback;
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u0020\u007f\\]/.test(next)) return fallback;
	// The target goes into a Location header, which takes only ASCII (a raw `é` was a 500). As
	// the browser would, URL percent-encodes the rest; then it must still be a path of this site
	// and decode without a NUL (which the next request would refuse).
	let url: URL;
	try {
		url = new URL(next, 'http://this.site.invalid');
	} catch {
		return fallback;
	}
	if (url.origin !== 'http://this.site.invalid') return fallback;
	const target = url.pathname + url.search + url.hash;
	if (!/^\/[\x21-\x7e]*$/.test(target) || target.startsWith('//')) return fallback;
	try {
		if (decodeURIComponent(target).includes('\u0000')) return fallback;
	} catch {
		return fallback;
	}
	return target;
}

/**
 * The class named in the route and the viewer's standing in it. Anonymous visitors are sent to log
 * in; people outside the class get 404 (its existence is not revealed); members whose role is not
 * in `allowed` get 403. Admins count as 'admin'.
 */
export async function requireClass(
	event: Pick<RequestEvent, 'locals' | 'url' | 'params'>,
	allowed: readonly Exclude<ClassAccess, null>[]
): Promise<{
	user: SessionUser;
	cls: ClassInfo;
	access: Exclude<ClassAccess, null>;
	/** The course's content version, for what is kept of its content (never sent to a page). */
	courseVersion: string;
}> {
	const user = requireUser(event);
	const classId = classIdParam(event.params);
	if (classId === null) error(404, 'There is no such class.');
	// The session check has read the class already (hooks.server.ts). On a POST that is for the
	// action's guard: the loads that run after the action read it again.
	const pre = event.locals.classView;
	if (pre?.once) event.locals.classView = undefined;
	const found =
		pre?.classId === classId ? pre.found : await findClassForViewer(await getDb(), classId, user);
	if (!found || !found.access) error(404, 'There is no such class.');
	if (!allowed.includes(found.access)) {
		error(
			403,
			allowed.includes('moderator')
				? 'Only the class’s instructors and moderators can do this.'
				: 'Only the class’s instructors can do this.'
		);
	}
	return { user, cls: found.cls, access: found.access, courseVersion: found.courseVersion };
}

/** The route's `[class]` id, or null when there is none or it is malformed. */
export function classIdParam(params: Partial<Record<string, string>>): number | null {
	const raw = params.class ?? '';
	return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

/**
 * The attempt id of a GET of an attempt page (`/classes/[class]/attempts/[attempt]`, what every
 * student of an exam asks for at once), for the session check to read with the session; null on
 * any other route or method.
 */
export const ATTEMPT_PAGE_ROUTE = '/classes/[class]/attempts/[attempt]';
export function attemptPageParam(event: {
	request: { method: string };
	route: { id: string | null };
	params: Partial<Record<string, string>>;
}): number | null {
	if (event.request.method !== 'GET' || event.route.id !== ATTEMPT_PAGE_ROUTE) return null;
	return parseId(event.params.attempt);
}

export const CLASS_MEMBERS = ['student', 'moderator', 'instructor', 'admin'] as const;
export const CLASS_STAFF = ['instructor', 'admin'] as const;
/** Who moderates a class's discussions: its moderators (teaching assistants) and instructors. */
export const CLASS_MODERATION = ['moderator', 'instructor', 'admin'] as const;

/**
 * The autosave (`POST /classes/[class]/attempts/[attempt]/answers`, sixteen times per student of
 * an exam) checks the session in its own statement, the save's: the session check of every
 * other request is left out there, and the route gets the session's token instead of a user.
 */
export const AUTOSAVE_ROUTE = '/classes/[class]/attempts/[attempt]/answers';
export function checksSessionItself(event: {
	request: { method: string };
	route: { id: string | null };
}): boolean {
	return event.request.method === 'POST' && event.route.id === AUTOSAVE_ROUTE;
}

/**
 * The assignment id of a start (`POST /classes/[class]/assignments/[assignment]?/start`, what
 * every student of an exam sends in the same second), for the session check to read what the
 * start needs with the session; null on any other route, method or action.
 */
export const ASSIGNMENT_PAGE_ROUTE = '/classes/[class]/assignments/[assignment]';
export function startParam(event: {
	request: { method: string };
	route: { id: string | null };
	params: Partial<Record<string, string>>;
	url: URL;
}): number | null {
	if (event.request.method !== 'POST' || event.route.id !== ASSIGNMENT_PAGE_ROUTE) return null;
	// SvelteKit names the action by the query's only key, `/start`.
	if ([...event.url.searchParams.keys()].join() !== '/start') return null;
	return parseId(event.params.assignment);
}
