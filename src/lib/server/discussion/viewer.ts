/**
 * Who is reading a class's discussion, and what that lets them see. Moderation (the content of
 * held and hidden posts, names in anonymous prompts, edit history) is for the class's moderators,
 * instructors and admins; students see placeholders.
 */
import type { ClassAccess } from '../classes/classes.ts';

export interface Viewer {
	id: number;
	name: string;
	access: Exclude<ClassAccess, null>;
}

/** Whether the viewer moderates the class (and so sees everything). */
export function moderates(viewer: Pick<Viewer, 'access'>): boolean {
	return viewer.access !== 'student';
}

/** What a member's role is called next to their name. */
export function roleLabel(role: string | null): string | null {
	if (role === 'instructor') return 'Instructor';
	if (role === 'moderator') return 'Moderator';
	return null;
}
