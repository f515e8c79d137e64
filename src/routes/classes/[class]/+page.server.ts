import * as v from 'valibot';
import { getDb, inTransaction } from '$lib/server/db';
import {
	renameClass,
	rotateJoinCode,
	setArchived,
	setJoiningOpen
} from '$lib/server/classes/classes';
import {
	classCompletion,
	listStudentAssignments,
	recentActivity,
	whatsNew
} from '$lib/server/classes/assignments';
import { isTimeZone, timeZones } from '$lib/server/classes/time-zones';
import { CLASS_MEMBERS, CLASS_STAFF, requireClass } from '$lib/server/web/guards';
import { refuseIfArchived } from '$lib/server/web/class-actions';
import { askToConfirm, isConfirmed } from '$lib/server/web/confirm';
import { failure, parseForm } from '$lib/server/web/forms';
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
		return {
			...base,
			staff: true as const,
			completion,
			activity,
			timeZones: timeZones(),
			assignments: null,
			news: null
		};
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
		timeZones: null,
		assignments,
		news
	};
};

const Settings = v.object({
	name: v.pipe(
		v.string(),
		v.trim(),
		v.nonEmpty('Give the class a name.'),
		v.maxLength(120, 'Use at most 120 characters.')
	),
	term: v.pipe(v.optional(v.string(), ''), v.trim(), v.maxLength(60, 'Use at most 60 characters.')),
	timeZone: v.pipe(
		v.string('Choose a time zone.'),
		v.check(isTimeZone, 'Choose a time zone from the list.')
	)
});

export const actions: Actions = {
	rotate: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const code = await inTransaction(await getDb(), (trx) => rotateJoinCode(trx, cls.id));
		return {
			message: `New join code: ${code}. The old code and link no longer work; whoever tries them is told the code has changed.`
		};
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
		if (!isConfirmed(await event.request.formData())) {
			return askToConfirm({
				action: '?/archive',
				message: `Archive ${cls.name}? It becomes read-only and nobody can join; you can restore it later.`,
				confirmLabel: 'Archive class',
				fields: {}
			});
		}
		await inTransaction(await getDb(), (trx) => setArchived(trx, cls.id, true));
		return { message: 'The class is archived: read-only, and nobody can join.' };
	},
	restore: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		await setArchived(await getDb(), cls.id, false);
		return { message: 'The class is restored.' };
	},
	settings: async (event) => {
		const { cls } = await requireClass(event, CLASS_STAFF);
		refuseIfArchived(cls);
		const parsed = parseForm(Settings, await event.request.formData());
		if (!parsed.ok)
			return failure(400, { action: 'settings', errors: parsed.errors, values: parsed.values });
		await renameClass(
			await getDb(),
			cls.id,
			parsed.data.name,
			parsed.data.term || null,
			parsed.data.timeZone
		);
		return { message: 'Class settings saved.' };
	}
};
