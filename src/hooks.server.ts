import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { closeDatabase, getDb } from '$lib/server/db/index';
import { outageError } from '$lib/server/db/outage';
import { startApp } from '$lib/server/startup';
import { validateSessionToken } from '$lib/server/auth/session';
import {
	SESSION_COOKIE,
	clearSessionCookie,
	setSessionCookie
} from '$lib/server/web/session-cookie';

export const init: ServerInit = async () => {
	try {
		await startApp();
	} catch (e) {
		console.error(`Perspectives could not start: ${e instanceof Error ? e.message : String(e)}`);
		process.exit(1);
	}
	process.on('sveltekit:shutdown', async () => {
		await closeDatabase();
	});
};

const authenticate: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE);
	event.locals.user = null;
	event.locals.session = null;
	if (token) {
		const secure = event.url.protocol === 'https:';
		const result = await validateSessionToken(await getDb(), token);
		if (result) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			setSessionCookie(event.cookies, token, result.session.expiresAt, secure);
		} else {
			clearSessionCookie(event.cookies, secure);
		}
	}
	return resolve(event);
};

// A form post whose body cannot be parsed is the client's mistake: 400, not a 500 from deep inside
// an action. The check reads a copy of the body; actions read the original.
const FORM_TYPES = /^(multipart\/form-data|application\/x-www-form-urlencoded)/i;
const readableBody: Handle = async ({ event, resolve }) => {
	const type = event.request.headers.get('content-type') ?? '';
	if (event.request.method === 'POST' && FORM_TYPES.test(type)) {
		try {
			await event.request.clone().formData();
		} catch (e) {
			// The body-size limit surfaces here too; it keeps its own status.
			const tooLarge = (e as { status?: number })?.status === 413;
			return new Response(
				tooLarge ? 'The request is too large.' : 'The form could not be read. Please try again.',
				{ status: tooLarge ? 413 : 400, headers: { 'content-type': 'text/plain; charset=utf-8' } }
			);
		}
	}
	return resolve(event);
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	return response;
};

export const handle = sequence(securityHeaders, readableBody, authenticate);

// Whatever went wrong stays in the server log; the visitor sees a short message and a reference.
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const ref = crypto.randomUUID().slice(0, 8);
	const outage = outageError(error, event, ref);
	if (outage) return outage;
	if (status >= 500) {
		console.error(`[${ref}] ${event.request.method} ${event.url.pathname}:`, error);
		return { message: 'Something went wrong on our side.', ref };
	}
	return { message };
};
