import { isIPv4, isIPv6 } from 'node:net';
import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import { LOGIN_LOCK_CLASS } from '../db/locks.ts';

// Every rate limit of the app is held in one table, `rate_limit_events`, so the limits hold across
// app instances: a row is one counted event (a failed login, a sign-up, a wrong join code) in a
// bucket (what is limited) for a key (an account, a client address, or both). A rule says how many
// events a key may have in a sliding window. Logins, sign-ups and join codes use it now; posting and
// flagging will add their own rules.

export interface RateRule {
	/** What is counted, e.g. `login-fail-pair`. */
	bucket: string;
	/** Events allowed in the window; the next one is refused until the oldest leaves the window. */
	max: number;
	windowMs: number;
}

/** How long the rows of a bucket are kept (the longest window anything reads them with). */
const retention = new Map<string, number>();

/** Declares a rule; its bucket's rows are pruned once they are older than its window. */
export function defineRule(rule: RateRule, keepMs: number = rule.windowMs): RateRule {
	retention.set(rule.bucket, Math.max(retention.get(rule.bucket) ?? 0, keepMs));
	return rule;
}

/** Rows of buckets no rule declares (say, of a removed feature) go after a day. */
const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;

const MINUTE = 60 * 1000;

/**
 * The key a client address is counted under. IPv4 addresses count one by one; IPv6 addresses per
 * /64, because one household or phone is handed a whole /64 and could otherwise rotate through
 * 2^64 addresses. IPv4-mapped IPv6 (`::ffff:192.0.2.1`, how a dual-stack socket reports IPv4)
 * counts as the IPv4 address. Anything unparseable is counted as given.
 */
