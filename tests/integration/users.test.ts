import { describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import {
	createUser,
	EmailTakenError,
	findUserByEmail,
	listUsers,
	setUserRole
} from '../../src/lib/server/auth/users.ts';
import { verifyPassword } from '../../src/lib/server/auth/password.ts';
import { inTransaction } from '../../src/lib/server/db/index.ts';
import { testDb } from '../helpers/db.ts';
import { newUser, TEST_PASSWORD } from '../helpers/factories.ts';

describe('users', () => {
	test('sign-up stores an argon2id hash, never the password, and defaults to student', async () => {
		const db = await testDb();
		const user = await newUser(db, { email: 'New@Example.org' });
		expect(user.role).toBe('student');
		expect(user.email).toBe('new@example.org');
		const row = await db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow();
		expect(row.password_hash).toMatch(/^\$argon2id\$/);
		expect(row.password_hash).not.toContain(TEST_PASSWORD);
		expect(await verifyPassword(row.password_hash, TEST_PASSWORD)).toBe(true);
	});

	test('an email is taken whatever its case', async () => {
		const db = await testDb();
		await newUser(db, { email: 'dup@example.org' });
		// createUser itself, not the factory (which writes the row directly).
		await expect(
			createUser(db, { email: 'DUP@example.org', name: 'Dup', password: TEST_PASSWORD })
		).rejects.toBeInstanceOf(EmailTakenError);
	});

	test('search finds by name or email, pages, and counts in one query', async () => {
		const db = await testDb();
		await newUser(db, { name: 'Alice Archer', email: 'alice@example.org' });
		await newUser(db, { name: 'Bob Baker', email: 'bob@school.example' });
		await newUser(db, { name: 'Carol Archer', email: 'carol@example.org', role: 'instructor' });

		expect((await listUsers(db, { search: 'archer' })).users.map((u) => u.name)).toEqual([
			'Alice Archer',
			'Carol Archer'
		]);
		expect((await listUsers(db, { search: 'school' })).users.map((u) => u.name)).toEqual([
			'Bob Baker'
		]);
		expect((await listUsers(db, { role: 'instructor' })).total).toBe(1);
		const page = await listUsers(db, { limit: 2, offset: 2 });
		expect(page).toMatchObject({ total: 3, users: [{ name: 'Carol Archer' }] });
		// % and _ are searched for literally.
		expect((await listUsers(db, { search: '%' })).total).toBe(0);
	});

	test('role changes are saved', async () => {
		const db = await testDb();
		const user = await newUser(db);
		await setUserRole(db, user.id, 'instructor');
		expect((await findUserByEmail(db, user.email))?.role).toBe('instructor');
	});

	test('a failure in the middle of a transaction leaves nothing behind', async () => {
		const db = await testDb();
		await expect(
			inTransaction(db, async (trx) => {
				await createUser(trx, { email: 'half@example.org', name: 'Half', password: TEST_PASSWORD });
				await sql`select 1/0`.execute(trx);
			})
		).rejects.toThrow();
		expect(await findUserByEmail(db, 'half@example.org')).toBeUndefined();
	});
});
