import { beforeEach, describe, expect, test } from 'vitest';
import { readPackage } from '../../src/lib/courses/read.ts';
import {
	MAX_GIFT_BYTES,
	checkCourse,
	createCourseFromArticle,
	exportBankGift,
	exportCourseFiles,
	importGiftQuestions
} from '../../src/lib/server/courses/authoring/index.ts';
import type { Db } from '../../src/lib/server/db/index.ts';
import { resetDb, testDb } from '../helpers/db.ts';
import { newCourse, newUser } from '../helpers/factories.ts';

/** Written for Moodle: no tags of ours, a category, names, feedback; line 12 is an essay. */
const MOODLE = `$CATEGORY: $course$/top/Default for Treaty/Week 1

::Proposer::Which country first proposed the treaty?{
=Russia#Right.
~China#No.
####It was Russia, in 2017.
}

::Grant::Grant is {~buried =entombed ~living} in Grant's tomb.

// An essay: not supported.
::Essay::Write about the treaty.{}

Two plus {=two =2} equals four.

::Q year::When was the treaty proposed?{#2017}
`;

async function bank(db: Db, courseId: number) {
	return db
		.selectFrom('questions')
		.select(['external_id', 'position', 'type', 'title', 'prompt', 'cites', 'category'])
		.where('course_id', '=', courseId)
		.orderBy('position')
		.execute();
}

