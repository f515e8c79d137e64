import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/index';
import { invalidateSession } from '$lib/server/auth/session';
import { clearSessionCookie } from '$lib/server/web/session-cookie';
import type { Actions, PageServerLoad } from './$types';

// Logging out is a POST (a link could be followed by a prefetch or an image tag).
export const load: PageServerLoad = () => {
	redirect(303, '/');
};

export const actions: Actions = {
	default: async ({ locals, cookies, url }) => {
		if (locals.session) await invalidateSession(await getDb(), locals.session.id);
		clearSessionCookie(cookies, url.protocol === 'https:');
		redirect(303, '/');
	}
};
