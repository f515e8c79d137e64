import type { RequestEvent } from '@sveltejs/kit';
import { createSession, generateSessionToken } from '../auth/session.ts';
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
