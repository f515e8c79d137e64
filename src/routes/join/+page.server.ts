import { fail, redirect } from '@sveltejs/kit';
import { getDb, inTransaction } from '$lib/server/db';
import { joinClassByCode } from '$lib/server/classes/classes';
import { requireUser } from '$lib/server/web/guards';
import { joinRefusal } from '$lib/server/web/join';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireUser(event);
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const code = String((await event.request.formData()).get('code') ?? '').slice(0, 40);
		if (!code.trim()) return fail(400, { code, error: 'Enter the code your instructor gave you.' });
		const result = await inTransaction(await getDb(), (trx) =>
			joinClassByCode(trx, { code, userId: user.id, ip: event.getClientAddress() })
		);
		if (!result.ok) {
			const { status, message } = joinRefusal(result);
			return fail(status, { code, error: message });
		}
		redirect(303, `/classes/${result.classId}${result.already ? '' : '?joined=1'}`);
	}
};
