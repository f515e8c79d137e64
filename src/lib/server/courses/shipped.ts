import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/index.ts';
import { readPackage } from '../../courses/read.ts';
import { readPackageDir } from '../../courses/fs.ts';
import type { PackageError } from '../../courses/package.ts';
import { importCourse } from './import-export.ts';
import { ensureDefaultQuizzes } from '../quizzes/quizzes.ts';

export function formatPackageErrors(errors: PackageError[]): string {
	return errors.map((e) => `  ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`).join('\n');
}

/**
 * Imports every package under `contentDir` whose course is not in the database yet, published and
 * owned by nobody. A course already there is left alone (it may have been edited since). A broken
 * package is reported and skipped; the others still load.
 */
export async function importShippedCourses(
	db: Db,
	contentDir: string,
	log: (line: string) => void = console.log
): Promise<string[]> {
	if (!fs.existsSync(contentDir)) return [];
	const imported: string[] = [];
	const dirs = fs
		.readdirSync(contentDir, { withFileTypes: true })
		.filter((d) => d.isDirectory() && fs.existsSync(path.join(contentDir, d.name, 'course.yaml')))
		.map((d) => d.name)
		.sort();
	for (const name of dirs) {
		const { pkg, errors } = readPackage(readPackageDir(path.join(contentDir, name)));
		if (!pkg) {
			log(
				`Course package content/${name} has errors and was not loaded:\n${formatPackageErrors(errors)}`
			);
			continue;
		}
		const exists = await db
			.selectFrom('courses')
			.select('id')
			.where('slug', '=', pkg.course.slug)
			.executeTakeFirst();
		if (exists) {
			// A database made before quizzes existed gets the default ones.
			await ensureDefaultQuizzes(db, exists.id);
			continue;
		}
		await db
			.transaction()
			.execute((trx) => importCourse(trx, pkg, { ownerId: null, status: 'published' }));
		imported.push(pkg.course.slug);
		log(`Loaded the course “${pkg.course.title}” (/courses/${pkg.course.slug}).`);
	}
	return imported;
}
