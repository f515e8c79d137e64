import { describe, expect, test } from 'vitest';
import { checkLogin } from '../../src/lib/server/auth/login.ts';
import {
	LOGIN_RULES,
	recordSignup,
	SIGNUP_RULE,
	signupBlockedUntil
} from '../../src/lib/server/auth/rate-limit.ts';
import { setUserDisabled } from '../../src/lib/server/auth/users.ts';
import { sql } from 'kysely';
import { testDb, testHandle } from '../helpers/db.ts';
import { fakeEvent, outcome } from '../helpers/kit.ts';
import { useDatabase } from '../../src/lib/server/db/index.ts';
import { actions as signupActions } from '../../src/routes/signup/+page.server.ts';
import { newUser, TEST_PASSWORD } from '../helpers/factories.ts';
import type { Db } from '../../src/lib/server/db/index.ts';

const ip = '203.0.113.7';

/** Moves every counted event `ms` into the past, as if that time had gone by. */
async function ageEvents(db: Db, ms: number) {
	await db
		.updateTable('rate_limit_events')
		.set({ created_at: sql`created_at - ${`${ms} milliseconds`}::interval` })
		.execute();
}

describe('logging in', () => {
	test('right password logs in; email case and spaces do not matter', async () => {
		const db = await testDb();
		const user = await newUser(db, { email: 'Mira@Example.org' });
		const r = await checkLogin(db, { email: '  MIRA@example.ORG ', password: TEST_PASSWORD, ip });
		expect(r).toMatchObject({ ok: true, user: { id: user.id } });
	});

	test('unknown email, wrong password and a disabled account get the same answer', async () => {
		const db = await testDb();
		const user = await newUser(db, { email: 'off@example.org' });
		await newUser(db, { email: 'on@example.org' });
		await setUserDisabled(db, user.id, true);
		const answers = await Promise.all([
			checkLogin(db, { email: 'nobody@example.org', password: TEST_PASSWORD, ip }),
			checkLogin(db, { email: 'on@example.org', password: 'wrong password', ip }),
			checkLogin(db, { email: 'off@example.org', password: TEST_PASSWORD, ip })
		]);
		expect(answers).toEqual([
			{ ok: false, reason: 'invalid' },
			{ ok: false, reason: 'invalid' },
			{ ok: false, reason: 'invalid' }
		]);
	});

	test('one address guessing one account is throttled for 15 minutes, even with the right password', async () => {
		const db = await testDb();
		await newUser(db, { email: 'target@example.org' });
		for (let i = 0; i < 10; i++) {
			const r = await checkLogin(db, { email: 'target@example.org', password: `guess ${i}`, ip });
			expect(r).toEqual({ ok: false, reason: 'invalid' });
		}
		const locked = await checkLogin(db, {
			email: 'target@example.org',
			password: TEST_PASSWORD,
			ip
		});
		if (locked.ok || locked.reason !== 'throttled') throw new Error('expected throttled');
		const mins = (locked.retryAt.getTime() - Date.now()) / 60000;
		expect(mins).toBeGreaterThan(14);
		expect(mins).toBeLessThanOrEqual(15);

		// Once the failures are older than the window, the right password works again.
		await ageEvents(db, 16 * 60000);
		expect(
			(await checkLogin(db, { email: 'target@example.org', password: TEST_PASSWORD, ip })).ok
		).toBe(true);
	});

	test("the owner still logs in after a stranger's many failures from another address", async () => {
		const db = await testDb();
		await newUser(db, { email: 'owner@example.org' });
		const home = '198.51.100.20';
		expect(
			(await checkLogin(db, { email: 'owner@example.org', password: TEST_PASSWORD, ip: home })).ok
		).toBe(true);
		// A stranger guesses 15 times from elsewhere (the first 10 are checked, then the account
		// cooldown holds them back).
		for (let i = 0; i < 15; i++) {
			await checkLogin(db, { email: 'owner@example.org', password: `guess ${i}`, ip });
		}
		const stranger = await checkLogin(db, {
			email: 'owner@example.org',
			password: 'guess again',
			ip
		});
		expect(stranger).toMatchObject({ ok: false, reason: 'throttled' });
		// From the address the owner logged in from before: straight in.
		const owner = await checkLogin(db, {
			email: 'owner@example.org',
			password: TEST_PASSWORD,
			ip: home
		});
		expect(owner.ok).toBe(true);
		// From a new address the owner waits seconds, not 15 minutes.
		const phone = '2001:db8:1:2::99';
		const slowed = await checkLogin(db, {
			email: 'owner@example.org',
			password: TEST_PASSWORD,
			ip: phone
		});
		if (slowed.ok || slowed.reason !== 'throttled') throw new Error('expected the cooldown');
		expect(slowed.retryAt.getTime() - Date.now()).toBeLessThanOrEqual(5 * 60000);
		await ageEvents(db, 10 * 1000);
		expect(
			(await checkLogin(db, { email: 'owner@example.org', password: TEST_PASSWORD, ip: phone })).ok
		).toBe(true);
	});

	test('many addresses guessing one account are slowed to one guess per cooldown', async () => {
		const db = await testDb();
		await newUser(db, { email: 'sprayed@example.org' });
		let checked = 0;
		let throttled = 0;
		for (let i = 0; i < 60; i++) {
			const r = await checkLogin(db, {
				email: 'sprayed@example.org',
				password: `guess ${i}`,
				ip: `203.0.113.${i + 1}`
			});
			if (r.ok) throw new Error('a guess got in');
			if (r.reason === 'invalid') checked++;
			else throttled++;
		}
		// Ten guesses are checked at full speed; after that one per cooldown (two seconds and up).
		expect(checked).toBe(10);
		expect(throttled).toBeGreaterThanOrEqual(49);
		// The cooldown doubles with each checked failure, up to five minutes: at most ~12 guesses
		// an hour once it is at its ceiling, whatever the number of addresses.
		for (let n = 10; n < 30; n++) {
			await db
				.insertInto('rate_limit_events')
				.values({ bucket: 'login-fail-account', key: 'sprayed@example.org' })
				.execute();
		}
		const r = await checkLogin(db, {
			email: 'sprayed@example.org',
			password: 'one more',
			ip: '192.0.2.200'
		});
		if (r.ok || r.reason !== 'throttled') throw new Error('expected throttled');
		expect(r.retryAt.getTime() - Date.now()).toBeGreaterThan(4.9 * 60000);
	});

	test('guesses arriving all at once cannot slip under the limits', async () => {
		const db = await testDb();
		await newUser(db, { email: 'burst@example.org' });
		const results = await Promise.all(
			Array.from({ length: 40 }, (_, i) =>
				checkLogin(db, {
					email: 'burst@example.org',
					password: `guess ${i}`,
					ip: `198.51.100.${i + 1}`
				})
			)
		);
		const checked = results.filter((r) => !r.ok && r.reason === 'invalid').length;
		expect(checked).toBe(10);
		expect(results.some((r) => r.ok)).toBe(false);
		// Refused attempts were not counted: the account has only the checked failures.
		const { n } = await db
			.selectFrom('rate_limit_events')
			.select(sql<number>`count(*)::int`.as('n'))
			.where('bucket', '=', 'login-fail-account')
			.executeTakeFirstOrThrow();
		expect(n).toBe(checked);
	});

	test('a success clears the count of that address for the account', async () => {
		const db = await testDb();
		await newUser(db, { email: 'typo@example.org' });
		for (let i = 0; i < 9; i++)
			await checkLogin(db, { email: 'typo@example.org', password: 'nope nope', ip });
		expect(
			(await checkLogin(db, { email: 'typo@example.org', password: TEST_PASSWORD, ip })).ok
		).toBe(true);
		for (let i = 0; i < 9; i++)
			await checkLogin(db, { email: 'typo@example.org', password: 'nope nope', ip });
		expect(
			(await checkLogin(db, { email: 'typo@example.org', password: TEST_PASSWORD, ip })).ok
		).toBe(true);
	});

	test('an address that fails across many accounts is throttled as well', async () => {
		const db = await testDb();
		await newUser(db, { email: 'real@example.org' });
		const rules = { ...LOGIN_RULES, address: { ...LOGIN_RULES.address, max: 5 } };
		for (let i = 0; i < 5; i++) {
			await checkLogin(db, { email: `spray${i}@example.org`, password: 'whatever1', ip }, rules);
		}
		const r = await checkLogin(
			db,
			{ email: 'real@example.org', password: TEST_PASSWORD, ip },
			rules
		);
		expect(r).toMatchObject({ ok: false, reason: 'throttled' });
		const elsewhere = await checkLogin(
			db,
			{ email: 'real@example.org', password: TEST_PASSWORD, ip: '192.0.2.55' },
			rules
		);
		expect(elsewhere.ok).toBe(true);
	});

	test('IPv6 addresses of one /64 count as one address', async () => {
		const db = await testDb();
		await newUser(db, { email: 'six@example.org' });
		for (let i = 0; i < 10; i++) {
			await checkLogin(db, {
				email: 'six@example.org',
				password: `guess ${i}`,
				ip: `2001:db8:aa:bb::${(i + 1).toString(16)}`
			});
		}
		const r = await checkLogin(db, {
			email: 'six@example.org',
			password: TEST_PASSWORD,
			ip: '2001:db8:aa:bb:ffff::1'
		});
		if (r.ok || r.reason !== 'throttled') throw new Error('expected throttled');
		expect(r.retryAt.getTime() - Date.now()).toBeGreaterThan(14 * 60000);
	});
});

