import { redirect } from '@sveltejs/kit';
import { getDb, inTransaction } from '$lib/server/db';
import { joinClassByCode } from '$lib/server/classes/classes';
import { requireUser } from '$lib/server/web/guards';
import { failure } from '$lib/server/web/forms';
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
		if (!code.trim())
			return failure(400, {
				errors: { code: 'Enter the code your instructor gave you.' },
				values: { code }
			});
		const result = await inTransaction(await getDb(), (trx) =>
			joinClassByCode(trx, { code, userId: user.id, ip: event.getClientAddress() })
		);
		if (!result.ok) {
			const { status, message } = joinRefusal(result);
			return failure(status, { errors: { code: message }, values: { code } });
		}
		redirect(303, `/classes/${result.classId}${result.already ? '' : '?joined=1'}`);
	}
};
