import type { RequestEvent } from '@sveltejs/kit';
import { createSession, generateSessionToken, invalidateUserSessions } from '../auth/session.ts';
import type { Executor } from '../db/index.ts';
import { setSessionCookie } from './session-cookie.ts';

/** Starts a new session for the user and sets its cookie. */
export async function signIn(
	db: Executor,
	event: Pick<RequestEvent, 'cookies' | 'url'>,
	userId: number
) {
	const token = generateSessionToken();
	const session = await createSession(db, token, userId);
	setSessionCookie(event.cookies, token, session.expiresAt, event.url.protocol === 'https:');
	return session;
}

/**
 * After a password change: ends every session of the user, this one included, and signs this
 * browser in again with a new token, so a copied cookie stops working while the user stays in.
 * Runs on the executor given (the transaction that changed the password); the cookie is set
 * only once that has committed, by calling the returned function.
 */
export async function replaceSessions(
	db: Executor,
	event: Pick<RequestEvent, 'cookies' | 'url'>,
	userId: number
): Promise<() => void> {
	await invalidateUserSessions(db, userId);
	const token = generateSessionToken();
	const session = await createSession(db, token, userId);
	return () =>
		setSessionCookie(event.cookies, token, session.expiresAt, event.url.protocol === 'https:');
}
