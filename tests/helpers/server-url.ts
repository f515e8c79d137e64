/**
 * The PostgreSQL server for the tests that need a real server whichever database the suite runs on
 * (a TCP proxy in front of it, pg_terminate_backend, two processes on one database): the suite's
 * own TEST_DATABASE_URL, else TEST_POSTGRES_URL. Those tests fail with this message rather than be
 * skipped when neither is set. The database's public schema may be dropped.
 */
export function serverUrl(): string {
	const url = process.env.TEST_DATABASE_URL || process.env.TEST_POSTGRES_URL;
	if (!url) {
		throw new Error(
			'This test needs a PostgreSQL server: set TEST_POSTGRES_URL (or TEST_DATABASE_URL), ' +
				'e.g. postgres://postgres@127.0.0.1:5432/test. Its public schema may be dropped.'
		);
	}
	return url;
}

/**
 * The environment of an app instance a test starts on the server: each instance opens its whole
 * pool at start (`startApp` → `warm`), and CI runs suites side by side on one server, so the
 * instances tests start keep a small one.
 */
export const TEST_INSTANCE_POOL = { DATABASE_POOL_SIZE: '4' } as const;
