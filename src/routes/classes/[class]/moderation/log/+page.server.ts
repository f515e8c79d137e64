import { getDb } from '$lib/server/db';
import { CLASS_MODERATION, requireClass } from '$lib/server/web/guards';
import { logPageData } from '$lib/server/web/log-filters';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { cls, access } = await requireClass(event, CLASS_MODERATION);
	return {
		cls: { ...cls, joinCode: '' },
		access,
		...(await logPageData(await getDb(), event.url, {
			classId: cls.id,
			timeZone: cls.timeZone,
			path: `/classes/${cls.id}/moderation/log`
		}))
	};
};
