import type { Handle } from '@sveltejs/kit';

/**
 * Whatever a signed-in person is sent is theirs: no shared cache (a school proxy) or the
 * browser's back-forward and disk caches may keep it for the next person at that computer.
 */
export const privateWhenSignedIn: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (event.locals.user || event.locals.session) {
		try {
			response.headers.set('Cache-Control', 'private, no-store');
		} catch {
			// A response with immutable headers (a fetch passed through) keeps its own.
		}
	}
	return response;
};
