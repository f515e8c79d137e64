import { sql, type Expression } from 'kysely';
import { inTransaction, type Executor } from '../db/index.ts';
import { notifyMemberLeft } from '../discussion/live/payload.ts';
import type { ClassRole } from '../db/types.ts';
import { findUserByEmail } from '../auth/users.ts';
import {
	joinBlockedUntil,
	joinLookupBlockedUntil,
	recordJoinFailure,
	recordJoinLookupMiss
} from '../auth/rate-limit.ts';
import { courseVersion } from '../courses/queries.ts';
import { generateJoinCode, isWellFormedCode, normaliseJoinCode } from './codes.ts';
import { logMemberAction, type Actor } from '../moderation/log.ts';

export interface ClassInfo {
	id: number;
	name: string;
	term: string | null;
	courseId: number;
	courseSlug: string;
	courseTitle: string;
	joinCode: string;
	joiningOpen: boolean;
	archived: boolean;
	/** IANA zone: dates typed without a browser zone are read in it. */
	timeZone: string;
}

/** How the viewer stands in a class: their membership role, 'admin', or null (no access). */
export type ClassAccess = ClassRole | 'admin' | null;

function classQuery(db: Executor) {
	return db
		.selectFrom('classes as k')
		.innerJoin('courses as c', 'c.id', 'k.course_id')
		.select([
			'k.id',
			'k.name',
			'k.term',
			'k.course_id as courseId',
			'c.slug as courseSlug',
			'c.title as courseTitle',
			'k.join_code as joinCode',
			'k.joining_open as joiningOpen',
			sql<boolean>`k.archived_at is not null`.as('archived'),
			'k.time_zone as timeZone'
		]);
}

/** The class and the viewer's standing in it, in one query. */
export async function findClassForViewer(
	db: Executor,
	classId: number,
	viewer: { id: number; role: string }
): Promise<ClassView> {
	const row = await classViewQuery(db, classId, viewer.id).executeTakeFirst();
	return row && classViewOf(row, viewer);
}

/**
 * A class and the viewer's standing in it; undefined when there is no such class. Beside it, the
 * course's content version (courseVersion), what is kept of the course's content is kept under:
 * for the server, never part of what a page is sent.
 */
export type ClassView = { cls: ClassInfo; access: ClassAccess; courseVersion: string } | undefined;

/** The class with the member's role in it (null when not a member) and the course's version. */
export type ClassViewRow = ClassInfo & { memberRole: ClassRole | null; courseVersion: string };

function classViewQuery(db: Executor, classId: number, userId: number | Expression<number>) {
	return classQuery(db)
		.leftJoin('memberships as m', (j) =>
			j.onRef('m.class_id', '=', 'k.id').on('m.user_id', '=', userId)
		)
		.select(['m.role as memberRole', courseVersion.as('courseVersion')])
		.where('k.id', '=', classId);
}

/**
 * `findClassForViewer`'s row as one JSON value (or null), for another statement to carry: the
 * session check reads it with the session on a class page, one round trip for both.
 */
export function classViewJson(db: Executor, classId: number, userId: Expression<number>) {
	return sql<ClassViewRow | null>`(select row_to_json(v) from (${classViewQuery(db, classId, userId)}) v)`;
}

export function classViewOf(row: ClassViewRow, viewer: { role: string }): ClassView {
	const { memberRole, courseVersion, ...cls } = row;
	// Teaching a class needs an instructor account: someone an admin has demoted to student keeps
	// no power over the classes they taught (and sees them no more).
	const member = memberRole === 'instructor' && viewer.role === 'student' ? null : memberRole;
	const access: ClassAccess = member ?? (viewer.role === 'admin' ? 'admin' : null);
	return { cls, access, courseVersion };
}

export async function createClass(
	db: Executor,
	input: {
		courseId: number;
		name: string;
		term: string | null;
		instructorId: number;
		timeZone?: string;
	}
): Promise<number> {
	for (let attempt = 0; ; attempt++) {
		const row = await db
			.insertInto('classes')
			.values({
				course_id: input.courseId,
				name: input.name.trim(),
				term: input.term?.trim() || null,
				join_code: generateJoinCode(),
				created_by: input.instructorId,
				time_zone: input.timeZone ?? 'UTC'
			})
			.onConflict((oc) => oc.column('join_code').doNothing())
			.returning('id')
			.executeTakeFirst();
		if (row) {
			await db
				.insertInto('memberships')
				.values({ class_id: row.id, user_id: input.instructorId, role: 'instructor' })
				.execute();
			return row.id;
		}
		if (attempt > 5) throw new Error('Could not find a free join code.');
	}
}

/**
 * Gives the class a new join code. The old one is kept in `class_old_codes`, so someone who
 * opens it is told the code has changed instead of "no such class". Call it in a transaction.
 */
