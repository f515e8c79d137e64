import { error, type Handle, type RequestEvent } from '@sveltejs/kit';
import { isDatabaseUnavailable } from './errors.ts';

// While the database cannot be reached, pages answer 503 (the friendly error page, with a
// reference, no stack trace) instead of 500, and say to try again shortly. The pool reconnects by
// itself once the server is back, so nothing else has to happen.

const RETRY_AFTER_SECONDS = '5';
const MESSAGE = 'The database cannot be reached just now. Please try again in a minute.';

// Requests whose error was an outage; keyed by the request's event, so nothing outlives it.
const unavailable = new WeakSet<RequestEvent>();

/** For handleError: the visitor's error for an outage (and a one-line log), or undefined. */
export function outageError(
	err: unknown,
	event: RequestEvent,
	ref: string
): { message: string; ref: string } | undefined {
	if (!isDatabaseUnavailable(err)) return undefined;
	unavailable.add(event);
	console.error(
		`[${ref}] ${event.request.method} ${event.url.pathname}: database unavailable (${
			err instanceof Error ? err.message : String(err)
		})`
	);
	return { message: MESSAGE, ref };
}

/** Throws the 503 for an outage met in a handle (before any page runs); rethrows anything else. */
export function rethrowOutage(err: unknown): never {
	if (isDatabaseUnavailable(err)) {
		console.error(`Database unavailable: ${err instanceof Error ? err.message : String(err)}`);
		error(503, MESSAGE);
	}
	throw err;
}

/** The outermost handle: a page that failed on an outage is a 503 with Retry-After. */
export const databaseOutage: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (!unavailable.has(event) || response.status !== 500) return response;
	const headers = new Headers(response.headers);
	headers.set('Retry-After', RETRY_AFTER_SECONDS);
	return new Response(response.body, { status: 503, headers });
};
