import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';

// Failed logins are counted in Postgres so the limits hold across app instances. Per account the
// limit is tight (guessing one password); per address it is looser, because a whole school can
// share one address.
export interface ThrottleRule {
	maxFailures: number;
	windowMs: number;
}

export const ACCOUNT_RULE: ThrottleRule = { maxFailures: 10, windowMs: 15 * 60 * 1000 };
export const ADDRESS_RULE: ThrottleRule = { maxFailures: 100, windowMs: 15 * 60 * 1000 };

export async function recordLoginAttempt(
	db: Executor,
	attempt: { email: string; ip: string; succeeded: boolean }
): Promise<void> {
	await db.insertInto('login_attempts').values(attempt).execute();
}

/**
 * When the account or the address has used up its failures, the time it may try again; undefined
 * otherwise. A success for the account clears its count (not the address's). One query.
 */
export async function loginBlockedUntil(
	db: Executor,
	key: { email: string; ip: string },
	rules: { account: ThrottleRule; address: ThrottleRule } = {
		account: ACCOUNT_RULE,
		address: ADDRESS_RULE
	},
	now: Date = new Date()
): Promise<Date | undefined> {
	const accountSince = new Date(now.getTime() - rules.account.windowMs);
	const addressSince = new Date(now.getTime() - rules.address.windowMs);
	const row = await db
		.selectNoFrom((eb) => [
			eb
				.selectFrom('login_attempts')
				.select(sql<number>`count(*)::int`.as('n'))
				.where('email', '=', key.email)
				.where('succeeded', '=', false)
				.where('created_at', '>', accountSince)
				.where(({ eb: e, selectFrom }) =>
					e(
						'created_at',
						'>',
						selectFrom('login_attempts as s')
							.select(sql<Date>`coalesce(max(s.created_at), '-infinity'::timestamptz)`.as('t'))
							.where('s.email', '=', key.email)
							.where('s.succeeded', '=', true)
					)
				)
				.as('account_failures'),
			eb
				.selectFrom('login_attempts')
				.select((e) => e.fn.max('created_at').as('t'))
				.where('email', '=', key.email)
				.where('succeeded', '=', false)
				.where('created_at', '>', accountSince)
				.as('account_last'),
			eb
				.selectFrom('login_attempts')
				.select(sql<number>`count(*)::int`.as('n'))
				.where('ip', '=', key.ip)
				.where('succeeded', '=', false)
				.where('created_at', '>', addressSince)
				.as('address_failures'),
			eb
				.selectFrom('login_attempts')
				.select((e) => e.fn.max('created_at').as('t'))
				.where('ip', '=', key.ip)
				.where('succeeded', '=', false)
				.where('created_at', '>', addressSince)
				.as('address_last')
		])
		.executeTakeFirstOrThrow();
	const until: Date[] = [];
	if (Number(row.account_failures) >= rules.account.maxFailures && row.account_last) {
		until.push(new Date(new Date(row.account_last as Date).getTime() + rules.account.windowMs));
	}
	if (Number(row.address_failures) >= rules.address.maxFailures && row.address_last) {
		until.push(new Date(new Date(row.address_last as Date).getTime() + rules.address.windowMs));
	}
	if (!until.length) return undefined;
	return new Date(Math.max(...until.map((d) => d.getTime())));
}

/** Old attempts are only evidence for the window; this keeps the table small. */
export async function pruneLoginAttempts(db: Executor, olderThan: Date): Promise<void> {
	await db.deleteFrom('login_attempts').where('created_at', '<', olderThan).execute();
}

// A whole class signs up at once from one school address, so the limit is generous: it is there
// to stop scripted account creation, not people.
export const SIGNUP_RULE: ThrottleRule = { maxFailures: 60, windowMs: 10 * 60 * 1000 };

/** When the address has made too many accounts lately, the time it may sign up again. */
export async function signupBlockedUntil(
	db: Executor,
	ip: string,
	rule: ThrottleRule = SIGNUP_RULE,
	now: Date = new Date()
): Promise<Date | undefined> {
	const row = await db
		.selectFrom('signup_attempts')
		.select([sql<number>`count(*)::int`.as('n'), sql<Date | null>`min(created_at)`.as('first')])
		.where('ip', '=', ip)
		.where('created_at', '>', new Date(now.getTime() - rule.windowMs))
		.executeTakeFirstOrThrow();
	if (row.n < rule.maxFailures || !row.first) return undefined;
	return new Date(new Date(row.first).getTime() + rule.windowMs);
}

export async function recordSignup(db: Executor, ip: string): Promise<void> {
	await db.insertInto('signup_attempts').values({ ip }).execute();
}