export async function rotateJoinCode(db: Executor, classId: number): Promise<string> {
	for (let attempt = 0; ; attempt++) {
		const code = generateJoinCode();
		const taken = await db
			.selectFrom('classes')
			.select('id')
			.where('join_code', '=', code)
			.union(db.selectFrom('class_old_codes').select('class_id as id').where('code', '=', code))
			.executeTakeFirst();
		if (!taken) {
			const old = await db
				.selectFrom('classes')
				.select('join_code')
				.where('id', '=', classId)
				.executeTakeFirst();
			if (old) {
				await db
					.insertInto('class_old_codes')
					.values({ code: old.join_code, class_id: classId })
					.onConflict((oc) => oc.column('code').doNothing())
					.execute();
			}
			await db.updateTable('classes').set({ join_code: code }).where('id', '=', classId).execute();
			return code;
		}
		if (attempt > 5) throw new Error('Could not find a free join code.');
	}
}

export async function setJoiningOpen(db: Executor, classId: number, open: boolean): Promise<void> {
	await db.updateTable('classes').set({ joining_open: open }).where('id', '=', classId).execute();
}

export async function setArchived(db: Executor, classId: number, archived: boolean): Promise<void> {
	await db
		.updateTable('classes')
		.set({ archived_at: archived ? new Date() : null })
		.where('id', '=', classId)
		.execute();
}

export async function renameClass(
	db: Executor,
	classId: number,
	name: string,
	term: string | null,
	timeZone?: string
): Promise<void> {
	await db
		.updateTable('classes')
		.set({
			name: name.trim(),
			term: term?.trim() || null,
			...(timeZone ? { time_zone: timeZone } : {})
		})
		.where('id', '=', classId)
		.execute();
}

export interface MyClass {
	id: number;
	name: string;
	term: string | null;
	courseTitle: string;
	role: ClassRole;
	archived: boolean;
	memberCount: number;
}

/** The classes the user belongs to (any role), newest first; one query. */
export async function listMyClasses(db: Executor, userId: number): Promise<MyClass[]> {
	const rows = await db
		.selectFrom('memberships as m')
		.innerJoin('classes as k', 'k.id', 'm.class_id')
		.innerJoin('courses as c', 'c.id', 'k.course_id')
		.select((eb) => [
			'k.id',
			'k.name',
			'k.term',
			'c.title as courseTitle',
			'm.role',
			sql<boolean>`k.archived_at is not null`.as('archived'),
			eb
				.selectFrom('memberships as x')
				.select(sql<number>`count(*)::int`.as('n'))
				.whereRef('x.class_id', '=', 'k.id')
				.where('x.role', '!=', 'instructor')
				.as('memberCount')
		])
		.where('m.user_id', '=', userId)
		.orderBy(sql`k.archived_at is not null`)
		.orderBy('k.created_at', 'desc')
		.execute();
	return rows.map((r) => ({ ...r, memberCount: Number(r.memberCount) }));
}

export type JoinResult =
	| { ok: true; classId: number; already: boolean }
	| { ok: false; reason: 'unknown' | 'changed' | 'closed' | 'archived' }
	| { ok: false; reason: 'throttled'; retryAt: Date };

/**
 * Joins the user to the class with that code as a student. Joining again is harmless (the
 * existing role is kept). Wrong codes count against a limit per user and per address.
 */
export async function joinClassByCode(
	db: Executor,
	input: { code: string; userId: number; ip: string }
): Promise<JoinResult> {
	const blocked = await joinBlockedUntil(db, input);
	if (blocked) return { ok: false, reason: 'throttled', retryAt: blocked };
	const code = normaliseJoinCode(input.code);
	const cls = isWellFormedCode(code)
		? await db
				.selectFrom('classes')
				.select(['id', 'joining_open', 'archived_at'])
				.where('join_code', '=', code)
				.executeTakeFirst()
		: undefined;
	if (!cls) {
		await recordJoinFailure(db, input);
		return { ok: false, reason: (await isOldCode(db, code)) ? 'changed' : 'unknown' };
	}
	const existing = await db
		.selectFrom('memberships')
		.select('role')
		.where('class_id', '=', cls.id)
		.where('user_id', '=', input.userId)
		.executeTakeFirst();
	if (existing) return { ok: true, classId: cls.id, already: true };
	if (cls.archived_at) return { ok: false, reason: 'archived' };
	if (!cls.joining_open) return { ok: false, reason: 'closed' };
	await db
		.insertInto('memberships')
		.values({ class_id: cls.id, user_id: input.userId, role: 'student' })
		.onConflict((oc) => oc.columns(['class_id', 'user_id']).doNothing())
		.execute();
	return { ok: true, classId: cls.id, already: false };
}

/** Whether the (normalised) code is one a class had before "New code". */
async function isOldCode(db: Executor, code: string): Promise<boolean> {
	if (!isWellFormedCode(code)) return false;
	const row = await db
		.selectFrom('class_old_codes')
		.select('class_id')
		.where('code', '=', code)
		.executeTakeFirst();
	return !!row;
}

