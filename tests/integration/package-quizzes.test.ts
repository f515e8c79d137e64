import { describe, expect, test } from 'vitest';
import { readPackage } from '../../src/lib/courses/read.ts';
import { readPackageDir } from '../../src/lib/courses/fs.ts';
import type { CoursePackage } from '../../src/lib/courses/package.ts';
import {
	CourseInUseError,
	exportCourse,
	importCourse
} from '../../src/lib/server/courses/import-export.ts';
import { quizSlots } from '../../src/lib/server/quizzes/quizzes.ts';
import { inTransaction } from '../../src/lib/server/db/index.ts';
import { testDb } from '../helpers/db.ts';
import { newClass, newQuizAssignment, newUser } from '../helpers/factories.ts';

function shipped(slug = `quizzes-pkg-${Math.random().toString(36).slice(2, 8)}`): CoursePackage {
	const { pkg, errors } = readPackage(readPackageDir('content/un-cybercrime-treaty'));
	expect(errors).toEqual([]);
	return { ...pkg!, course: { ...pkg!.course, slug } };
}

const quizzesOf = async (db: Awaited<ReturnType<typeof testDb>>, courseId: number) =>
	await db
		.selectFrom('quizzes')
		.select(['id', 'slug', 'title'])
		.where('course_id', '=', courseId)
		.orderBy('position')
		.execute();

describe('quizzes in a package', () => {
	test('are imported as written, slots pointing at the bank, actors and concerns', async () => {
		const db = await testDb();
		const pkg = shipped();
		const id = await inTransaction(db, (trx) =>
			importCourse(trx, pkg, { ownerId: null, status: 'published' })
		);
		const quizzes = await quizzesOf(db, id);
		expect(quizzes.map((q) => q.slug)).toEqual(pkg.quizzes!.map((q) => q.slug));
		const final = quizzes.find((q) => q.slug === 'who-is-concerned-about-what')!;
		const slots = (await quizSlots(db, [final.id])).get(final.id)!;
		const written = pkg.quizzes!.find((q) => q.slug === final.slug)!.slots;
		expect(slots).toHaveLength(written.length);
		// Every slot found what it names: a question of the bank, or an actor to draw from.
		expect(slots.every((s) => s.questionId !== null || s.actorId !== null)).toBe(true);
		expect((await exportCourse(db, id))!.quizzes).toEqual(pkg.quizzes);
	});

	test('a package without quizzes.yaml gets quizzes made from its bank', async () => {
		const db = await testDb();
		const { quizzes: _, ...pkg } = shipped();
		const id = await inTransaction(db, (trx) =>
			importCourse(trx, pkg, { ownerId: null, status: 'published' })
		);
		const made = await quizzesOf(db, id);
		expect(made.length).toBe(pkg.actors.length + 1);
	});

	test('replacing keeps an assigned quiz by its slug, and refuses to drop one', async () => {
		const db = await testDb();
		const teacher = await newUser(db, { role: 'instructor' });
		const pkg = shipped();
		const id = await inTransaction(db, (trx) =>
			importCourse(trx, pkg, { ownerId: teacher.id, status: 'published' })
		);
		const russia = (await quizzesOf(db, id)).find((q) => q.slug === 'actor-russia')!;
		const classId = (await newClass(db, id, { instructorId: teacher.id, name: 'Civics 3' })).id;
		await newQuizAssignment(db, classId, russia.id);

		const retitled: CoursePackage = {
			...pkg,
			quizzes: pkg.quizzes!.map((q) =>
				q.slug === 'actor-russia' ? { ...q, title: 'Russia and the treaty' } : q
			)
		};
		await inTransaction(db, (trx) =>
			importCourse(trx, retitled, { ownerId: teacher.id, status: 'published', replace: true })
		);
		expect((await quizzesOf(db, id)).find((q) => q.slug === 'actor-russia')).toEqual({
			...russia,
			title: 'Russia and the treaty'
		});

		const without: CoursePackage = {
			...pkg,
			quizzes: pkg.quizzes!.filter((q) => q.slug !== 'actor-russia')
		};
		const refused = inTransaction(db, (trx) =>
			importCourse(trx, without, { ownerId: teacher.id, status: 'published', replace: true })
		);
		await expect(refused).rejects.toThrow(CourseInUseError);
		await expect(refused).rejects.toThrow(/quiz “Russia and the treaty” \(Civics 3\)/);
		expect((await quizzesOf(db, id)).length).toBe(pkg.quizzes!.length);
	});
});
