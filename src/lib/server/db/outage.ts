import { error } from '@sveltejs/kit';
import type { RequestEvent } from '@sveltejs/kit';
import { isDatabaseUnavailable } from './errors.ts';

// While the database cannot be reached, pages answer 503 with the friendly error page (a
// reference, no stack trace) and say to try again shortly. The app's database handle turns every
// connection or query failure that means "unreachable" into that 503 (db/index.ts passes
// `unavailableError` to openDatabase), so loads, actions and hooks need nothing of their own. The
// pool reconnects by itself once the server is back.

export const OUTAGE_MESSAGE =
	'The database cannot be reached just now. Please try again in a minute.';

let lastLogged = 0;

/** The 503 the app throws for an outage (logged at most once a second, with its reference). */
export function unavailableError(cause: unknown): unknown {
	const ref = crypto.randomUUID().slice(0, 8);
	const now = Date.now();
	if (now - lastLogged > 1000) {
		lastLogged = now;
		console.error(
			`[${ref}] database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`
		);
	}
	try {
		error(503, { message: OUTAGE_MESSAGE, ref });
	} catch (e) {
		return e;
	}
}

/** For handleError: an outage error that reached it unconverted still gets the plain message. */
export function outageError(
	err: unknown,
	event: RequestEvent,
	ref: string
): { message: string; ref: string } | undefined {
	if (!isDatabaseUnavailable(err)) return undefined;
	console.error(`[${ref}] ${event.request.method} ${event.url.pathname}: database unavailable`);
	return { message: OUTAGE_MESSAGE, ref };
}
