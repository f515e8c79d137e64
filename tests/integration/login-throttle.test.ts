import { describe, expect, test } from 'vitest';
import { checkLogin } from '../../src/lib/server/auth/login.ts';
import { recordSignup, signupBlockedUntil } from '../../src/lib/server/auth/rate-limit.ts';
import { setUserDisabled } from '../../src/lib/server/auth/users.ts';
import { testDb } from '../helpers/db.ts';
import { newUser, TEST_PASSWORD } from '../helpers/factories.ts';

const ip = '203.0.113.7';

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

	test('ten failures lock the account for 15 minutes, even for the right password', async () => {
		const db = await testDb();
		await newUser(db, { email: 'target@example.org' });
		for (let i = 0; i < 10; i++) {
			const r = await checkLogin(db, { email: 'target@example.org', password: `guess ${i}`, ip });
			expect(r).toEqual({ ok: false, reason: 'invalid' });
		}
		const locked = await checkLogin(db, {
			email: 'target@example.org',
			password: TEST_PASSWORD,
			ip: '198.51.100.1'
		});
		expect(locked.ok).toBe(false);
		if (locked.ok || locked.reason !== 'throttled') throw new Error('expected throttled');
		const mins = (locked.retryAt.getTime() - Date.now()) / 60000;
		expect(mins).toBeGreaterThan(14);
		expect(mins).toBeLessThanOrEqual(15);

		// Once the failures are older than the window, the right password works again.
		await db
			.updateTable('login_attempts')
			.set({ created_at: new Date(Date.now() - 16 * 60000) })
			.execute();
		expect(
			(await checkLogin(db, { email: 'target@example.org', password: TEST_PASSWORD, ip })).ok
		).toBe(true);
	});

	test('a success clears the account count', async () => {
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
		const rules = {
			account: { maxFailures: 10, windowMs: 15 * 60000 },
			address: { maxFailures: 5, windowMs: 15 * 60000 }
		};
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
});

describe('signing up', () => {
	test('many new accounts from one address are held back for a while; other addresses are not', async () => {
		const db = await testDb();
		const rule = { maxFailures: 3, windowMs: 10 * 60000 };
		for (let i = 0; i < 3; i++) {
			expect(await signupBlockedUntil(db, ip, rule)).toBeUndefined();
			await recordSignup(db, ip);
		}
		const until = await signupBlockedUntil(db, ip, rule);
		expect(until!.getTime()).toBeGreaterThan(Date.now() + 9 * 60000);
		expect(await signupBlockedUntil(db, '192.0.2.77', rule)).toBeUndefined();
		await db
			.updateTable('signup_attempts')
			.set({ created_at: new Date(Date.now() - 11 * 60000) })
			.execute();
		expect(await signupBlockedUntil(db, ip, rule)).toBeUndefined();
	});
});
