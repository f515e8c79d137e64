import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import { idSchema, parseId } from '$lib/validation/ids';
import { getDb } from '$lib/server/db';
import { createStudentPasswordReset } from '$lib/server/auth/password-reset';
import { askToConfirm, isConfirmed } from '$lib/server/web/confirm';
import { addInstructor, listRoster, removeMember, setModerator } from '$lib/server/classes/classes';
import { CLASS_STAFF, requireClass } from '$lib/server/web/guards';
import { refuseIfArchived } from '$lib/server/web/class-actions';
import { emailField } from '$lib/validation/schemas';
import { failure, parseForm } from '$lib/server/web/forms';
import { listAccommodations, setAccommodation } from '$lib/server/quizzes/accommodations';
import type { Actions, PageServerLoad } from './$types';

const Member = v.object({ userId: idSchema('Unknown member.') });

export const load: PageServerLoad = async (event) => {
	const { cls, access } = await requireClass(event, CLASS_STAFF);
	return {
		cls: { ...cls, joinCode: '' },
		access,
		members: await listRoster(await getDb(), cls.id),
		accommodations: await listAccommodations(await getDb(), cls.id)
	};
};

const NOT_REMOVABLE = 'Only students and moderators can be removed here.';

function memberFrom(form: FormData): number {
	const parsed = parseForm(Member, form);
	if (!parsed.ok) error(400, 'Unknown member.');
	return parsed.data.userId;
}

/** A number field in [min, max] (decimals only where `decimal`), or an error message. */
function numberField(
	form: FormData,
	name: string,
	min: number,
	max: number,
	fallback: number,
	decimal = false
): number | string {
	const raw = String(form.get(name) ?? '').trim();
	if (!raw) return fallback;
	const ok = decimal ? /^\d{1,2}(\.\d{1,2})?$/.test(raw) : /^\d{1,4}$/.test(raw);
	const n = Number(raw);
	if (!ok || n < min || n > max)
		return `Write a ${decimal ? 'number' : 'whole number'} from ${min} to ${max}.`;
	return n;
}

export const actions: Actions = {
	accommodate: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const form = await event.request.formData();
		const values = Object.fromEntries(
			['userId', 'extraMinutes', 'timeMultiplier', 'extraAttempts'].map((k) => [
				k,
				String(form.get(k) ?? '')
			])
		);
		const userId = parseId(form.get('userId'));
		const minutes = numberField(form, 'extraMinutes', 0, 1440, 0);
		const multiplier = numberField(form, 'timeMultiplier', 1, 5, 1, true);
		const attempts = numberField(form, 'extraAttempts', 0, 20, 0);
		const errors: Record<string, string> = {};
		if (userId === null) errors.userId = 'Choose a student.';
		if (typeof minutes === 'string') errors.extraMinutes = minutes;
		if (typeof multiplier === 'string') errors.timeMultiplier = multiplier;
		if (typeof attempts === 'string') errors.extraAttempts = attempts;
		if (Object.keys(errors).length || userId === null)
			return failure(400, { action: 'accommodate', errors, values });
		const ok = await setAccommodation(await getDb(), cls.id, userId, {
			extraMinutes: minutes as number,
			timeMultiplier: multiplier as number,
			extraAttempts: attempts as number
		});
		if (!ok)
			return failure(400, {
				action: 'accommodate',
				errors: { userId: 'Choose a student of this class.' },
				values
			});
		return { action: 'accommodate', accommodated: true };
	},
	remove: async (event) => {
		const { user, cls } = await requireClass(event, CLASS_STAFF);
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
		const ok = await removeMember(db, cls.id, userId, user);
		if (!ok) return failure(400, { action: 'remove', item: userId, message: NOT_REMOVABLE });
		return { message: `${member.name} was removed from the class.` };
	},
	reset: async (event) => {
		const { user, cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const userId = memberFrom(await event.request.formData());
		const reset = await createStudentPasswordReset(await getDb(), {
			classId: cls.id,
			studentId: userId,
			issuedBy: user
		});
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
		const { user, cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const form = await event.request.formData();
		const userId = parseId(form.get('userId'));
		const on = form.get('on') === 'true';
		if (userId === null || !(await setModerator(await getDb(), cls.id, userId, on, user))) {
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
