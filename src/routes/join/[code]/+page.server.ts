import { error, redirect } from '@sveltejs/kit';
import { getDb, inTransaction } from '$lib/server/db';
import { joinClassByCode, previewJoin } from '$lib/server/classes/classes';
import { requireUser } from '$lib/server/web/guards';
import { failure } from '$lib/server/web/forms';
import { joinRefusal } from '$lib/server/web/join';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const preview = await previewJoin(await getDb(), {
		code: event.params.code,
		userId: user.id,
		ip: event.getClientAddress()
	});
	if (!preview.ok) {
		const { status, message } = joinRefusal(preview);
		error(status === 400 ? 404 : status, message);
	}
	if (preview.member) redirect(303, `/classes/${preview.cls.id}`);
	const { cls } = preview;
	return {
		cls: {
			name: cls.name,
			term: cls.term,
			courseTitle: cls.courseTitle,
			joiningOpen: cls.joiningOpen,
			archived: cls.archived
		}
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const result = await inTransaction(await getDb(), (trx) =>
			joinClassByCode(trx, {
				code: event.params.code,
				userId: user.id,
				ip: event.getClientAddress()
			})
		);
		if (!result.ok) {
			const { status, message } = joinRefusal(result);
			return failure(status, { message });
		}
		redirect(303, `/classes/${result.classId}${result.already ? '' : '?joined=1'}`);
	}
};
