import { inTransaction, type Executor } from '../db/index.ts';
import type { Role } from '../db/types.ts';
import { accountLabel, logAction, type Actor } from '../moderation/log.ts';
import { createInvitation, type CreateInvitationResult } from './invitations.ts';
import { createPasswordReset } from './password-reset.ts';
import { findUserById, normaliseEmail, setUserDisabled, setUserRole, type User } from './users.ts';

// An administrator's actions on accounts. Each runs in one transaction with its row in the
// audit log (class_id null), so a change is never made without its record. The log holds who,
// what and whom — never a token or a link.

/** Sets the account's role; undefined when there is no such account. */
export async function changeUserRole(
	db: Executor,
	actor: Actor,
	userId: number,
	role: Role,
	reason = ''
): Promise<User | undefined> {
	return await inTransaction(db, async (trx) => {
		const user = await findUserById(trx, userId);
		if (!user) return undefined;
		await setUserRole(trx, user.id, role);
		await logAction(trx, {
			classId: null,
			actor,
			action: 'account.role',
			targetKind: 'account',
			targetId: user.id,
			targetLabel: accountLabel(user),
			reason,
			details: { from: user.role, to: role }
		});
		return { ...user, role };
	});
}

/** Disables (ending every session) or enables the account; undefined when there is none. */
export async function changeUserDisabled(
	db: Executor,
	actor: Actor,
	userId: number,
	disabled: boolean,
	reason = ''
): Promise<User | undefined> {
	return await inTransaction(db, async (trx) => {
		const user = await findUserById(trx, userId);
		if (!user) return undefined;
		await setUserDisabled(trx, user.id, disabled);
		await logAction(trx, {
			classId: null,
			actor,
			action: disabled ? 'account.disable' : 'account.enable',
			targetKind: 'account',
			targetId: user.id,
			targetLabel: accountLabel(user),
			reason
		});
		return { ...user, disabled };
	});
}

/** A one-time reset link's token for the account (the log records that one was made, not it). */
export async function issuePasswordReset(
	db: Executor,
	actor: Actor,
	userId: number
): Promise<{ token: string; expiresAt: Date } | undefined> {
	return await inTransaction(db, async (trx) => {
		const user = await findUserById(trx, userId);
		if (!user) return undefined;
		const reset = await createPasswordReset(trx, user.id, actor.id);
		await logAction(trx, {
			classId: null,
			actor,
			action: 'account.reset-link',
			targetKind: 'account',
			targetId: user.id,
			targetLabel: accountLabel(user),
			details: { expiresAt: reset.expiresAt.toISOString() }
		});
		return reset;
	});
}

/** An invitation for an instructor account; logged only when one is made. */
export async function inviteInstructor(
	db: Executor,
	actor: Actor,
	email: string
): Promise<CreateInvitationResult> {
	return await inTransaction(db, async (trx) => {
		const result = await createInvitation(trx, { email, createdBy: actor.id });
		if (result.ok)
			await logAction(trx, {
				classId: null,
				actor,
				action: 'account.invite',
				targetKind: 'invitation',
				targetLabel: normaliseEmail(email),
				details: { expiresAt: result.expiresAt.toISOString() }
			});
		return result;
	});
}