describe('signing up', () => {
	test('many new accounts from one address are held back for a while; other addresses are not', async () => {
		const db = await testDb();
		const rule = { ...SIGNUP_RULE, max: 3 };
		for (let i = 0; i < 3; i++) {
			expect(await signupBlockedUntil(db, ip, rule)).toBeUndefined();
			await recordSignup(db, ip);
		}
		const until = await signupBlockedUntil(db, ip, rule);
		expect(until!.getTime()).toBeGreaterThan(Date.now() + 9 * 60000);
		expect(await signupBlockedUntil(db, '192.0.2.77', rule)).toBeUndefined();
		await ageEvents(db, 11 * 60000);
		expect(await signupBlockedUntil(db, ip, rule)).toBeUndefined();
	});
});

describe('signing up marks the address as the owner’s', () => {
	test('the owner logs in from where they signed up while a stranger is guessing', async () => {
		useDatabase(await testHandle());
		const db = await testDb();
		const home = '192.0.2.80';
		const signedUp = await outcome(
			signupActions.default,
			fakeEvent({
				user: null,
				path: '/signup',
				ip: home,
				form: { name: 'Nia New', email: 'nia@example.org', password: 'a fine long passphrase' }
			})
		);
		expect(signedUp.outcome).toBe(303);
		for (let i = 0; i < 12; i++) {
			await checkLogin(db, { email: 'nia@example.org', password: `guess ${i}`, ip });
		}
		expect(
			(await checkLogin(db, { email: 'nia@example.org', password: 'guess', ip: '192.0.2.81' })).ok
		).toBe(false);
		const r = await checkLogin(db, {
			email: 'nia@example.org',
			password: 'a fine long passphrase',
			ip: home
		});
		expect(r.ok).toBe(true);
	});
});
