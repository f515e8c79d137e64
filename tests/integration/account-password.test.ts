import { describe, expect, test } from 'vitest';
import { useDatabase } from '../../src/lib/server/db/index.ts';
import { actions } from '../../src/routes/account/+page.server.ts';
import { asSessionUser, fakeEvent } from '../helpers/kit.ts';
import { testDb, testHandle } from '../helpers/db.ts';
import { newUser, TEST_PASSWORD } from '../helpers/factories.ts';

type Outcome = { status?: number; data?: { errors?: Record<string, string> } };
const changePassword = actions.password as (e: unknown) => Promise<Outcome>;

describe('changing the password from an open session', () => {
	test('guesses of the current password are counted before they are checked: a burst of 40 gets at most 11 checks', async () => {
		useDatabase(await testHandle());
		const db = await testDb();
		const user = asSessionUser(await newUser(db));
		const guess = () =>
			changePassword(
				fakeEvent({
					user,
					path: '/account',
					ip: '198.51.100.7',
					form: { current: 'not my password', password: 'a brand new passphrase 42' }
				})
			);
		const results = await Promise.all(Array.from({ length: 40 }, guess));
		const checked = results.filter((r) => r.status === 400);
		const refused = results.filter((r) => r.status === 429);
		expect(checked.length + refused.length).toBe(40);
		// At most the limit of 10 are checked, plus one whose count fell when a refused attempt took
		// its events back. Not always 10: each attempt is counted in the account+address and in the
		// account bucket, and concurrent inserts can order the attempts differently in the two, so
		// an attempt tenth in one can be eleventh in the other and wait (seen on PostgreSQL).
		expect(checked.length).toBeGreaterThan(0);
		expect(checked.length).toBeLessThanOrEqual(11);
		expect(refused[0].data?.errors?.current).toMatch(/^Too many wrong passwords\. Try again in/);

		// Once the limit is reached even the right password waits: the session holder is the guesser.
		const right = await changePassword(
			fakeEvent({
				user,
				path: '/account',
				ip: '198.51.100.7',
				form: { current: TEST_PASSWORD, password: 'a brand new passphrase 42' }
			})
		);
		expect(right.status).toBe(429);
	});
});