export function addressKey(address: string): string {
	let a = address.trim().toLowerCase();
	if (a.startsWith('[') && a.includes(']')) a = a.slice(1, a.indexOf(']'));
	const zone = a.indexOf('%');
	if (zone >= 0) a = a.slice(0, zone);
	if (isIPv4(a)) return a;
	if (!isIPv6(a)) return address.trim().slice(0, 100);
	const groups = expandIPv6(a);
	// ::ffff:a.b.c.d (IPv4-mapped)
	if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
		return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
	}
	return `${groups
		.slice(0, 4)
		.map((g) => g.toString(16))
		.join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (which may end in a dotted IPv4 part). */
function expandIPv6(a: string): number[] {
	const lastColon = a.lastIndexOf(':');
	const last = a.slice(lastColon + 1);
	if (last.includes('.')) {
		const [p, q, r, s] = last.split('.').map(Number);
		a = `${a.slice(0, lastColon + 1)}${((p << 8) | q).toString(16)}:${((r << 8) | s).toString(16)}`;
	}
	const parse = (part: string) => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
	if (!a.includes('::')) return parse(a);
	const [head, rest] = a.split('::');
	const h = parse(head);
	const r = parse(rest);
	return [...h, ...new Array(8 - h.length - r.length).fill(0), ...r];
}

/** Counts one event of `rule` for `key`. */
export async function recordHit(
	db: Executor,
	rule: RateRule,
	key: string,
	now?: Date
): Promise<void> {
	await db
		.insertInto('rate_limit_events')
		.values({ bucket: rule.bucket, key, ...(now ? { created_at: now } : {}) })
		.execute();
}

/** Forgets the events of `rule` for `key` (a success clears its failures). */
export async function clearHits(db: Executor, rule: RateRule, key: string): Promise<void> {
	await db
		.deleteFrom('rate_limit_events')
		.where('bucket', '=', rule.bucket)
		.where('key', '=', key)
		.execute();
}

/**
 * The one check: for each (rule, key), whether the key has used up the rule's events in its window.
 * Returns the moment every one of them allows another event again, or undefined when none is used
 * up. One query whatever the number of rules: for each it reads the max-th most recent event in the
 * window; once that leaves the window, the key is below its limit again.
 */
export async function limitedUntil(
	db: Executor,
	checks: { rule: RateRule; key: string }[],
	now: Date = new Date()
): Promise<Date | undefined> {
	if (!checks.length) return undefined;
	const row = await db
		.selectNoFrom((eb) =>
			checks.map(({ rule, key }, i) =>
				eb
					.selectFrom('rate_limit_events')
					.select('created_at')
					.where('bucket', '=', rule.bucket)
					.where('key', '=', key)
					.where('created_at', '>', new Date(now.getTime() - rule.windowMs))
					.orderBy('created_at', 'desc')
					.offset(rule.max - 1)
					.limit(1)
					.as(`c${i}`)
			)
		)
		.executeTakeFirstOrThrow();
	let until: number | undefined;
	checks.forEach(({ rule }, i) => {
		const t = (row as Record<string, Date | string | null>)[`c${i}`];
		if (t == null) return;
		const free = new Date(t).getTime() + rule.windowMs;
		if (free > now.getTime()) until = Math.max(until ?? 0, free);
	});
	return until === undefined ? undefined : new Date(until);
}

/** How many events `key` has in the rule's window, and the latest of them. */
export async function recentHits(
	db: Executor,
	rule: RateRule,
	key: string,
	now: Date = new Date()
): Promise<{ count: number; last: Date | undefined }> {
	const row = await db
		.selectFrom('rate_limit_events')
		.select([sql<number>`count(*)::int`.as('n'), sql<Date | null>`max(created_at)`.as('last')])
		.where('bucket', '=', rule.bucket)
		.where('key', '=', key)
		.where('created_at', '>', new Date(now.getTime() - rule.windowMs))
		.executeTakeFirstOrThrow();
	return { count: Number(row.n), last: row.last ? new Date(row.last) : undefined };
}

/** Whether `key` has had an event of `rule` within its window (e.g. a past successful login). */
export async function hasHit(
	db: Executor,
	rule: RateRule,
	key: string,
	now: Date = new Date()
): Promise<boolean> {
	const row = await db
		.selectFrom('rate_limit_events')
		.select('id')
		.where('bucket', '=', rule.bucket)
		.where('key', '=', key)
		.where('created_at', '>', new Date(now.getTime() - rule.windowMs))
		.limit(1)
		.executeTakeFirst();
	return !!row;
}

/**
 * Deletes events no rule reads any more: older than their bucket's retention (a day for buckets no
 * rule declares). Run by the periodic job runner. Returns the number of rows deleted.
 */
export async function pruneRateLimitEvents(db: Executor, now: Date = new Date()): Promise<number> {
	let deleted = 0;
	for (const [bucket, keepMs] of retention) {
		const r = await db
			.deleteFrom('rate_limit_events')
			.where('bucket', '=', bucket)
			.where('created_at', '<', new Date(now.getTime() - keepMs))
			.executeTakeFirst();
		deleted += Number(r.numDeletedRows);
	}
	const known = [...retention.keys()];
	let others = db
		.deleteFrom('rate_limit_events')
		.where('created_at', '<', new Date(now.getTime() - DEFAULT_RETENTION_MS));
	if (known.length) others = others.where('bucket', 'not in', known);
	deleted += Number((await others.executeTakeFirst()).numDeletedRows);
	return deleted;
}

// ---- Logins -----------------------------------------------------------------------------------
//
// A stranger must not be able to lock an owner out, and guessing must stay impractical:
// - per (account, address): 10 failures in 15 minutes, then that address waits for that account;
// - per address: 300 failures in 15 minutes (a whole school shares one address);
// - per account, from any address: after 10 failures in 15 minutes each further attempt waits for
//   a cooldown after the account's latest failure that doubles per failure (2 s, 4 s, … at most
//   5 minutes). Attempts refused during a cooldown are not checked and not counted, so the account
//   sees at most one guess per cooldown however many addresses guess. An address this account
//   logged in from successfully in the last 90 days is exempt from the cooldown (not from the
//   other two limits), so the owner logs in during an attack from their usual places, and from a
//   new place waits at most a few minutes.

export const LOGIN_RULES = {
	pair: defineRule({ bucket: 'login-fail-pair', max: 10, windowMs: 15 * MINUTE }),
	address: defineRule({ bucket: 'login-fail-address', max: 300, windowMs: 15 * MINUTE }),
	account: defineRule({ bucket: 'login-fail-account', max: 10, windowMs: 15 * MINUTE }),
	known: defineRule({ bucket: 'login-ok', max: 1, windowMs: 90 * 24 * 60 * MINUTE })
};
export type LoginRules = typeof LOGIN_RULES;

/** The account cooldown after `failures` recent failures (none below the rule's max). */
export function accountCooldownMs(
	failures: number,
	free: number = LOGIN_RULES.account.max
): number {
	if (failures < free) return 0;
	return Math.min(2 ** (failures - free + 1) * 1000, 5 * MINUTE);
}

const pairKey = (email: string, ip: string) => `${email} ${addressKey(ip)}`;

/**
 * When this login may be tried again, or undefined when it may be tried now. `email` is normalised.
 */
export async function loginBlockedUntil(
	db: Executor,
	key: { email: string; ip: string },
	rules: LoginRules = LOGIN_RULES,
	now: Date = new Date()
): Promise<Date | undefined> {
	const limited = await limitedUntil(
		db,
		[
			{ rule: rules.pair, key: pairKey(key.email, key.ip) },
			{ rule: rules.address, key: addressKey(key.ip) }
		],
		now
	);
	if (limited) return limited;
	const { count, last } = await recentHits(db, rules.account, key.email, now);
	const cooldown = accountCooldownMs(count, rules.account.max);
	if (!cooldown || !last) return undefined;
	const free = last.getTime() + cooldown;
	if (free <= now.getTime()) return undefined;
	if (await hasHit(db, rules.known, pairKey(key.email, key.ip), now)) return undefined;
	return new Date(free);
}

/** Counts a login (or a current-password check). A success marks the address as known. */
export async function recordLoginAttempt(
	db: Executor,
	attempt: { email: string; ip: string; succeeded: boolean },
	rules: LoginRules = LOGIN_RULES
): Promise<void> {
	const pair = pairKey(attempt.email, attempt.ip);
	if (attempt.succeeded) {
		await clearHits(db, rules.pair, pair);
		await clearHits(db, rules.known, pair);
		await recordHit(db, rules.known, pair);
		return;
	}
	await db
		.insertInto('rate_limit_events')
		.values([
			{ bucket: rules.pair.bucket, key: pair },
			{ bucket: rules.address.bucket, key: addressKey(attempt.ip) },
			{ bucket: rules.account.bucket, key: attempt.email }
		])
		.execute();
}

/** A login attempt that passed the limits; its failure events are already counted. */
export interface LoginTicket {
	ids: string[];
}

type Admission = { ok: true; ticket: LoginTicket } | { ok: false; retryAt: Date };

/**
 * Admits a login attempt or refuses it with the time to retry. Its failure events are counted
 * first and the limits checked against the events up to it (in id order), so attempts arriving at
 * once cannot all slip under a limit before any of them is counted: the eleventh of a burst finds
 * ten before it. A refused attempt's events are taken back (refusals are not counted). Call
 * `finishLoginAttempt` with the outcome.
 *
 * Attempts on one account are admitted one at a time, under a transaction-level advisory lock on
 * the account (held for the few statements of the count, not for the password check): each
 * attempt is counted in three buckets, and concurrent inserts could otherwise order a burst
 * differently in each, so that the tenth in one bucket is the eleventh in another and a burst of
 * 40 admitted only 9 and left the account below its limit.
 */
export async function startLoginAttempt(
	db: Executor,
	key: { email: string; ip: string },
	rules: LoginRules = LOGIN_RULES,
	now: Date = new Date()
): Promise<Admission> {
	const admit = async (trx: Executor) => {
		await sql`select pg_advisory_xact_lock(${LOGIN_LOCK_CLASS}::int, hashtext(${key.email}))`.execute(
			trx
		);
		return admitLoginAttempt(trx, key, rules, now);
	};
	return db.isTransaction ? admit(db) : db.transaction().execute(admit);
}

async function admitLoginAttempt(
	db: Executor,
	key: { email: string; ip: string },
	rules: LoginRules,
	now: Date
): Promise<Admission> {
	const before = await loginBlockedUntil(db, key, rules, now);
	if (before) return { ok: false, retryAt: before };
	const pair = pairKey(key.email, key.ip);
	const address = addressKey(key.ip);
	const rows = await db
		.insertInto('rate_limit_events')
		.values([
			{ bucket: rules.pair.bucket, key: pair },
			{ bucket: rules.address.bucket, key: address },
			{ bucket: rules.account.bucket, key: key.email }
		])
		.returning(['id', 'bucket'])
		.execute();
	const idOf = (bucket: string) => rows.find((r) => r.bucket === bucket)!.id;
	const since = (rule: RateRule) => new Date(now.getTime() - rule.windowMs - 1000);
	const upTo = (rule: RateRule, k: string, strict = false) =>
		sql`bucket = ${rule.bucket} and key = ${k} and created_at > ${since(rule)} and id ${sql.raw(
			strict ? '<' : '<='
		)} ${idOf(rule.bucket)}`;
	const row = await db
		.selectFrom('rate_limit_events')
		.select([
			sql<number>`count(*) filter (where ${upTo(rules.pair, pair)})::int`.as('pairN'),
			sql<number>`count(*) filter (where ${upTo(rules.address, address)})::int`.as('addressN'),
			sql<number>`count(*) filter (where ${upTo(rules.account, key.email)})::int`.as('accountN'),
			sql<Date | null>`max(created_at) filter (where ${upTo(rules.account, key.email, true)})`.as(
				'accountPrev'
			)
		])
		.where('bucket', 'in', [rules.pair.bucket, rules.address.bucket, rules.account.bucket])
		.where('key', 'in', [pair, address, key.email])
		.executeTakeFirstOrThrow();
	const ids = rows.map((r) => r.id);
	const takeBack = async (retryAt: Date) => {
		await db.deleteFrom('rate_limit_events').where('id', 'in', ids).execute();
		return { ok: false as const, retryAt };
	};
	if (row.pairN > rules.pair.max || row.addressN > rules.address.max) {
		await db.deleteFrom('rate_limit_events').where('id', 'in', ids).execute();
		const retryAt = await loginBlockedUntil(db, key, rules, now);
		return { ok: false, retryAt: retryAt ?? new Date(now.getTime() + 1000) };
	}
	const cooldown = accountCooldownMs(row.accountN - 1, rules.account.max);
	if (cooldown && row.accountPrev) {
		const free = new Date(row.accountPrev).getTime() + cooldown;
		if (free > now.getTime() && !(await hasHit(db, rules.known, pair, now))) {
			return takeBack(new Date(free));
		}
	}
	return { ok: true, ticket: { ids } };
}

/** Records the outcome of an admitted attempt: a success takes its failure events back. */
export async function finishLoginAttempt(
	db: Executor,
	ticket: LoginTicket,
	attempt: { email: string; ip: string; succeeded: boolean },
	rules: LoginRules = LOGIN_RULES
): Promise<void> {
	if (!attempt.succeeded) return;
	await db.deleteFrom('rate_limit_events').where('id', 'in', ticket.ids).execute();
	await recordLoginAttempt(db, attempt, rules);
}

// ---- Sign-ups ---------------------------------------------------------------------------------

// A whole class signs up at once from one school address, so the limit is generous: it is there
// to stop scripted account creation (an argon2 hash each), not people.
export const SIGNUP_RULE = defineRule({ bucket: 'signup-address', max: 60, windowMs: 10 * MINUTE });

/** When the address has made too many accounts lately, the time it may sign up again. */
export async function signupBlockedUntil(
	db: Executor,
	ip: string,
	rule: RateRule = SIGNUP_RULE,
	now: Date = new Date()
): Promise<Date | undefined> {
	return limitedUntil(db, [{ rule, key: addressKey(ip) }], now);
}

export async function recordSignup(db: Executor, ip: string): Promise<void> {
	await recordHit(db, SIGNUP_RULE, addressKey(ip));
}

// ---- Join codes -------------------------------------------------------------------------------

// Only wrong codes posted to the join form count (opening a /join/<code> link never does, so
// nobody can lock a student or a school out by making them visit links). Sized for a school behind
// one address: 300 wrong codes per address and 10 per user in 15 minutes. Looking up an unknown
// code through a link counts in its own, larger per-user budget, so links cannot be used to probe
// for codes either; it never blocks joining.
export const JOIN_RULES = {
	perUser: defineRule({ bucket: 'join-fail-user', max: 10, windowMs: 15 * MINUTE }),
	perAddress: defineRule({ bucket: 'join-fail-address', max: 300, windowMs: 15 * MINUTE }),
	lookupPerUser: defineRule({ bucket: 'join-lookup-user', max: 100, windowMs: 15 * MINUTE })
};

export function joinBlockedUntil(
	db: Executor,
	key: { userId: number; ip: string },
	now: Date = new Date()
): Promise<Date | undefined> {
	return limitedUntil(
		db,
		[
			{ rule: JOIN_RULES.perUser, key: String(key.userId) },
			{ rule: JOIN_RULES.perAddress, key: addressKey(key.ip) }
		],
		now
	);
}

export async function recordJoinFailure(
	db: Executor,
	key: { userId: number; ip: string }
): Promise<void> {
	await db
		.insertInto('rate_limit_events')
		.values([
			{ bucket: JOIN_RULES.perUser.bucket, key: String(key.userId) },
			{ bucket: JOIN_RULES.perAddress.bucket, key: addressKey(key.ip) }
		])
		.execute();
}

export function joinLookupBlockedUntil(
	db: Executor,
	userId: number,
	now: Date = new Date()
): Promise<Date | undefined> {
	return limitedUntil(db, [{ rule: JOIN_RULES.lookupPerUser, key: String(userId) }], now);
}

export async function recordJoinLookupMiss(db: Executor, userId: number): Promise<void> {
	await recordHit(db, JOIN_RULES.lookupPerUser, String(userId));
}
