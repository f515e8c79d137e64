import { isHttpError, isRedirect } from '@sveltejs/kit';
import type { SessionUser } from '../../src/lib/server/auth/session.ts';

export type Outcome = 'ok' | 'login' | number;

/** An event as SvelteKit hands it to a load or an action, for calling them directly in tests. */
export function fakeEvent(opts: {
	user: SessionUser | null;
	params?: Record<string, string>;
	path?: string;
	form?: Record<string, string>;
	ip?: string;
}) {
	const url = new URL(`http://localhost${opts.path ?? '/'}`);
	const body = new FormData();
	for (const [k, v] of Object.entries(opts.form ?? {})) body.set(k, v);
	return {
		params: opts.params ?? {},
		locals: { user: opts.user, session: null },
		url,
		request: new Request(url, { method: 'POST', body }),
		getClientAddress: () => opts.ip ?? '127.0.0.1',
		setHeaders: () => {},
		depends: () => {},
		cookies: {
			get: () => undefined,
			set: () => {},
			delete: () => {},
			getAll: () => [],
			serialize: () => ''
		},
		parent: async () => ({})
	};
}

/** Runs a load or action and says how it ended: ok, sent to log in, or the HTTP error status. */
export async function outcome(
	fn: unknown,
	event: ReturnType<typeof fakeEvent>
): Promise<{ outcome: Outcome; data?: unknown }> {
	try {
		const data = await (fn as (e: unknown) => Promise<unknown>)(event);
		return { outcome: 'ok', data };
	} catch (e) {
		if (isRedirect(e)) return { outcome: e.location.startsWith('/login') ? 'login' : e.status };
		if (isHttpError(e)) return { outcome: e.status };
		throw e;
	}
}

export function asSessionUser(u: {
	id: number;
	email: string;
	name: string;
	role: SessionUser['role'];
}): SessionUser {
	return { id: u.id, email: u.email, name: u.name, role: u.role };
}
