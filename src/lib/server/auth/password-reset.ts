import { inTransaction, type Executor } from '../db/index.ts';
import { accountLabel, logAction, type Actor } from '../moderation/log.ts';
import { generateToken, hashToken } from './tokens.ts';
import { setPassword } from './users.ts';
import { invalidateUserSessions } from './session.ts';

export const RESET_LIFETIME_MS = 60 * 60 * 1000;

/**
 * Makes a one-time reset token for the user (there is no mail server: an admin hands the link on).
 * Earlier unused tokens of the user stop working. Returns the token; only its hash is stored.
 */
export async function createPasswordReset(
	db: Executor,
	userId: number,
	createdBy: number | null
): Promise<{ token: string; expiresAt: Date }> {
	const token = generateToken();
	const expiresAt = new Date(Date.now() + RESET_LIFETIME_MS);
	await db
		.deleteFrom('password_resets')
		.where('user_id', '=', userId)
		.where('used_at', 'is', null)
		.execute();
	await db
		.insertInto('password_resets')
		.values({ id: hashToken(token), user_id: userId, created_by: createdBy, expires_at: expiresAt })
		.execute();
	return { token, expiresAt };
}

/** The user a live, unused token belongs to. */
export async function findPasswordReset(
	db: Executor,
	token: string
): Promise<{ userId: number; email: string; name: string } | undefined> {
	return await db
		.selectFrom('password_resets')
		.innerJoin('users', 'users.id', 'password_resets.user_id')
		.select(['users.id as userId', 'users.email', 'users.name'])
		.where('password_resets.id', '=', hashToken(token))
		.where('password_resets.used_at', 'is', null)
		.where('password_resets.expires_at', '>', new Date())
		.where('users.disabled_at', 'is', null)
		.executeTakeFirst();
}

/**
 * Sets the new password and spends the token, and ends the user's sessions. Call it in a
 * transaction. Returns false when the token is unknown, used or expired.
 */
export async function consumePasswordReset(
	db: Executor,
	token: string,
	password: string
): Promise<number | false> {
	const spent = await db
		.updateTable('password_resets')
		.set({ used_at: new Date() })
		.where('id', '=', hashToken(token))
		.where('used_at', 'is', null)
		.where('expires_at', '>', new Date())
		.returning('user_id')
		.executeTakeFirst();
	if (!spent) return false;
	await setPassword(db, spent.user_id, password);
	await invalidateUserSessions(db, spent.user_id);
	return spent.user_id;
}

/**
 * An instructor's reset link for a student of their class (schools have no mail server either):
 * only for a member of the class who is a student or moderator there and whose account is a
 * student account — never for a co-teacher or an administrator. The caller has checked that the
 * issuer teaches the class. Logged in the class's audit log (that a link was made, never the
 * link), in one transaction with it. Returns undefined when the person is not such a student.
 */
export async function createStudentPasswordReset(
	db: Executor,
	input: { classId: number; studentId: number; issuedBy: Actor }
): Promise<{ token: string; expiresAt: Date; name: string } | undefined> {
	return await inTransaction(db, async (trx) => {
		const student = await trx
			.selectFrom('memberships as m')
			.innerJoin('users as u', 'u.id', 'm.user_id')
			.select(['u.id', 'u.name', 'u.email'])
			.where('m.class_id', '=', input.classId)
			.where('m.user_id', '=', input.studentId)
			.where('m.role', 'in', ['student', 'moderator'])
			.where('u.role', '=', 'student')
			.where('u.disabled_at', 'is', null)
			.executeTakeFirst();
		if (!student || student.id === input.issuedBy.id) return undefined;
		const reset = await createPasswordReset(trx, student.id, input.issuedBy.id);
		await logAction(trx, {
			classId: input.classId,
			actor: input.issuedBy,
			action: 'roster.reset-link',
			targetKind: 'account',
			targetId: student.id,
			targetLabel: accountLabel(student),
			details: { expiresAt: reset.expiresAt.toISOString() }
		});
		return { ...reset, name: student.name };
	});
}
