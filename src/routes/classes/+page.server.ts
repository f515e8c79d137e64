import { getDb } from '$lib/server/db';
import { listMyClasses } from '$lib/server/classes/classes';
import { requireUser } from '$lib/server/web/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	return {
		classes: await listMyClasses(await getDb(), user.id),
		canCreate: user.role !== 'student'
	};
};
