import type { Executor } from '../db/index.ts';
import { burnVerifyTime, verifyPassword } from './password.ts';
import { finishLoginAttempt, startLoginAttempt, type LoginRules } from './rate-limit.ts';
import { findCredentials, normaliseEmail, type User } from './users.ts';

export type LoginResult =
	| { ok: true; user: User }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAt: Date };

/**
 * Checks a login, within the limits of auth/rate-limit.ts (per account and address, per address, and
 * a per-account cooldown that a previously successful address skips). Unknown email, wrong password and disabled account give the same answer (and take
 * the same time), so the form does not reveal which emails have accounts.
 */
export async function checkLogin(
	db: Executor,
	input: { email: string; password: string; ip: string },
	rules?: LoginRules
): Promise<LoginResult> {
	const email = normaliseEmail(input.email);
	const start = await startLoginAttempt(db, { email, ip: input.ip }, rules);
	if (!start.ok) return { ok: false, reason: 'throttled', retryAt: start.retryAt };

	const found = await findCredentials(db, email);
	let valid = false;
	if (found) valid = await verifyPassword(found.passwordHash, input.password);
	else await burnVerifyTime(input.password);
	const ok = valid && !!found && !found.user.disabled;

	await finishLoginAttempt(db, start.ticket, { email, ip: input.ip, succeeded: ok }, rules);
	return ok ? { ok: true, user: found!.user } : { ok: false, reason: 'invalid' };
}
