import { describe, expect, test } from 'vitest';
import {
	consumePasswordReset,
	createPasswordReset,
	findPasswordReset
} from '../../src/lib/server/auth/password-reset.ts';
import { checkLogin } from '../../src/lib/server/auth/login.ts';
import {
	createSession,
	generateSessionToken,
	validateSessionToken
} from '../../src/lib/server/auth/session.ts';
import { hashToken } from '../../src/lib/server/auth/tokens.ts';
import { testDb } from '../helpers/db.ts';
import { newUser } from '../helpers/factories.ts';

describe('password reset links', () => {
	test('a link sets a new password once, ends sessions, and is stored only as a hash', async () => {
		const db = await testDb();
		const admin = await newUser(db, { role: 'admin' });
		const user = await newUser(db);
		const session = generateSessionToken();
		await createSession(db, session, user.id);

		const { token, expiresAt } = await createPasswordReset(db, user.id, admin.id);
		expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(59 * 60000);
		const stored = await db.selectFrom('password_resets').select('id').executeTakeFirstOrThrow();
		expect(stored.id).toBe(hashToken(token));
		expect((await findPasswordReset(db, token))?.userId).toBe(user.id);

		expect(await consumePasswordReset(db, token, 'a brand new secret')).toBe(user.id);
		expect(await validateSessionToken(db, session)).toBeNull();
		expect(
			(await checkLogin(db, { email: user.email, password: 'a brand new secret', ip: '::1' })).ok
		).toBe(true);

		expect(await consumePasswordReset(db, token, 'another new secret')).toBe(false);
		expect(await findPasswordReset(db, token)).toBeUndefined();
	});

	test('an expired link does nothing, and a newer link replaces an older one', async () => {
		const db = await testDb();
		const user = await newUser(db);
		const first = await createPasswordReset(db, user.id, null);
		const second = await createPasswordReset(db, user.id, null);
		expect(await findPasswordReset(db, first.token)).toBeUndefined();

		await db
			.updateTable('password_resets')
			.set({ expires_at: new Date(Date.now() - 1000) })
			.execute();
		expect(await consumePasswordReset(db, second.token, 'a brand new secret')).toBe(false);
	});
});
