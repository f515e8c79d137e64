import { getDb } from '$lib/server/db';
import { classMastery } from '$lib/server/quizzes/mastery';
import { CLASS_STAFF, requireClass } from '$lib/server/web/guards';
import { masteryLevel } from '$lib/quiz/review';
import type { PageServerLoad } from './$types';

// Class × actor: how well each student knows what each actor wants and fears, from quiz answers.
export const load: PageServerLoad = async (event) => {
	const { cls, access } = await requireClass(event, CLASS_STAFF);
	const grid = await classMastery(await getDb(), cls.id);
	const cell = (c: { got: number; of: number } | undefined) =>
		c && c.of > 0
			? { percent: Math.round((c.got / c.of) * 100), level: masteryLevel(c.got / c.of) }
			: null;
	const totals = grid.actors.map((a) => {
		let got = 0;
		let of = 0;
		for (const s of grid.students) {
			got += s.cells[a.id]?.got ?? 0;
			of += s.cells[a.id]?.of ?? 0;
		}
		return cell({ got, of });
	});
	return {
		cls,
		access,
		actors: grid.actors,
		students: grid.students.map((s) => ({
			id: s.id,
			name: s.name,
			cells: grid.actors.map((a) => cell(s.cells[a.id]))
		})),
		totals
	};
};
