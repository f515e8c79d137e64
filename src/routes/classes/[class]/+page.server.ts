import { getDb, inTransaction } from '$lib/server/db';
import { rotateJoinCode, setArchived, setJoiningOpen } from '$lib/server/classes/classes';
import {
	classCompletion,
	listStudentAssignments,
	recentActivity,
	whatsNew
} from '$lib/server/classes/assignments';
import { CLASS_MEMBERS, CLASS_STAFF, requireClass } from '$lib/server/web/guards';
import { refuseIfArchived } from '$lib/server/web/class-actions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user, cls, access } = await requireClass(event, CLASS_MEMBERS);
	const db = await getDb();
	const staff = access === 'instructor' || access === 'admin';
	const base = {
		cls,
		access,
		joined: event.url.searchParams.has('joined'),
		joinLink: `${event.url.origin}/join/${cls.joinCode}`
	};
	if (staff) {
		const [completion, activity] = await Promise.all([
			classCompletion(db, cls.id),
			recentActivity(db, cls.id)
		]);
		return { ...base, staff: true as const, completion, activity, assignments: null, news: null };
	}
	const [assignments, news] = await Promise.all([
		listStudentAssignments(db, user.id, { classId: cls.id }),
		whatsNew(db, user.id, cls.id)
	]);
	return {
		...base,
		cls: { ...cls, joinCode: '' },
		joinLink: '',
		staff: false as const,
		completion: null,
		activity: null,
		assignments,
		news
	};
};

export const actions: Actions = {
	rotate: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const code = await rotateJoinCode(await getDb(), cls.id);
		return { message: `New join code: ${code}. The old code and link no longer work.` };
	},
	joining: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const open = (await event.request.formData()).get('open') === 'true';
		await setJoiningOpen(await getDb(), cls.id, open);
		return { message: open ? 'Students can join with the code again.' : 'Joining is turned off.' };
	},
	archive: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		await inTransaction(await getDb(), (trx) => setArchived(trx, cls.id, true));
		return { message: 'The class is archived: read-only, and nobody can join.' };
	},
	restore: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		await setArchived(await getDb(), cls.id, false);
		return { message: 'The class is restored.' };
	}
};
