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
import { readableForms, refuseUnstorableUrl } from '$lib/server/web/request-guard';
import { privateWhenSignedIn } from '$lib/server/web/response-headers';
import {
	attemptPageParam,
	checksSessionItself,
	classIdParam,
	startParam
} from '$lib/server/web/guards';
import { queryCountingEnabled } from '$lib/server/db/query-count';
import { countQueries } from '$lib/server/web/query-count-hook';

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
	if (token && checksSessionItself(event)) {
		event.locals.sessionToken = token;
	} else if (token) {
		const secure = event.url.protocol === 'https:';
		// A class's page needs the class and the viewer's standing in it, and a GET renders a
		// header that shows the unread count: the session check reads them in the same
		// statement. A form action may change either, so on other methods the class is for the
		// action's own guard only (requireClass) and the count is left to the layout.
		const get = event.request.method === 'GET';
		// An attempt page (what every student of an exam asks for at once) reads the attempt with
		// its questions in that statement too.
		const attemptId = attemptPageParam(event);
		const result = await validateSessionToken(await getDb(), token, {
			withUnreadCount: get,
			classId: classIdParam(event.params) ?? undefined,
			attemptId: attemptId ?? undefined,
			// A start (the exam's first request) reads what it needs of the assignment here too.
			startAssignmentId: startParam(event) ?? undefined
		});
		if (result) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			event.locals.unreadNotifications = result.unreadNotifications;
			event.locals.classView = result.classView && { ...result.classView, once: !get };
			event.locals.attemptView = result.attemptView;
			event.locals.startView = result.startView;
			setSessionCookie(event.cookies, token, result.session.expiresAt, secure);
		} else {
			clearSessionCookie(event.cookies, secure);
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

// The bench's query counter (BENCH_QUERY_COUNT=1) wraps everything else; absent otherwise.
export const handle = sequence(
	...(queryCountingEnabled() ? [countQueries] : []),
	securityHeaders,
	privateWhenSignedIn,
	refuseUnstorableUrl,
	readableForms,
	authenticate
);

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
