import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import { idSchema, parseId } from '$lib/validation/ids';
import { getDb, inTransaction } from '$lib/server/db';
import { createStudentPasswordReset } from '$lib/server/auth/password-reset';
import { askToConfirm, isConfirmed } from '$lib/server/web/confirm';
import { addInstructor, listRoster, removeMember, setModerator } from '$lib/server/classes/classes';
import { CLASS_STAFF, requireClass } from '$lib/server/web/guards';
import { refuseIfArchived } from '$lib/server/web/class-actions';
import { emailField } from '$lib/validation/schemas';
import { failure, parseForm } from '$lib/server/web/forms';
import type { Actions, PageServerLoad } from './$types';

const Member = v.object({ userId: idSchema('Unknown member.') });

export const load: PageServerLoad = async (event) => {
	const { cls, access } = await requireClass(event, CLASS_STAFF);
	return {
		cls: { ...cls, joinCode: '' },
		access,
		members: await listRoster(await getDb(), cls.id)
	};
};

const NOT_REMOVABLE = 'Only students and moderators can be removed here.';

function memberFrom(form: FormData): number {
	const parsed = parseForm(Member, form);
	if (!parsed.ok) error(400, 'Unknown member.');
	return parsed.data.userId;
}

export const actions: Actions = {
	remove: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const form = await event.request.formData();
		const userId = memberFrom(form);
		const db = await getDb();
		const member = (await listRoster(db, cls.id)).find((m) => m.userId === userId);
		if (!member || member.role === 'instructor')
			return failure(400, { action: 'remove', item: userId, message: NOT_REMOVABLE });
		if (!isConfirmed(form)) {
			return askToConfirm({
				action: '?/remove',
				message: `Remove ${member.name} from ${cls.name}? They lose access to the class; their work is kept if they rejoin.`,
				confirmLabel: `Remove ${member.name}`,
				fields: { userId: String(userId) }
			});
		}
		const ok = await removeMember(db, cls.id, userId);
		if (!ok) return failure(400, { action: 'remove', item: userId, message: NOT_REMOVABLE });
		return { message: `${member.name} was removed from the class.` };
	},
	reset: async (event) => {
		const { user, cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const userId = memberFrom(await event.request.formData());
		const reset = await inTransaction(await getDb(), (trx) =>
			createStudentPasswordReset(trx, { classId: cls.id, studentId: userId, issuedBy: user.id })
		);
		if (!reset)
			return failure(400, {
				action: 'reset',
				item: userId,
				message:
					'Reset links here are for the students of this class; an administrator resets other accounts.'
			});
		return {
			message: `Reset link for ${reset.name} (valid for one hour, once):`,
			resetLink: `${event.url.origin}/reset/${reset.token}`,
			resetFor: userId
		};
	},
	moderator: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const form = await event.request.formData();
		const userId = parseId(form.get('userId'));
		const on = form.get('on') === 'true';
		if (userId === null || !(await setModerator(await getDb(), cls.id, userId, on))) {
			return failure(400, {
				action: 'moderator',
				item: userId,
				message: 'Only students can be made moderators.'
			});
		}
		return {
			message: on ? 'They can now moderate the class discussions.' : 'They are a student again.'
		};
	},
	instructor: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const parsed = parseForm(v.object({ email: emailField }), await event.request.formData());
		if (!parsed.ok)
			return failure(400, {
				action: 'instructor',
				errors: { email: parsed.errors.email ?? 'Enter an email address.' },
				values: { email: parsed.values.email ?? '' }
			});
		const result = await addInstructor(await getDb(), cls.id, parsed.data.email);
		if (!result.ok)
			return failure(400, {
				action: 'instructor',
				errors: { email: result.message },
				values: { email: parsed.data.email }
			});
		return { message: `${result.name} now co-teaches this class.` };
	}
};
