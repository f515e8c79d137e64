import { sql } from 'kysely';

/**
 * The user of a live session (`sessionId`, the token's hash), as a scalar SQL subquery: null when
 * the session is unknown, expired at `now`, or its user disabled, which is when
 * `validateSessionToken` refuses it. For a statement that checks the session itself (the autosave).
 */
export function liveSessionUserId(sessionId: string, now: Date) {
	return sql<number | null>`(select s.user_id from sessions s join users u on u.id = s.user_id
		where s.id = ${sessionId} and s.expires_at > ${now} and u.disabled_at is null)`;
}
