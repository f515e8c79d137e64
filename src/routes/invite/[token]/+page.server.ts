import { error, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { getDb, inTransaction } from '$lib/server/db/index';
import { acceptInvitation, findInvitation } from '$lib/server/auth/invitations';
import { EmailTakenError } from '$lib/server/auth/users';
import { passwordProblem } from '$lib/server/auth/password';
import { invalid, parseForm } from '$lib/server/web/forms';
import { signIn } from '$lib/server/web/auth-flow';
import { nameField, passwordField } from '$lib/validation/schemas';
import type { Actions, PageServerLoad } from './$types';

const AcceptSchema = v.object({ name: nameField, password: passwordField });
const GONE =
	'This invitation is not valid: it may have been used already or have expired. Ask the administrator for a new one.';

export const load: PageServerLoad = async ({ params, locals }) => {
	const invitation = await findInvitation(await getDb(), params.token);
	if (!invitation) error(410, GONE);
	return {
		email: invitation.email,
		expiresAt: invitation.expiresAt,
		signedInAs: locals.user ? locals.user.email : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		if (event.locals.user)
			return invalid({ form: 'Log out first: this invitation creates a new account.' });
		const parsed = parseForm(AcceptSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const db = await getDb();
		const invitation = await findInvitation(db, event.params.token);
		if (!invitation) error(410, GONE);
		const { name, password } = parsed.data;
		const problem = passwordProblem(password, { email: invitation.email, name });
		if (problem) return invalid({ password: problem }, { name });
		try {
			const user = await inTransaction(db, async (trx) => {
				const created = await acceptInvitation(trx, event.params.token, { name, password });
				if (created) await signIn(trx, event, created.id);
				return created;
			});
			if (!user) error(410, GONE);
		} catch (e) {
			if (e instanceof EmailTakenError)
				return invalid({
					form: 'An account with this email already exists. Log in instead, and ask an administrator to make it an instructor account.'
				});
			throw e;
		}
		redirect(303, '/classes/new?welcome=1');
	}
};
