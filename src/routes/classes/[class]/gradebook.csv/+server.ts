import { getDb } from '$lib/server/db';
import { cellText, classGradebook } from '$lib/server/classes/gradebook';
import { CLASS_STAFF, requireClass } from '$lib/server/web/guards';
import { toCsv } from '$lib/csv';
import type { RequestHandler } from './$types';

/** The gradebook as CSV for a spreadsheet: a row per student, a column per assignment. */
export const GET: RequestHandler = async (event) => {
	const { cls } = await requireClass(event, CLASS_STAFF);
	const book = await classGradebook(await getDb(), cls.id);
	const header = ['Student', 'Email', ...book.columns.map((c) => c.title)];
	const rows = book.rows.map((r) => [
		r.name,
		r.email,
		...book.columns.map((c) => cellText(c, r.cells[c.id]))
	]);
	const safeName = cls.name.replace(/[^\p{L}\p{N} _-]+/gu, '').trim() || 'class';
	return new Response(toCsv([header, ...rows]), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="gradebook-${cls.id}.csv"; filename*=UTF-8''${encodeURIComponent(`${safeName} gradebook.csv`)}`,
			'cache-control': 'no-store'
		}
	});
};
