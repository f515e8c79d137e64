import { describe, expect, test } from 'vitest';
import { readPackage } from '../../src/lib/courses/read.ts';
import { readPackageDir } from '../../src/lib/courses/fs.ts';
import { writePackage, comparablePackage } from '../../src/lib/courses/write.ts';
import type { CoursePackage } from '../../src/lib/courses/package.ts';
import {
	CourseExistsError,
	exportCourse,
	importCourse
} from '../../src/lib/server/courses/import-export.ts';
import { importShippedCourses } from '../../src/lib/server/courses/shipped.ts';
import {
	completedLessonIds,
	getActorPage,
	getConcernMap,
	getCourseOverview,
	getGlossaryPage,
	getTimelinePage,
	getLessonPage,
	listCourses,
	setLessonDone
} from '../../src/lib/server/courses/queries.ts';
import { canViewCourse } from '../../src/lib/server/courses/access.ts';
import { inTransaction } from '../../src/lib/server/db/index.ts';
import { testDb } from '../helpers/db.ts';
import { newUser } from '../helpers/factories.ts';

function shipped(): CoursePackage {
	const { pkg, errors } = readPackage(readPackageDir('content/un-cybercrime-treaty'));
	expect(errors).toEqual([]);
	return pkg!;
}

describe('course import and export', () => {
	test('import → export → import is lossless', async () => {
		const db = await testDb();
		const pkg = shipped();
		const first = await inTransaction(db, (trx) =>
			importCourse(trx, pkg, { ownerId: null, status: 'published' })
		);
		const exported = await exportCourse(db, first);
		expect(comparablePackage(exported!)).toEqual(comparablePackage(pkg));

		// Through the files too: written out, read back and imported again under another slug.
		const again = readPackage(writePackage(exported!));
		expect(again.errors).toEqual([]);
		again.pkg!.course.slug = 'copy';
		const second = await inTransaction(db, (trx) =>
			importCourse(trx, again.pkg!, { ownerId: null, status: 'draft' })
		);
		const reexported = await exportCourse(db, second);
		expect(
			comparablePackage({
				...reexported!,
				course: { ...reexported!.course, slug: pkg.course.slug }
			})
		).toEqual(comparablePackage(pkg));
	});

	test('a slug already taken is refused and nothing is half-imported', async () => {
		const db = await testDb();
		const pkg = shipped();
		await inTransaction(db, (trx) =>
			importCourse(trx, pkg, { ownerId: null, status: 'published' })
		);
		const before = await db
			.selectFrom('lessons')
			.select((eb) => eb.fn.countAll().as('n'))
			.executeTakeFirstOrThrow();
		await expect(
			inTransaction(db, (trx) => importCourse(trx, pkg, { ownerId: null, status: 'published' }))
		).rejects.toBeInstanceOf(CourseExistsError);

		// A failure late in the import (a duplicate lesson slug breaks the unique key) rolls it all back.
		const broken = structuredClone(pkg);
		broken.course.slug = 'broken';
		broken.lessons.push({ ...broken.lessons[0] });
		await expect(
			inTransaction(db, (trx) => importCourse(trx, broken, { ownerId: null, status: 'draft' }))
		).rejects.toThrow();
		expect(await db.selectFrom('courses').select('slug').execute()).toEqual([
			{ slug: pkg.course.slug }
		]);
		const after = await db
			.selectFrom('lessons')
			.select((eb) => eb.fn.countAll().as('n'))
			.executeTakeFirstOrThrow();
		expect(after).toEqual(before);
	});

	test('shipped packages load once, published', async () => {
		const db = await testDb();
		const lines: string[] = [];
		expect(await importShippedCourses(db, 'content', (l) => lines.push(l))).toEqual([
			'un-cybercrime-treaty'
		]);
		expect(await importShippedCourses(db, 'content', (l) => lines.push(l))).toEqual([]);
		const [course] = await listCourses(db, null);
		expect(course).toMatchObject({
			slug: 'un-cybercrime-treaty',
			status: 'published',
			lessonCount: 6,
			actorCount: 5
		});
	});
});

