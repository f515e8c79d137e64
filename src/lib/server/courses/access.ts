import type { SessionUser } from '../auth/session.ts';
import type { CourseStatus } from '../db/types.ts';

/** Students see published courses; an instructor also sees their own drafts; admins see all. */
export function canViewCourse(
	viewer: Pick<SessionUser, 'id' | 'role'> | null,
	course: { status: CourseStatus; ownerId: number | null }
): boolean {
	if (course.status === 'published') return true;
	if (!viewer) return false;
	return viewer.role === 'admin' || (viewer.role === 'instructor' && course.ownerId === viewer.id);
}

/** Who may change a course: its owner (an instructor) or an admin. */
export function canEditCourse(
	viewer: Pick<SessionUser, 'id' | 'role'> | null,
	course: { ownerId: number | null }
): boolean {
	if (!viewer) return false;
	return viewer.role === 'admin' || (viewer.role === 'instructor' && course.ownerId === viewer.id);
}
