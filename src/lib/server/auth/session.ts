import type { Executor } from '../db/index.ts';
import type { Role } from '../db/types.ts';
import { generateToken, hashToken } from './tokens.ts';
import { sql } from 'kysely';
import { unreadCountQuery } from '../discussion/notifications.ts';
import { classViewJson, classViewOf, type ClassView } from '../classes/classes.ts';
import {
	attemptWithQuestionsJson,
	attemptWithQuestionsOf,
	type AttemptWithQuestions
} from '../quizzes/attempt-data.ts';
import { startContextJson, type StartContext } from '../quizzes/attempts.ts';

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY;
// A session used in its second half is extended, so an active user stays signed in.
const RENEW_WITHIN_MS = 15 * DAY;
const SEEN_RESOLUTION_MS = 5 * 60 * 1000;

export interface Session {
	id: string;
	userId: number;
	expiresAt: Date;
}

export interface SessionUser {
	id: number;
	email: string;
	name: string;
	role: Role;
}

export type SessionValidation = {
	session: Session;
	user: SessionUser;
	/** Unread notifications, when asked for (`withUnreadCount`). */
	unreadNotifications?: number;
	/** The class asked for (`classId`) and the user's standing in it, as `findClassForViewer`. */
	classView?: { classId: number; found: ClassView };
	/**
	 * The attempt asked for (`attemptId`, of the class `classId`) with its questions and saved
	 * answers, as `findAttemptWithQuestions` reads it; undefined when the class has no such
	 * attempt. Who may see it is the page's to decide.
	 */
	attemptView?: { classId: number; attemptId: number; found: AttemptWithQuestions | undefined };
	/**
	 * What a start of the assignment asked for (`startAssignmentId`, of the class `classId`) needs
	 * to know of it and of the user (`startContextJson`); undefined when the class has no such
	 * assignment.
	 */
	startView?: { classId: number; assignmentId: number; context: StartContext | undefined };
} | null;

export const generateSessionToken = generateToken;

export async function createSession(db: Executor, token: string, userId: number): Promise<Session> {
	const session: Session = {
		id: hashToken(token),
		userId,
		expiresAt: new Date(Date.now() + SESSION_LIFETIME_MS)
	};
	await db
		.insertInto('sessions')
		.values({ id: session.id, user_id: userId, expires_at: session.expiresAt })
		.execute();
	return session;
}

/**
 * The session and its user, or null when the token names no live session. The same statement
 * can also count the user's unread notifications (`withUnreadCount`: every signed-in page's
 * header shows them) and read a class with the user's standing in it (`classId`: a class page's
 * guard needs it), so a signed-in page starts with one round trip, not three; on an attempt
 * page it reads the attempt too (`attemptId`), so a student's page view in an exam is that one
 * round trip.
 */
export async function validateSessionToken(
	db: Executor,
	token: string,
	opts: {
		withUnreadCount?: boolean;
		classId?: number;
		attemptId?: number;
		startAssignmentId?: number;
	} = {}
): Promise<SessionValidation> {
	const classId = opts.classId;
	const attemptId = classId === undefined ? undefined : opts.attemptId;
	const startId = classId === undefined ? undefined : opts.startAssignmentId;
	const id = hashToken(token);
	const row = await db
		.selectFrom('sessions')
		.innerJoin('users', 'users.id', 'sessions.user_id')
		.select([
			'sessions.id',
			'sessions.user_id',
			'sessions.expires_at',
			'users.email',
			'users.name',
			'users.role',
			'users.disabled_at',
			'users.last_seen_at'
		])
		.$if(opts.withUnreadCount === true, (q) =>
			q.select(unreadCountQuery(db, sql.ref<number>('sessions.user_id')).as('unread'))
		)
		.$if(classId !== undefined, (q) =>
			q.select(classViewJson(db, classId!, sql.ref<number>('sessions.user_id')).as('class_view'))
		)
		.$if(attemptId !== undefined, (q) =>
			q.select(attemptWithQuestionsJson(db, classId!, attemptId!).as('attempt_view'))
		)
		.$if(startId !== undefined, (q) =>
			q.select(
				startContextJson(db, classId!, startId!, sql.ref<number>('sessions.user_id')).as(
					'start_view'
				)
			)
		)
		.where('sessions.id', '=', id)
		.executeTakeFirst();
	if (!row) return null;
	const now = Date.now();
	if (row.expires_at.getTime() <= now || row.disabled_at) {
		await db.deleteFrom('sessions').where('id', '=', id).execute();
		return null;
	}
	const session: Session = { id, userId: row.user_id, expiresAt: row.expires_at };
	if (row.expires_at.getTime() - now < RENEW_WITHIN_MS) {
		session.expiresAt = new Date(now + SESSION_LIFETIME_MS);
		await db
			.updateTable('sessions')
			.set({ expires_at: session.expiresAt })
			.where('id', '=', id)
			.execute();
	}
	// "Last activity" on rosters is accurate to a few minutes without a write on every request.
	if (!row.last_seen_at || now - row.last_seen_at.getTime() > SEEN_RESOLUTION_MS) {
		await db
			.updateTable('users')
			.set({ last_seen_at: new Date(now) })
			.where('id', '=', row.user_id)
			.execute();
	}
	return {
		session,
		user: { id: row.user_id, email: row.email, name: row.name, role: row.role },
		...(row.unread === undefined ? {} : { unreadNotifications: Number(row.unread) }),
		...(classId === undefined || row.class_view === undefined
			? {}
			: {
					classView: {
						classId,
						found: row.class_view ? classViewOf(row.class_view, row) : undefined
					}
				}),
		...(attemptId === undefined || row.attempt_view === undefined
			? {}
			: {
					attemptView: {
						classId: classId!,
						attemptId,
						found: row.attempt_view ? attemptWithQuestionsOf(row.attempt_view) : undefined
					}
				}),
		...(startId === undefined || row.start_view === undefined
			? {}
			: {
					startView: {
						classId: classId!,
						assignmentId: startId,
						context: row.start_view ?? undefined
					}
				})
	};
}

export async function invalidateSession(db: Executor, sessionId: string): Promise<void> {
	await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Ends every session of the user, except `keepSessionId` when given. */
export async function invalidateUserSessions(
	db: Executor,
	userId: number,
	keepSessionId?: string
): Promise<void> {
	let q = db.deleteFrom('sessions').where('user_id', '=', userId);
	if (keepSessionId) q = q.where('id', '!=', keepSessionId);
	await q.execute();
}
