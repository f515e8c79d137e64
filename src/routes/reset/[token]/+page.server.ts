import { error, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { getDb, inTransaction } from '$lib/server/db/index';
import { consumePasswordReset, findPasswordReset } from '$lib/server/auth/password-reset';
import { passwordProblem } from '$lib/server/auth/password';
import { failure, parseForm } from '$lib/server/web/forms';
import { passwordField } from '$lib/validation/schemas';
import type { Actions, PageServerLoad } from './$types';

const ResetSchema = v.object({ password: passwordField });
const GONE =
	'This reset link is not valid: it may have been used already or be more than an hour old. Ask for a new one.';

export const load: PageServerLoad = async ({ params }) => {
	const reset = await findPasswordReset(await getDb(), params.token);
	if (!reset) error(410, GONE);
	return { email: reset.email };
};

export const actions: Actions = {
	default: async ({ params, request }) => {
		const parsed = parseForm(ResetSchema, await request.formData());
		if (!parsed.ok) return failure(400, { errors: parsed.errors });
		const db = await getDb();
		const reset = await findPasswordReset(db, params.token);
		if (!reset) error(410, GONE);
		const problem = passwordProblem(parsed.data.password, { email: reset.email, name: reset.name });
		if (problem) return failure(400, { errors: { password: problem } });
		const done = await inTransaction(db, (trx) =>
			consumePasswordReset(trx, params.token, parsed.data.password)
		);
		if (!done) error(410, GONE);
		redirect(303, '/login?reset=1');
	}
};
