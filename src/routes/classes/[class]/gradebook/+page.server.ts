import { getDb } from '$lib/server/db';
import {
	cellMarks,
	cellText,
	classGradebook,
	GRADEBOOK_PAGE_SIZE
} from '$lib/server/classes/gradebook';
import { parseId } from '$lib/validation/ids';
import { CLASS_STAFF, requireClass } from '$lib/server/web/guards';
import type { PageServerLoad } from './$types';

// A read-only report, 300 students × 10 assignments and more: sent as HTML without the page's
// data a second time for hydration (no JavaScript; links and the layout's forms work without it).
// A client-side navigation here still renders it in the browser from the same load.
export const csr = false;

// Students × assignments: the counting score of each quiz, whether each lesson is done, late marks;
// a page of students at a time (?page=), all of them in the CSV.
export const load: PageServerLoad = async (event) => {
	const { cls, access } = await requireClass(event, CLASS_STAFF);
	const page = parseId(event.url.searchParams.get('page')) ?? 1;
	const book = await classGradebook(await getDb(), cls.id, { page });
	return {
		cls,
		access,
		total: book.total,
		page: book.page,
		pages: book.pages,
		pageSize: GRADEBOOK_PAGE_SIZE,
		columns: book.columns,
		rows: book.rows.map((r) => ({
			userId: r.userId,
			name: r.name,
			// Only what the table shows: each cell's words and marks.
			cells: book.columns.map((c) => ({
				text: cellText(c, r.cells[c.id]),
				marks: cellMarks(c, r.cells[c.id])
			}))
		}))
	};
};