export type PreviewResult =
	| { ok: true; cls: ClassInfo; member: boolean }
	| { ok: false; reason: 'unknown' | 'changed' }
	| { ok: false; reason: 'throttled'; retryAt: Date };

/**
 * The class a join link opens, for its confirmation page. Opening a link (a GET) never counts as a
 * failed join, so nobody can lock a student or a school out by making them visit links; an unknown
 * code counts in the user's own, larger lookup budget instead, so links cannot probe for codes.
 */
export async function previewJoin(
	db: Executor,
	input: { code: string; userId: number; ip: string }
): Promise<PreviewResult> {
	const blocked = await joinLookupBlockedUntil(db, input.userId);
	if (blocked) return { ok: false, reason: 'throttled', retryAt: blocked };
	const code = normaliseJoinCode(input.code);
	const cls = isWellFormedCode(code)
		? await classQuery(db)
				.leftJoin('memberships as m', (j) =>
					j.onRef('m.class_id', '=', 'k.id').on('m.user_id', '=', input.userId)
				)
				.select('m.role as memberRole')
				.where('k.join_code', '=', code)
				.executeTakeFirst()
		: undefined;
	if (!cls) {
		await recordJoinLookupMiss(db, input.userId);
		return { ok: false, reason: (await isOldCode(db, code)) ? 'changed' : 'unknown' };
	}
	const { memberRole, ...info } = cls;
	return { ok: true, cls: info, member: memberRole !== null };
}

export type AddInstructorResult = { ok: true; name: string } | { ok: false; message: string };

/** Adds a co-teacher by email: an existing instructor or admin account. */
export async function addInstructor(
	db: Executor,
	classId: number,
	email: string
): Promise<AddInstructorResult> {
	const user = await findUserByEmail(db, email);
	if (!user || user.disabled)
		return { ok: false, message: 'No active account has that email address.' };
	if (user.role === 'student') {
		return {
			ok: false,
			message: `${user.name} has a student account; an admin can make them an instructor first.`
		};
	}
	await db
		.insertInto('memberships')
		.values({ class_id: classId, user_id: user.id, role: 'instructor' })
		.onConflict((oc) => oc.columns(['class_id', 'user_id']).doUpdateSet({ role: 'instructor' }))
		.execute();
	return { ok: true, name: user.name };
}

export interface RosterMember {
	userId: number;
	name: string;
	email: string;
	role: ClassRole;
	joinedAt: Date;
	lastSeenAt: Date | null;
}

export async function listRoster(db: Executor, classId: number): Promise<RosterMember[]> {
	return await db
		.selectFrom('memberships as m')
		.innerJoin('users as u', 'u.id', 'm.user_id')
		.select([
			'u.id as userId',
			'u.name',
			'u.email',
			'm.role',
			'm.joined_at as joinedAt',
			'u.last_seen_at as lastSeenAt'
		])
		.where('m.class_id', '=', classId)
		.orderBy(sql`case m.role when 'instructor' then 0 when 'moderator' then 1 else 2 end`)
		.orderBy('u.name')
		.execute();
}

/**
 * Removes a student or moderator, logged as `actor`'s; instructors are not removed here.
 * Returns false if nothing changed.
 */
export async function removeMember(
	db: Executor,
	classId: number,
	userId: number,
	actor: Actor
): Promise<boolean> {
	return await inTransaction(db, async (trx) => {
		const roles = ['student', 'moderator'] as const;
		await logMemberAction(trx, { classId, userId, actor, action: 'roster.remove', roles });
		const r = await trx
			.deleteFrom('memberships')
			.where('class_id', '=', classId)
			.where('user_id', '=', userId)
			.where('role', '!=', 'instructor')
			.executeTakeFirst();
		const removed = Number(r.numDeletedRows) > 0;
		// Their open live discussion streams close on every instance.
		if (removed) await notifyMemberLeft(trx, classId, userId);
		return removed;
	});
}

/**
 * Makes a student a moderator or back, logged as `actor`'s when the role changes; returns false
 * when the member is not a student/moderator.
 */
export async function setModerator(
	db: Executor,
	classId: number,
	userId: number,
	moderator: boolean,
	actor: Actor
): Promise<boolean> {
	return await inTransaction(db, async (trx) => {
		await logMemberAction(trx, {
			classId,
			userId,
			actor,
			action: moderator ? 'roster.moderator-add' : 'roster.moderator-remove',
			roles: [moderator ? 'student' : 'moderator']
		});
		const r = await trx
			.updateTable('memberships')
			.set({ role: moderator ? 'moderator' : 'student' })
			.where('class_id', '=', classId)
			.where('user_id', '=', userId)
			.where('role', 'in', ['student', 'moderator'])
			.executeTakeFirst();
		return Number(r.numUpdatedRows) > 0;
	});
}
