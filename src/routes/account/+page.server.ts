import * as v from 'valibot';
import { getDb, inTransaction } from '$lib/server/db/index';
import { findPasswordHash, findUserById, renameUser, setPassword } from '$lib/server/auth/users';
import { passwordProblem, verifyPassword } from '$lib/server/auth/password';
import { finishLoginAttempt, startLoginAttempt } from '$lib/server/auth/rate-limit';
import { replaceSessions } from '$lib/server/web/auth-flow';
import { failure, parseForm } from '$lib/server/web/forms';
import { requireUser } from '$lib/server/web/guards';
import { nameField, passwordField } from '$lib/validation/schemas';
import type { Actions, PageServerLoad } from './$types';

const NameSchema = v.object({ name: nameField });
const PasswordSchema = v.object({
	current: v.pipe(v.string(), v.nonEmpty('Enter your current password.')),
	password: passwordField
});

export const load: PageServerLoad = async (event) => {
	const me = requireUser(event);
	const user = await findUserById(await getDb(), me.id);
	return {
		profile: user && {
			name: user.name,
			email: user.email,
			role: user.role,
			createdAt: user.createdAt
		}
	};
};

export const actions: Actions = {
	rename: async (event) => {
		const me = requireUser(event);
		const form = await event.request.formData();
		const parsed = parseForm(NameSchema, form);
		if (!parsed.ok) return failure(400, { action: 'rename', errors: parsed.errors, values: form });
		await renameUser(await getDb(), me.id, parsed.data.name);
		return { action: 'rename', saved: 'Your name was saved.' };
	},
	password: async (event) => {
		const me = requireUser(event);
		const form = await event.request.formData();
		// The current password field is named `current` (secret fields are never echoed back).
		const parsed = parseForm(PasswordSchema, form);
		if (!parsed.ok)
			return failure(400, {
				action: 'password',
				errors: parsed.errors
			});
		const db = await getDb();
		// Guessing the current password from an open session counts like failed logins, and is
		// counted before the check, so a burst of parallel guesses cannot slip under the limits.
		const throttle = { email: me.email, ip: event.getClientAddress() };
		const start = await startLoginAttempt(db, throttle);
		if (!start.ok) {
			const mins = Math.max(1, Math.ceil((start.retryAt.getTime() - Date.now()) / 60000));
			return failure(429, {
				action: 'password',
				errors: {
					current: `Too many wrong passwords. Try again in ${mins} minute${mins === 1 ? '' : 's'}.`
				}
			});
		}
		const hash = await findPasswordHash(db, me.id);
		const right = !!hash && (await verifyPassword(hash, parsed.data.current));
		await finishLoginAttempt(db, start.ticket, { ...throttle, succeeded: right });
		if (!right) {
			return failure(400, {
				action: 'password',
				errors: { current: 'That is not your current password.' }
			});
		}
		const problem = passwordProblem(parsed.data.password, { email: me.email, name: me.name });
		if (problem)
			return failure(400, {
				action: 'password',
				errors: { password: problem }
			});
		const setCookie = await inTransaction(db, async (trx) => {
			await setPassword(trx, me.id, parsed.data.password);
			return replaceSessions(trx, event, me.id);
		});
		setCookie();
		return {
			action: 'password',
			saved: 'Your password was changed. You were logged out everywhere else.'
		};
	}
};
