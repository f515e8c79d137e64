import { redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { getDb, inTransaction } from '$lib/server/db/index';
import { createUser, EmailTakenError } from '$lib/server/auth/users';
import { passwordProblem } from '$lib/server/auth/password';
import { recordLoginAttempt, recordSignup, signupBlockedUntil } from '$lib/server/auth/rate-limit';
import { invalid, parseForm } from '$lib/server/web/forms';
import { safeNext } from '$lib/server/web/guards';
import { signIn } from '$lib/server/web/auth-flow';
import { emailField, nameField, passwordField } from '$lib/validation/schemas';
import type { Actions, PageServerLoad } from './$types';

const SignupSchema = v.object({ name: nameField, email: emailField, password: passwordField });

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return { next: safeNext(url.searchParams.get('next'), '') };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const parsed = parseForm(SignupSchema, form);
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const { name, email, password } = parsed.data;
		const values = { name, email };
		const problem = passwordProblem(password, { email, name });
		if (problem) return invalid({ password: problem }, values);

		const db = await getDb();
		const ip = event.getClientAddress();
		const blocked = await signupBlockedUntil(db, ip);
		if (blocked) {
			const mins = Math.max(1, Math.ceil((blocked.getTime() - Date.now()) / 60000));
			return invalid(
				{
					form: `Too many new accounts from this network just now. Try again in ${mins} minute${mins === 1 ? '' : 's'}.`
				},
				values,
				429
			);
		}
		await recordSignup(db, ip);
		try {
			await inTransaction(db, async (trx) => {
				const user = await createUser(trx, { name, email, password });
				// The address an account was made from is one its owner logs in from.
				await recordLoginAttempt(trx, { email: user.email, ip, succeeded: true });
				await signIn(trx, event, user.id);
			});
		} catch (e) {
			if (e instanceof EmailTakenError) {
				return invalid(
					{ email: 'An account with this email already exists. Log in instead?' },
					values
				);
			}
			throw e;
		}
		redirect(303, safeNext(String(form.get('next') ?? '')));
	}
};
