import { error } from '@sveltejs/kit';
import type { ClassInfo } from '../classes/classes.ts';

/** Changes to an archived class are refused until it is restored. */
export function refuseIfArchived(cls: ClassInfo): void {
	if (cls.archived) error(409, 'This class is archived. Restore it before changing anything.');
}
