import type { Executor } from '../db/index.ts';

export interface Accommodation {
	userId: number;
	name: string;
	extraMinutes: number;
	timeMultiplier: number;
	extraAttempts: number;
}

/** A class's accommodations, by student name. */
export async function listAccommodations(db: Executor, classId: number): Promise<Accommodation[]> {
	const rows = await db
		.selectFrom('accommodations as ac')
		.innerJoin('users as u', 'u.id', 'ac.user_id')
		.select([
			'ac.user_id as userId',
			'u.name',
			'ac.extra_minutes as extraMinutes',
			'ac.time_multiplier as timeMultiplier',
			'ac.extra_attempts as extraAttempts'
		])
		.where('ac.class_id', '=', classId)
		.orderBy('u.name')
		.execute();
	return rows.map((r) => ({ ...r, timeMultiplier: Number(r.timeMultiplier) }));
}

/**
 * Sets a student's accommodations in the class (for attempts started from now on; an open
 * attempt's deadline moves with "give more time"). All at their defaults removes the row. Only
 * for students and moderators of the class: false otherwise.
 */
export async function setAccommodation(
	db: Executor,
	classId: number,
	userId: number,
	a: { extraMinutes: number; timeMultiplier: number; extraAttempts: number }
): Promise<boolean> {
	const member = await db
		.selectFrom('memberships')
		.select('user_id')
		.where('class_id', '=', classId)
		.where('user_id', '=', userId)
		.where('role', '!=', 'instructor')
		.executeTakeFirst();
	if (!member) return false;
	if (a.extraMinutes === 0 && a.timeMultiplier === 1 && a.extraAttempts === 0) {
		await db
			.deleteFrom('accommodations')
			.where('class_id', '=', classId)
			.where('user_id', '=', userId)
			.execute();
		return true;
	}
	const values = {
		extra_minutes: a.extraMinutes,
		time_multiplier: a.timeMultiplier,
		extra_attempts: a.extraAttempts
	};
	await db
		.insertInto('accommodations')
		.values({ class_id: classId, user_id: userId, ...values })
		.onConflict((oc) => oc.columns(['class_id', 'user_id']).doUpdateSet(values))
		.execute();
	return true;
}

/** The extra attempts a student of the class has been given (0 when none). */
export async function extraAttempts(db: Executor, classId: number, userId: number) {
	const r = await db
		.selectFrom('accommodations')
		.select('extra_attempts')
		.where('class_id', '=', classId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	return r?.extra_attempts ?? 0;
}
