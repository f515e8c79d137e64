import type { Session, SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Error {
			message: string;
			ref?: string;
		}
		interface Locals {
			user: SessionUser | null;
			session: Session | null;
			/** Counted with the session check on GET requests; the layout queries it otherwise. */
			unreadNotifications?: number;
		}
	}
}

export {};