describe('publish rules', () => {
	test('drafts are seen by their owner and admins only', async () => {
		const db = await testDb();
		const owner = await newUser(db, { role: 'instructor' });
		const other = await newUser(db, { role: 'instructor' });
		const admin = await newUser(db, { role: 'admin' });
		const student = await newUser(db);
		const pkg = shipped();
		pkg.course.slug = 'draft-course';
		await inTransaction(db, (trx) =>
			importCourse(trx, pkg, { ownerId: owner.id, status: 'draft' })
		);

		const titles = async (u: typeof owner | null) => (await listCourses(db, u)).map((c) => c.slug);
		expect(await titles(null)).toEqual([]);
		expect(await titles(student)).toEqual([]);
		expect(await titles(other)).toEqual([]);
		expect(await titles(owner)).toEqual(['draft-course']);
		expect(await titles(admin)).toEqual(['draft-course']);

		const course = { status: 'draft' as const, ownerId: owner.id };
		expect(canViewCourse(null, course)).toBe(false);
		expect(canViewCourse(student, course)).toBe(false);
		expect(canViewCourse(other, course)).toBe(false);
		expect(canViewCourse(owner, course)).toBe(true);
		expect(canViewCourse(admin, course)).toBe(true);
	});
});

describe('course pages read from the database', () => {
	test('overview, lesson, actor and map data, with no answer key in what pages get', async () => {
		const db = await testDb();
		await importShippedCourses(db, 'content', () => {});
		const overview = await getCourseOverview(db, 'un-cybercrime-treaty');
		expect(overview!.paragraphs).toHaveLength(4);
		expect(overview!.lessons.map((l) => l.slug)[0]).toBe('what-the-treaty-is');
		expect(overview).toMatchObject({ hasGlossary: true, hasTimeline: true });
		const glossary = await getGlossaryPage(db, 'un-cybercrime-treaty');
		expect(glossary!.glossary.some((g) => g.term === 'Budapest Convention')).toBe(true);
		const timeline = await getTimelinePage(db, 'un-cybercrime-treaty');
		expect(timeline!.timeline[0].when).toBe('2017');

		const lesson = await getLessonPage(db, 'un-cybercrime-treaty', 'washingtons-case');
		expect(lesson!.lesson!.title).toBe("Washington's case");
		expect(lesson!.checks.map((c) => c.externalId)).toEqual([
			'q-us-why',
			'q-us-pledge',
			'q-us-not-fear'
		]);
		expect(await getLessonPage(db, 'un-cybercrime-treaty', 'nope')).toBeUndefined();

		const firms = await getActorPage(db, 'un-cybercrime-treaty', 'tech-firms');
		const research = firms!.concerns.find((k) => k.slug === 'security-research');
		expect(research!.sharedWith.map((s) => s.slug)).toEqual(['rights-groups']);

		const map = await getConcernMap(db, 'un-cybercrime-treaty');
		const shared = map!.concerns.filter((k) => k.holders.length > 1).map((k) => k.slug);
		expect(shared).toContain('security-research');
	});

	test('marking a lesson done is remembered, and undone', async () => {
		const db = await testDb();
		await importShippedCourses(db, 'content', () => {});
		const user = await newUser(db);
		const lesson = await getLessonPage(db, 'un-cybercrime-treaty', 'washingtons-case');
		await setLessonDone(db, user.id, lesson!.lesson!.id, true);
		await setLessonDone(db, user.id, lesson!.lesson!.id, true);
		expect([...(await completedLessonIds(db, user.id, lesson!.id))]).toEqual([lesson!.lesson!.id]);
		await setLessonDone(db, user.id, lesson!.lesson!.id, false);
		expect((await completedLessonIds(db, user.id, lesson!.id)).size).toBe(0);
	});
});
