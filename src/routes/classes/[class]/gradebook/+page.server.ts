import { getDb } from '$lib/server/db';
import { cellText, classGradebook } from '$lib/server/classes/gradebook';
import { CLASS_STAFF, requireClass } from '$lib/server/web/guards';
import type { PageServerLoad } from './$types';

// Students × assignments: the counting score of each quiz, whether each lesson is done, late marks.
export const load: PageServerLoad = async (event) => {
	const { cls, access } = await requireClass(event, CLASS_STAFF);
	const book = await classGradebook(await getDb(), cls.id);
	return {
		cls,
		access,
		columns: book.columns,
		rows: book.rows.map((r) => ({
			userId: r.userId,
			name: r.name,
			cells: book.columns.map((c) => {
				const cell = r.cells[c.id];
				return {
					text: cellText(c, cell),
					status: cell?.status ?? null,
					late: cell?.late ?? false,
					score: cell?.score ?? null,
					attempts: cell?.attempts ?? 0,
					passed:
						c.kind === 'quiz' && c.passPercent !== null && cell?.score != null
							? cell.score * 100 >= c.passPercent
							: null
				};
			})
		}))
	};
};
