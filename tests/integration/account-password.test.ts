import { describe, expect, test } from 'vitest';
import { useDatabase } from '../../src/lib/server/db/index.ts';
import { actions } from '../../src/routes/account/+page.server.ts';
import { asSessionUser, fakeEvent } from '../helpers/kit.ts';
import { testDb, testHandle } from '../helpers/db.ts';
import { newUser, TEST_PASSWORD } from '../helpers/factories.ts';

type Outcome = { status?: number; data?: { errors?: Record<string, string> } };
const changePassword = actions.password as (e: unknown) => Promise<Outcome>;

describe('changing the password from an open session', () => {
	test('guesses of the current password are counted before they are checked: a burst of 40 gets exactly 10 checks', async () => {
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
		// Exactly the limit: attempts on one account are admitted one at a time (before that lock,
		// PostgreSQL sometimes admitted 9 of a burst and left the account below its limit).
		expect(checked.length).toBe(10);
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
