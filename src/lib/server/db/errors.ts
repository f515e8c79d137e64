// Errors that mean "the database cannot be reached right now" rather than "this query is wrong":
// pages answer them with 503 (try again shortly), and the pool recovers by itself once the server
// is back.

const NETWORK_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ECONNABORTED'
]);

// SQLSTATE class 08 (connection exception), 57P01–57P03 (the server is shutting down or starting),
// 53300 (too many connections).
const SQLSTATE = /^(08...|57P0[1-3]|53300)$/;

const MESSAGES = [
	/Connection terminated/i,
	/timeout exceeded when trying to connect/i,
	// pg's client when the server does not answer within its connect timeout.
	/^timeout expired$/,
	/Client has encountered a connection error and is not queryable/i,
	/Client was closed and is not queryable/i,
	/the database system is (starting up|shutting down|in recovery mode)/i
];

export function isDatabaseUnavailable(error: unknown): boolean {
	for (let e = error, depth = 0; e && depth < 5; depth++) {
		if (typeof e !== 'object') return false;
		const { code, message, cause, errors, status } = e as {
			code?: unknown;
			message?: unknown;
			cause?: unknown;
			errors?: unknown;
			status?: unknown;
		};
		// The 503 the app's handle already made of an outage (db/outage.ts).
		if (status === 503) return true;
		if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return true;
		if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
		// An AggregateError (a host with several addresses, all refused).
		if (Array.isArray(errors) && errors.some((x) => isDatabaseUnavailable(x))) return true;
		e = cause;
	}
	return false;
}

function sqlState(e: unknown): unknown {
	return typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
}

/** A unique index or constraint refused the row (SQLSTATE 23505), on PostgreSQL and PGlite. */
export function isUniqueViolation(e: unknown): boolean {
	return sqlState(e) === '23505';
}

/**
 * A prepared statement whose result columns a schema change altered (0A000, "cached plan must
 * not change result type"; db/prepared.ts).
 */
export function isChangedResultType(e: unknown): boolean {
	return (
		sqlState(e) === '0A000' &&
		/cached plan must not change result type/.test(String((e as { message?: unknown }).message))
	);
}
