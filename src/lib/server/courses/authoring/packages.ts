/** Courses as packages: the download of a course, and the upload of one. */
import type { CoursePackage, PackageFiles } from '../../../courses/package.ts';
import { writePackage } from '../../../courses/write.ts';
import type { Executor } from '../../db/index.ts';
import { exportCourse, importCourse } from '../import-export.ts';
import { classesUsingCourse } from './courses.ts';
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
	| { ok: false; exists: true; slug: string; canReplace: boolean };

/**
 * Imports a validated package as a draft owned by the viewer. A course with the same slug is
 * replaced only when asked, only when it is the viewer's own, and only while no class uses it.
 */
export async function importCoursePackage(
	db: Executor,
	viewer: Viewer,
	pkg: CoursePackage,
	opts: { replace: boolean }
): Promise<ImportResult> {
	const slug = pkg.course.slug;
	return await atomically(db, async (trx) => {
		const existing = await trx
			.selectFrom('courses')
			.select(['id', 'owner_id as ownerId'])
			.where('slug', '=', slug)
			.executeTakeFirst();
		// Classes are taught from a course; replacing it would delete their assignments.
		const canReplace =
			existing?.ownerId === viewer.id && (await classesUsingCourse(trx, existing.id)) === 0;
		if (existing && !(opts.replace && canReplace))
			return { ok: false as const, exists: true as const, slug, canReplace };
		const id = await importCourse(trx, pkg, {
			ownerId: viewer.id,
			status: 'draft',
			replace: !!existing
		});
		return { ok: true as const, id, slug };
	});
}
