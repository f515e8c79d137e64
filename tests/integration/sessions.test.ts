import { describe, expect, test } from 'vitest';
import {
	createSession,
	generateSessionToken,
	invalidateSession,
	invalidateUserSessions,
	SESSION_LIFETIME_MS,
	validateSessionToken
} from '../../src/lib/server/auth/session.ts';
import { hashToken } from '../../src/lib/server/auth/tokens.ts';
import { setUserDisabled } from '../../src/lib/server/auth/users.ts';
import { testDb } from '../helpers/db.ts';
import { newClass, newCourse, newMember, newUser } from '../helpers/factories.ts';
import { unreadNotificationCount } from '../../src/lib/server/discussion/notifications.ts';
import { findClassForViewer } from '../../src/lib/server/classes/classes.ts';

describe('sessions', () => {
	test('a new session validates to its user, and only the token hash is stored', async () => {
		const db = await testDb();
		const user = await newUser(db, { name: 'Rosa' });
		const token = generateSessionToken();
		await createSession(db, token, user.id);

		const result = await validateSessionToken(db, token);
		expect(result?.user).toMatchObject({ id: user.id, name: 'Rosa', role: 'student' });

		const stored = await db.selectFrom('sessions').select('id').execute();
		expect(stored).toEqual([{ id: hashToken(token) }]);
		expect(stored[0].id).not.toContain(token);
	});

	test('an unknown or expired token does not validate, and the expired row is removed', async () => {
		const db = await testDb();
		const user = await newUser(db);
		expect(await validateSessionToken(db, 'not-a-token')).toBeNull();

		const token = generateSessionToken();
		await createSession(db, token, user.id);
		await db
			.updateTable('sessions')
			.set({ expires_at: new Date(Date.now() - 1000) })
			.execute();
		expect(await validateSessionToken(db, token)).toBeNull();
		expect(await db.selectFrom('sessions').selectAll().execute()).toHaveLength(0);
	});

	test('a session in its second half is extended to 30 days (sliding expiry)', async () => {
		const db = await testDb();
		const user = await newUser(db);
		const token = generateSessionToken();
		await createSession(db, token, user.id);
		const soon = new Date(Date.now() + 2 * 24 * 3600 * 1000);
		await db.updateTable('sessions').set({ expires_at: soon }).execute();

		const result = await validateSessionToken(db, token);
		expect(result!.session.expiresAt.getTime()).toBeGreaterThan(
			Date.now() + SESSION_LIFETIME_MS - 60_000
		);
		const row = await db.selectFrom('sessions').select('expires_at').executeTakeFirstOrThrow();
		expect(row.expires_at.getTime()).toBe(result!.session.expiresAt.getTime());
	});

	test('a check notes when the user was last seen, at most every five minutes, and extends a session in its second half', async () => {
		const db = await testDb();
		const user = await newUser(db);
		const token = generateSessionToken();
		await createSession(db, token, user.id);
		const seen = async () =>
			(
				await db
					.selectFrom('users')
					.select('last_seen_at')
					.where('id', '=', user.id)
					.executeTakeFirstOrThrow()
			).last_seen_at;
		const expires = async () =>
			(await db.selectFrom('sessions').select('expires_at').executeTakeFirstOrThrow()).expires_at;
		// First check: never seen before, and a session in its first half (not extended).
		const before = Date.now();
		const first = await validateSessionToken(db, token);
		const noted = await seen();
		expect(noted!.getTime()).toBeGreaterThanOrEqual(before - 1);
		expect(first!.session.expiresAt.getTime()).toBe((await expires()).getTime());
		// Within five minutes: not written again.
		await validateSessionToken(db, token);
		expect((await seen())!.getTime()).toBe(noted!.getTime());
		// Ten minutes later, in the session's second half: both written.
		const tenAgo = new Date(Date.now() - 10 * 60_000);
		await db.updateTable('users').set({ last_seen_at: tenAgo }).where('id', '=', user.id).execute();
		await db
			.updateTable('sessions')
			.set({ expires_at: new Date(Date.now() + 24 * 3600 * 1000) })
			.execute();
		const later = await validateSessionToken(db, token);
		expect((await seen())!.getTime()).toBeGreaterThan(tenAgo.getTime());
		expect(later!.session.expiresAt.getTime()).toBe((await expires()).getTime());
		expect(later!.session.expiresAt.getTime()).toBeGreaterThan(
			Date.now() + SESSION_LIFETIME_MS - 60_000
		);
		// An expired session is neither extended nor noted: it is removed.
		await db.updateTable('users').set({ last_seen_at: tenAgo }).where('id', '=', user.id).execute();
		await db
			.updateTable('sessions')
			.set({ expires_at: new Date(Date.now() - 1000) })
			.execute();
		expect(await validateSessionToken(db, token)).toBeNull();
		expect((await seen())!.getTime()).toBe(tenAgo.getTime());
		expect(await db.selectFrom('sessions').selectAll().execute()).toHaveLength(0);
	});

	test('logging out ends one session; ending all but one keeps the current', async () => {
		const db = await testDb();
		const user = await newUser(db);
		const [a, b, c] = [generateSessionToken(), generateSessionToken(), generateSessionToken()];
		const sa = await createSession(db, a, user.id);
		const sb = await createSession(db, b, user.id);
		await createSession(db, c, user.id);

		await invalidateSession(db, sb.id);
		expect(await validateSessionToken(db, b)).toBeNull();
		await invalidateUserSessions(db, user.id, sa.id);
		expect(await validateSessionToken(db, a)).not.toBeNull();
		expect(await validateSessionToken(db, c)).toBeNull();
	});

	test('disabling a user ends their sessions', async () => {
		const db = await testDb();
		const user = await newUser(db);
		const token = generateSessionToken();
		await createSession(db, token, user.id);
		await setUserDisabled(db, user.id, true);
		expect(await validateSessionToken(db, token)).toBeNull();
	});

	test('asked to, the session check also counts unread notifications of the classes the user is in', async () => {
		const db = await testDb();
		const course = await newCourse(db);
		const [kept, left] = [await newClass(db, course.id), await newClass(db, course.id)];
		const user = await newUser(db);
		const other = await newUser(db);
		for (const c of [kept, left]) for (const u of [user, other]) await newMember(db, c.id, u.id);
		const note = (userId: number, classId: number, readAt: Date | null = null) => ({
			user_id: userId,
			class_id: classId,
			kind: 'reply' as const,
			read_at: readAt
		});
		await db
			.insertInto('notifications')
			.values([
				note(user.id, kept.id),
				note(user.id, kept.id),
				note(user.id, kept.id, new Date()),
				note(user.id, left.id),
				note(other.id, kept.id)
			])
			.execute();
		await db
			.deleteFrom('memberships')
			.where('class_id', '=', left.id)
			.where('user_id', '=', user.id)
			.execute();
		const token = generateSessionToken();
		await createSession(db, token, user.id);

		const counted = await validateSessionToken(db, token, { withUnreadCount: true });
		expect(counted?.unreadNotifications).toBe(2);
		expect(counted?.unreadNotifications).toBe(await unreadNotificationCount(db, user.id));
		expect((await validateSessionToken(db, token))?.unreadNotifications).toBeUndefined();
		await db.updateTable('notifications').set({ read_at: new Date() }).execute();
		expect(
			(await validateSessionToken(db, token, { withUnreadCount: true }))?.unreadNotifications
		).toBe(0);
	});

	test('asked for a class, the session check reads it with the user’s standing, as the class guard would', async () => {
		const db = await testDb();
		const course = await newCourse(db);
		const teacher = await newUser(db, { role: 'instructor' });
		const cls = await newClass(db, course.id, { instructorId: teacher.id, name: 'Civics 9' });
		await db
			.updateTable('classes')
			.set({ archived_at: new Date() })
			.where('id', '=', cls.id)
			.execute();
		const student = await newUser(db);
		await newMember(db, cls.id, student.id);
		const demoted = await newUser(db, { role: 'instructor' });
		await newMember(db, cls.id, demoted.id, 'instructor');
		await db.updateTable('users').set({ role: 'student' }).where('id', '=', demoted.id).execute();
		const admin = await newUser(db, { role: 'admin' });
		const outsider = await newUser(db);
		const seen: unknown[] = [];
		for (const [u, access] of [
			[student, 'student'],
			[teacher, 'instructor'],
			[demoted, null],
			[admin, 'admin'],
			[outsider, null]
		] as const) {
			const token = generateSessionToken();
			await createSession(db, token, u.id);
			const r = await validateSessionToken(db, token, { classId: cls.id });
			const user = (await validateSessionToken(db, token))!.user;
			expect(r?.classView).toEqual({
				classId: cls.id,
				found: await findClassForViewer(db, cls.id, user)
			});
			expect(r?.classView?.found?.access).toBe(access);
			seen.push(r?.classView?.found?.cls);
			const missing = await validateSessionToken(db, token, { classId: cls.id + 1000 });
			expect(missing?.classView).toEqual({ classId: cls.id + 1000, found: undefined });
		}
		expect(seen[0]).toMatchObject({
			id: cls.id,
			name: 'Civics 9',
			archived: true,
			courseId: course.id
		});
		expect(new Set(seen.map((c) => JSON.stringify(c))).size).toBe(1);
	});
});
