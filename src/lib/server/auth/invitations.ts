import type { Executor } from '../db/index.ts';
import { generateToken, hashToken } from './tokens.ts';
import { createUser, findUserByEmail, normaliseEmail, type User } from './users.ts';

// Admins invite instructors with a one-time link (there is no mail server: the admin hands the
// link on). The link creates an instructor account for the invited address; only the token's
// SHA-256 is stored, and it expires.

export const INVITATION_LIFETIME_MS = 7 * 24 * 3600 * 1000;

export type CreateInvitationResult =
	{ ok: true; token: string; expiresAt: Date } | { ok: false; message: string };

export async function createInvitation(
	db: Executor,
	input: { email: string; createdBy: number }
): Promise<CreateInvitationResult> {
	const email = normaliseEmail(input.email);
	const existing = await findUserByEmail(db, email);
	if (existing) {
		return {
			ok: false,
			message: `${existing.name} already has an account with this email: set their role to instructor in the list instead.`
		};
	}
	// A new invitation for the same address replaces the unused ones.
	await db
		.deleteFrom('instructor_invitations')
		.where('email', '=', email)
		.where('used_at', 'is', null)
		.execute();
	const token = generateToken();
	const expiresAt = new Date(Date.now() + INVITATION_LIFETIME_MS);
	await db
		.insertInto('instructor_invitations')
		.values({ id: hashToken(token), email, created_by: input.createdBy, expires_at: expiresAt })
		.execute();
	return { ok: true, token, expiresAt };
}

/** The invited address of a live, unused invitation. */
export async function findInvitation(
	db: Executor,
	token: string
): Promise<{ email: string; expiresAt: Date } | undefined> {
	return await db
		.selectFrom('instructor_invitations')
		.select(['email', 'expires_at as expiresAt'])
		.where('id', '=', hashToken(token))
		.where('used_at', 'is', null)
		.where('expires_at', '>', new Date())
		.executeTakeFirst();
}

/**
 * Spends the invitation and creates the instructor account, in the caller's transaction.
 * Undefined when the token is unknown, used or expired (two tabs racing: one wins). Throws
 * EmailTakenError if an account with the address appeared meanwhile.
 */
export async function acceptInvitation(
	db: Executor,
	token: string,
	input: { name: string; password: string }
): Promise<User | undefined> {
	const spent = await db
		.updateTable('instructor_invitations')
		.set({ used_at: new Date() })
		.where('id', '=', hashToken(token))
		.where('used_at', 'is', null)
		.where('expires_at', '>', new Date())
		.returning('email')
		.executeTakeFirst();
	if (!spent) return undefined;
	const user = await createUser(db, {
		email: spent.email,
		name: input.name,
		password: input.password,
		role: 'instructor'
	});
	await db
		.updateTable('instructor_invitations')
		.set({ used_by: user.id })
		.where('id', '=', hashToken(token))
		.execute();
	return user;
}

export interface PendingInvitation {
	email: string;
	expiresAt: Date;
	createdAt: Date;
}

/** Unused, unexpired invitations, newest first (for the admin page). */
export async function listPendingInvitations(db: Executor): Promise<PendingInvitation[]> {
	return await db
		.selectFrom('instructor_invitations')
		.select(['email', 'expires_at as expiresAt', 'created_at as createdAt'])
		.where('used_at', 'is', null)
		.where('expires_at', '>', new Date())
		.orderBy('created_at', 'desc')
		.limit(50)
		.execute();
}
