import { redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { getDb, inTransaction } from '$lib/server/db/index';
import { checkLogin } from '$lib/server/auth/login';
import { invalidateSession } from '$lib/server/auth/session';
import { failure, parseForm } from '$lib/server/web/forms';
import { safeNext } from '$lib/server/web/guards';
import { signIn } from '$lib/server/web/auth-flow';
import { emailField } from '$lib/validation/schemas';
import type { Actions, PageServerLoad } from './$types';

const LoginSchema = v.object({
	email: emailField,
	password: v.pipe(
		v.string('Enter your password.'),
		v.nonEmpty('Enter your password.'),
		v.maxLength(256, 'Email or password is wrong.')
	)
});

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return { next: safeNext(url.searchParams.get('next'), ''), reset: url.searchParams.has('reset') };
};

// The per-account cooldown is seconds long; the other limits are minutes.
function waitText(when: Date): string {
	const secs = Math.max(1, Math.ceil((when.getTime() - Date.now()) / 1000));
	if (secs < 60) return `${secs} second${secs === 1 ? '' : 's'}`;
	const mins = Math.ceil(secs / 60);
	return `${mins} minute${mins === 1 ? '' : 's'}`;
}

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const parsed = parseForm(LoginSchema, form);
		if (!parsed.ok) return failure(400, { errors: parsed.errors, values: form });
		const { email, password } = parsed.data;
		const values = { email };
		const db = await getDb();
		const result = await checkLogin(db, { email, password, ip: event.getClientAddress() });
		if (!result.ok) {
			if (result.reason === 'throttled') {
				event.setHeaders({
					'Retry-After': String(
						Math.max(1, Math.ceil((result.retryAt.getTime() - Date.now()) / 1000))
					)
				});
				return failure(429, {
					values,
					message: `Too many failed attempts. Try again in ${waitText(result.retryAt)}.`
				});
			}
			return failure(400, { values, message: 'Email or password is wrong.' });
		}
		await inTransaction(db, async (trx) => {
			// Logging in again (as anyone) ends the session this browser had.
			if (event.locals.session) await invalidateSession(trx, event.locals.session.id);
			await signIn(trx, event, result.user.id);
		});
		redirect(303, safeNext(String(form.get('next') ?? '')));
	}
};
