import { describe, expect, test } from 'vitest';
import { upsertItem } from '../../src/lib/server/courses/authoring/shared.ts';
import { testDb } from '../helpers/db.ts';
import { newCourse } from '../helpers/factories.ts';

describe('the one insert-or-update of authoring items', () => {
	test('adds at the next position, changes only a row of the same course, and is typed per table', async () => {
		const db = await testDb();
		const a = await newCourse(db, { status: 'draft' });
		const b = await newCourse(db, { status: 'draft' });
		const term = {
			definition: 'Said in the article [¶1].',
			beyond_note: null,
			beyond_source: null
		};

		const id = await upsertItem(db, 'glossary_terms', a.id, null, { ...term, term: 'Second' });
		expect(id).toEqual(expect.any(Number));
		const row = await db
			.selectFrom('glossary_terms')
			.select(['position', 'term'])
			.where('id', '=', id!)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ position: 2, term: 'Second' });

		expect(await upsertItem(db, 'glossary_terms', a.id, id!, { ...term, term: 'Renamed' })).toBe(
			id
		);
		// Another course's row is not changed, and says so.
		expect(await upsertItem(db, 'glossary_terms', b.id, id!, { ...term, term: 'Stolen' })).toBe(
			undefined
		);
		const after = await db
			.selectFrom('glossary_terms')
			.select('term')
			.where('id', '=', id!)
			.executeTakeFirstOrThrow();
		expect(after.term).toBe('Renamed');

		// The columns are the table's own: a lesson's field on a glossary term does not compile.
		const wrong = () =>
			upsertItem(db, 'glossary_terms', a.id, null, {
				...term,
				term: 'x',
				// @ts-expect-error glossary_terms has no column "slug"
				slug: 'x'
			});
		expect(typeof wrong).toBe('function');
	});
});