describe('importGiftQuestions', () => {
	let db: Db;
	beforeEach(async () => {
		db = await testDb();
		await resetDb(db);
	});

	test('a file with a bad question imports nothing, and says which line and why', async () => {
		const course = await newCourse(db);
		const before = await bank(db, course.id);
		const result = await importGiftQuestions(db, course.id, MOODLE, { skipBad: false });
		expect(result).toMatchObject({
			ok: false,
			message: expect.stringContaining('Nothing was imported: 1 question has problems'),
			problems: [{ line: 12, message: expect.stringContaining('essay question') }]
		});
		expect(await bank(db, course.id)).toEqual(before);
	});

	test('skipping the bad ones imports the rest after the bank, untagged, filed and named', async () => {
		const course = await newCourse(db);
		const result = await importGiftQuestions(db, course.id, MOODLE, { skipBad: true });
		expect(result).toMatchObject({
			ok: true,
			skipped: 1,
			problems: [{ line: 12 }],
			imported: [
				{ id: 'proposer', line: 3, needsCitation: true },
				{ id: 'grant', line: 9, needsCitation: true },
				{ id: 'q-1', line: 14, needsCitation: true },
				// "q-year" is the factory course's own question: the made id steps aside.
				{ id: 'q-year-2', line: 16, needsCitation: true }
			]
		});
		const rows = await bank(db, course.id);
		expect(rows.map((r) => [r.external_id, r.position, r.type, r.cites, r.category])).toEqual([
			['q-year', 1, 'mc', [1], null],
			['proposer', 2, 'mc', [], 'Default for Treaty/Week 1'],
			['grant', 3, 'mc', [], 'Default for Treaty/Week 1'],
			['q-1', 4, 'short', [], 'Default for Treaty/Week 1'],
			['q-year-2', 5, 'numerical', [], 'Default for Treaty/Week 1']
		]);
		expect(rows[2].prompt).toBe("Grant is _____ in Grant's tomb.");

		// The factory course is published: it stays a valid package, uncited questions and all.
		expect(await checkCourse(db, course.id)).toEqual([]);
		const files = await exportCourseFiles(db, course.id);
		const read = readPackage(files!);
		expect(read.errors).toEqual([]);
		expect(read.pkg!.questions.map((q) => [q.id, q.cites, q.category])).toEqual(
			rows.map((r) => [r.external_id, r.cites, r.category])
		);
	});

	test('our tags are checked against the course: actors, concerns, paragraphs, ids', async () => {
		const course = await newCourse(db);
		const text = [
			'// [id:q-year] [cite:1]',
			'Already there?{T####See [¶1].}',
			'',
			'// [id:q-new] [actor:nobody] [concern:privacy] [cite:2]',
			'Who?{T####See [¶2].}',
			'',
			'// [id:q-far] [cite:9]',
			'Far?{T####See [¶1].}',
			'',
			'// [id:q-fine] [actor:firms] [concern:privacy] [cite:2]',
			'Fine?{F####See [¶2].}',
			'',
			'// [id:q-cited-bare] [cite:1]',
			'No explanation?{T}'
		].join('\n');
		const result = await importGiftQuestions(db, course.id, text, { skipBad: true });
		expect(result).toMatchObject({
			ok: true,
			skipped: 4,
			imported: [{ id: 'q-fine', needsCitation: false }],
			problems: [
				{ line: 2, message: expect.stringContaining('id "q-year" is already used') },
				{ line: 4, message: 'question "q-new": actor "nobody" is not in this course\'s actors' },
				{ line: 7, message: 'cites ¶9 but the article has 3 paragraphs' },
				{ line: 14, message: expect.stringContaining('has no explanation') }
			]
		});
		const fine = await db
			.selectFrom('questions as q')
			.innerJoin('actors as a', 'a.id', 'q.actor_id')
			.innerJoin('concerns as c', 'c.id', 'q.concern_id')
			.select(['a.slug as actor', 'c.slug as concern', 'q.cites'])
			.where('q.external_id', '=', 'q-fine')
			.executeTakeFirstOrThrow();
		expect(fine).toEqual({ actor: 'firms', concern: 'privacy', cites: [2] });
	});

	test('a file of no question, only bad ones, or too large imports nothing', async () => {
		const course = await newCourse(db);
		expect(
			await importGiftQuestions(db, course.id, '// only a comment\n', { skipBad: true })
		).toEqual(expect.objectContaining({ ok: false, message: 'The file holds no questions.' }));
		expect(
			await importGiftQuestions(db, course.id, 'Essay{}\n\nDescription\n', { skipBad: true })
		).toMatchObject({
			ok: false,
			message: 'Nothing was imported: every question of the file has problems.',
			problems: [{ line: 1 }, { line: 3 }]
		});
		const big = 'Q{T}\n\n'.repeat(Math.ceil(MAX_GIFT_BYTES / 6) + 1);
		expect(await importGiftQuestions(db, course.id, big, { skipBad: true })).toMatchObject({
			ok: false,
			message: expect.stringContaining('at most 2 MB')
		});
		expect(
			await importGiftQuestions(db, course.id, 'Q{T}\n\nR\u0000{T}', { skipBad: true })
		).toMatchObject({ ok: false, problems: [{ line: 3 }] });
		expect((await bank(db, course.id)).length).toBe(1);
	});

	test('export then import into another course gives the same bank', async () => {
		const course = await newCourse(db);
		const imported = await importGiftQuestions(db, course.id, MOODLE, { skipBad: true });
		expect(imported.ok).toBe(true);
		const gift = await exportBankGift(db, course.id);
		expect(gift).toContain('$CATEGORY: $course$/top/Default for Treaty/Week 1');
		expect(gift).toContain('// [id:grant]\n::Grant::');

		const owner = await newUser(db, { role: 'instructor' });
		const other = await createCourseFromArticle(db, owner.id, {
			title: 'Another',
			slug: 'another',
			articleTitle: 'The same article',
			publisher: null,
			date: null,
			text: 'A treaty was proposed in 2017.\n\nFirms oppose it.\n\nRights groups oppose it too.\n'
		});
		if (!other.ok) throw new Error(JSON.stringify(other.errors));
		const again = await importGiftQuestions(db, other.id, gift!, { skipBad: false });
		expect(again).toMatchObject({ ok: true, skipped: 0, problems: [] });
		expect(await exportBankGift(db, other.id)).toBe(gift);
	});
});
