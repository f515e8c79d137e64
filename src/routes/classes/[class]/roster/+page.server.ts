import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { idSchema, parseId } from '$lib/validation/ids';
import { getDb } from '$lib/server/db';
import { addInstructor, listRoster, removeMember, setModerator } from '$lib/server/classes/classes';
import { CLASS_STAFF, requireClass } from '$lib/server/web/guards';
import { refuseIfArchived } from '$lib/server/web/class-actions';
import { emailField } from '$lib/validation/schemas';
import { parseForm } from '$lib/server/web/forms';
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

async function memberFrom(request: Request): Promise<number> {
	const parsed = parseForm(Member, await request.formData());
	if (!parsed.ok) error(400, 'Unknown member.');
	return parsed.data.userId;
}

export const actions: Actions = {
	remove: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const ok = await removeMember(await getDb(), cls.id, await memberFrom(event.request));
		if (!ok) return fail(400, { message: 'Only students and moderators can be removed here.' });
		return { message: 'Removed from the class.' };
	},
	moderator: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const form = await event.request.formData();
		const userId = parseId(form.get('userId'));
		const on = form.get('on') === 'true';
		if (userId === null || !(await setModerator(await getDb(), cls.id, userId, on))) {
			return fail(400, { message: 'Only students can be made moderators.' });
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
			return fail(400, { emailError: parsed.errors.email, email: parsed.values.email ?? '' });
		const result = await addInstructor(await getDb(), cls.id, parsed.data.email);
		if (!result.ok) return fail(400, { emailError: result.message, email: parsed.data.email });
		return { message: `${result.name} now co-teaches this class.` };
	}
};
