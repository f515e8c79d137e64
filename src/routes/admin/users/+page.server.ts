import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import { idSchema } from '$lib/validation/ids';
import { getDb } from '$lib/server/db/index';
import { findUserById, listUsers, ROLES } from '$lib/server/auth/users';
import {
	changeUserDisabled,
	changeUserRole,
	inviteInstructor,
	issuePasswordReset
} from '$lib/server/auth/account-admin';
import { listPendingInvitations } from '$lib/server/auth/invitations';
import { askToConfirm, isConfirmed } from '$lib/server/web/confirm';
import { emailField } from '$lib/validation/schemas';
import { requireRole } from '$lib/server/web/guards';
import { failure, parseForm } from '$lib/server/web/forms';
import type { Role } from '$lib/server/db/types';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;
const UserId = idSchema('Unknown user.');
const RoleSchema = v.object({
	userId: UserId,
	role: v.picklist(ROLES as Role[], 'Choose a role.')
});
const UserSchema = v.object({ userId: UserId });

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const q = event.url.searchParams.get('q')?.slice(0, 100) ?? '';
	const roleParam = event.url.searchParams.get('role');
	const role = (ROLES as string[]).includes(roleParam ?? '') ? (roleParam as Role) : undefined;
	const pageNo = Math.max(1, Number.parseInt(event.url.searchParams.get('page') ?? '1', 10) || 1);
	const db = await getDb();
	const [{ users, total }, invitations] = await Promise.all([
		listUsers(db, {
			search: q,
			role,
			limit: PAGE_SIZE,
			offset: (pageNo - 1) * PAGE_SIZE
		}),
		listPendingInvitations(db)
	]);
	return {
		q,
		role: role ?? '',
		page: pageNo,
		pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
		total,
		invitations,
		users: users.map((u) => ({
			id: u.id,
			name: u.name,
			email: u.email,
			role: u.role,
			disabled: u.disabled,
			createdAt: u.createdAt,
			lastSeenAt: u.lastSeenAt
		}))
	};
};

async function target(adminId: number, userId: number) {
	if (userId === adminId)
		error(400, 'You cannot change your own account here; ask another administrator.');
	const user = await findUserById(await getDb(), userId);
	if (!user) error(404, 'No such user.');
	return user;
}

export const actions: Actions = {
	role: async (event) => {
		const admin = requireRole(event, 'admin');
		const parsed = parseForm(RoleSchema, await event.request.formData());
		if (!parsed.ok)
			return failure(400, { action: 'role', message: Object.values(parsed.errors)[0] });
		const user = await target(admin.id, parsed.data.userId);
		await changeUserRole(await getDb(), admin, user.id, parsed.data.role);
		const label = { student: 'a student', instructor: 'an instructor', admin: 'an administrator' }[
			parsed.data.role
		];
		return { message: `${user.name} is now ${label}.`, userId: user.id };
	},
	disable: async (event) => {
		const admin = requireRole(event, 'admin');
		const form = await event.request.formData();
		const parsed = parseForm(UserSchema, form);
		if (!parsed.ok) return failure(400, { message: 'Unknown user.' });
		const user = await target(admin.id, parsed.data.userId);
		if (!isConfirmed(form)) {
			return askToConfirm({
				action: '?/disable',
				message: `Disable ${user.name} (${user.email})? They are logged out everywhere and cannot log in until you enable the account again.`,
				confirmLabel: `Disable ${user.name}`,
				fields: { userId: String(user.id) }
			});
		}
		await changeUserDisabled(await getDb(), admin, user.id, true);
		return {
			message: `${user.name} is disabled and has been logged out everywhere.`,
			userId: user.id
		};
	},
	enable: async (event) => {
		const admin = requireRole(event, 'admin');
		const parsed = parseForm(UserSchema, await event.request.formData());
		if (!parsed.ok) return failure(400, { message: 'Unknown user.' });
		const user = await target(admin.id, parsed.data.userId);
		await changeUserDisabled(await getDb(), admin, user.id, false);
		return { message: `${user.name} can log in again.`, userId: user.id };
	},
	invite: async (event) => {
		const admin = requireRole(event, 'admin');
		const parsed = parseForm(v.object({ email: emailField }), await event.request.formData());
		if (!parsed.ok)
			return failure(400, {
				action: 'invite',
				errors: { email: parsed.errors.email ?? 'Enter an email address.' },
				values: parsed.values
			});
		const result = await inviteInstructor(await getDb(), admin, parsed.data.email);
		if (!result.ok)
			return failure(400, {
				action: 'invite',
				errors: { email: result.message },
				values: { email: parsed.data.email }
			});
		return {
			message: `Invitation for ${parsed.data.email} (valid for seven days, once). It creates an instructor account:`,
			inviteLink: `${event.url.origin}/invite/${result.token}`
		};
	},
	reset: async (event) => {
		const admin = requireRole(event, 'admin');
		const parsed = parseForm(UserSchema, await event.request.formData());
		if (!parsed.ok) return failure(400, { message: 'Unknown user.' });
		const user = await target(admin.id, parsed.data.userId);
		const reset = await issuePasswordReset(await getDb(), admin, user.id);
		if (!reset) error(404, 'No such user.');
		const { token, expiresAt } = reset;
		return {
			message: `Reset link for ${user.name} (valid for one hour, once):`,
			userId: user.id,
			resetLink: `${event.url.origin}/reset/${token}`,
			expiresAt
		};
	}
};
