import type { Session, SessionUser } from '$lib/server/auth/session';
import type { ClassView } from '$lib/server/classes/classes';
import type { AttemptWithQuestions } from '$lib/server/quizzes/attempt-data';
import type { StartContext } from '$lib/server/quizzes/attempts';

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
			/**
			 * The route's class and the viewer's standing in it, read with the session. `once`: for
			 * the first guard only (a form action's), since the action may change it.
			 */
			classView?: { classId: number; found: ClassView; once: boolean };
			/**
			 * On a GET of an attempt page: the attempt with its questions, read with the session
			 * (`validateSessionToken`). The page's first read takes it, once.
			 */
			attemptView?: { classId: number; attemptId: number; found: AttemptWithQuestions | undefined };
			/**
			 * On a route that checks the session in its own statement (`checksSessionItself`: the
			 * autosave), the session cookie's token, unchecked; `user` and `session` are then null.
			 */
			sessionToken?: string;
			/** On a start of a quiz (`startParam`): what the start needs, read with the session. */
			startView?: { classId: number; assignmentId: number; context: StartContext | undefined };
		}
	}
}

export {};
