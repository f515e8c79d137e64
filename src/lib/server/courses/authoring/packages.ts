/** Courses as packages: the download of a course, and the upload of one. */
import type { CoursePackage, PackageFiles } from '../../../courses/package.ts';
import { writePackage } from '../../../courses/write.ts';
import type { Executor } from '../../db/index.ts';
import { CourseInUseError, exportCourse, importCourse } from '../import-export.ts';
import { atomically, type Viewer } from './shared.ts';

/** The course as package files (content/<slug>/ layout), for downloads and for checking. */
export async function exportCourseFiles(
	db: Executor,
	courseId: number
): Promise<PackageFiles | undefined> {
	const pkg = await exportCourse(db, courseId);
	return pkg && writePackage(pkg);
}

export type ImportResult =
	| { ok: true; id: number; slug: string }
	| { ok: false; exists: true; slug: string; canReplace: boolean; message?: string };

/**
 * Imports a validated package as a draft owned by the viewer. A course with the same slug is
 * replaced only when asked and only when it is the viewer's own; a course taught in classes is
 * updated in place, and refused (with `message` naming the classes and items) when the package
 * would drop a lesson or question a class uses.
 */
export async function importCoursePackage(
	db: Executor,
	viewer: Viewer,
	pkg: CoursePackage,
	opts: { replace: boolean }
): Promise<ImportResult> {
	const slug = pkg.course.slug;
	try {
		return await atomically(db, async (trx) => {
			const existing = await trx
				.selectFrom('courses')
				.select(['id', 'owner_id as ownerId', 'status'])
				.where('slug', '=', slug)
				.executeTakeFirst();
			const canReplace = existing?.ownerId === viewer.id;
			if (existing && !(opts.replace && canReplace))
				return { ok: false as const, exists: true as const, slug, canReplace };
			// A replaced course keeps its status: the package passed the checks publishing runs, and
			// the students of a class taught from it keep their lessons.
			const id = await importCourse(trx, pkg, {
				ownerId: viewer.id,
				status: existing?.status ?? 'draft',
				replace: !!existing
			});
			return { ok: true as const, id, slug };
		});
	} catch (e) {
		// importCourse refuses before it writes anything, so the transaction has nothing to undo.
		if (e instanceof CourseInUseError)
			return { ok: false, exists: true, slug, canReplace: true, message: e.message };
		throw e;
	}
}
