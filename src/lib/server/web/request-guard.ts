/**
 * Requests that no page or action should have to defend against one by one: text PostgreSQL
 * cannot store, and bodies that are not forms. Both are the client's mistake, so they get a 4xx
 * with a message instead of a 500 from deep inside a query or an action.
 */
import { error, type Handle, type RequestEvent } from '@sveltejs/kit';
import { hasUnstorableText } from '../../validation/text.ts';

export { hasUnstorableText };

export const UNSTORABLE_URL =
	'This address holds a character that cannot be used (a NUL, written %00). Check the link and try again.';
export const UNSTORABLE_FORM =
	'The form holds a character that cannot be stored (a NUL character). Remove it and try again.';
export const UNREADABLE_FORM = 'The form could not be read. Please try again.';
export const TOO_LARGE = 'The request is too large.';

/**
 * True when the decoded path or any query parameter holds unstorable text. A path that does not
 * decode at all is left to SvelteKit, which answers it with 400 already.
 */
export function urlHasUnstorableText(url: URL): boolean {
	let path: string;
	try {
		path = decodeURIComponent(url.pathname);
	} catch {
		return false;
	}
	if (hasUnstorableText(path)) return true;
	for (const [key, value] of url.searchParams) {
		if (hasUnstorableText(key) || hasUnstorableText(value)) return true;
	}
	return false;
}

/** The names and text values of a form that hold unstorable text. */
export function formHasUnstorableText(form: FormData): boolean {
	for (const [key, value] of form) {
		if (hasUnstorableText(key)) return true;
		if (typeof value === 'string' ? hasUnstorableText(value) : hasUnstorableText(value.name))
			return true;
	}
	return false;
}

const escapeHtml = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A 400 answered before any route runs, in the form the asker reads. */
function refusal(event: RequestEvent, status: number, message: string): Response {
	if (event.request.headers.get('x-sveltekit-action') === 'true') {
		// What `use:enhance` reads: an ActionResult, which shows the nearest error page.
		return Response.json({ type: 'error', status, error: { message } }, { status });
	}
	if (event.isDataRequest || event.url.pathname.endsWith('/__data.json')) {
		return Response.json({ type: 'error', status, error: { message } }, { status });
	}
	const html =
		'<!doctype html><html lang="en"><head><meta charset="utf-8">' +
		'<meta name="viewport" content="width=device-width, initial-scale=1">' +
		`<title>Error ${status} · Perspectives</title></head>` +
		'<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">' +
		`<main><h1>That did not work</h1><p>${escapeHtml(message)}</p>` +
		'<p><a href="/">Go to the home page</a></p></main></body></html>';
	return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/** A NUL in the path or the query string: 400 before any load runs a query with it. */
export const refuseUnstorableUrl: Handle = async ({ event, resolve }) => {
	if (urlHasUnstorableText(event.url)) return refusal(event, 400, UNSTORABLE_URL);
	return resolve(event);
};

const FORM_TYPES = /^\s*(multipart\/form-data|application\/x-www-form-urlencoded)\s*(;|$)/i;

/**
 * Form bodies, checked once for every action:
 * - a form post that cannot be parsed, or is over the body-size limit, gets 400 / 413 at once;
 * - a form holding a NUL gets 400;
 * - a body of another type (text/plain, JSON, none) makes `request.formData()` throw a 400 (415
 *   for a type it cannot read as a form), which SvelteKit shows on the error page or hands to
 *   `use:enhance`, instead of the TypeError that became a 500.
 * The check reads a copy of the body; actions read the original.
 */
export const readableForms: Handle = async ({ event, resolve }) => {
	const { request } = event;
	if (request.method === 'GET' || request.method === 'HEAD') return resolve(event);

	const type = request.headers.get('content-type') ?? '';
	if (FORM_TYPES.test(type)) {
		let form: FormData;
		try {
			form = await request.clone().formData();
		} catch (e) {
			// The body-size limit surfaces here too; it keeps its own status.
			const tooLarge = (e as { status?: number })?.status === 413;
			return refusal(event, tooLarge ? 413 : 400, tooLarge ? TOO_LARGE : UNREADABLE_FORM);
		}
		if (formHasUnstorableText(form)) return refusal(event, 400, UNSTORABLE_FORM);
	} else {
		const formData = request.formData.bind(request);
		Object.defineProperty(request, 'formData', {
			configurable: true,
			value: async () => {
				try {
					return await formData();
				} catch (e) {
					if ((e as { status?: number })?.status === 413) error(413, TOO_LARGE);
					error(
						415,
						'This address takes a form (application/x-www-form-urlencoded or multipart/form-data).'
					);
				}
			}
		});
	}
	return resolve(event);
};
