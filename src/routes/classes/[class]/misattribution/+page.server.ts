import { getDb } from '$lib/server/db';
import { courseProse } from '$lib/server/courses/queries';
import { courseRenderer } from '$lib/server/courses/render';
import { classMisattribution } from '$lib/server/quizzes/misattribution';
import { CLASS_STAFF, requireClass } from '$lib/server/web/guards';
import { confusionSentence, shareInWords } from '$lib/quiz/misattribution';
import type { PageServerLoad } from './$types';

/** How strongly a cell is coloured: the share of the students asked who made the confusion. */
function level(students: number, of: number): 'none' | 'few' | 'many' | 'most' {
	if (!students || !of) return 'none';
	const share = students / of;
	return share >= 0.5 ? 'most' : share >= 0.25 ? 'many' : 'few';
}

// Which actor the class confuses with which, from quiz answers. `?right=<actor>&chosen=<actor>`
// (slugs) lists the answers behind one confusion.
export const load = (async (event) => {
	const { cls, access } = await requireClass(event, CLASS_STAFF);
	const db = await getDb();
	const q = event.url.searchParams;
	const want =
		q.has('right') && q.has('chosen')
			? { right: q.get('right') ?? '', chosen: q.get('chosen') ?? '' }
			: undefined;
	const report = await classMisattribution(db, cls.id, want);
	const byId = new Map(report.actors.map((a) => [a.id, a]));
	const href = (right: number, chosen: number) =>
		`/classes/${cls.id}/misattribution?right=${encodeURIComponent(byId.get(right)!.slug)}&chosen=${encodeURIComponent(byId.get(chosen)!.slug)}#answers`;
	const sentence = (p: { right: number; chosen: number; students: number; of: number }) =>
		confusionSentence({
			students: p.students,
			of: p.of,
			right: byId.get(p.right)!.name,
			chosen: byId.get(p.chosen)!.name
		});

	// The matrix: the actors that some answered question offered, in the course's order.
	const involved = new Set(report.pairs.flatMap((p) => [p.right, p.chosen]));
	const actors = report.actors.filter((a) => involved.has(a.id));
	const cells = new Map(report.pairs.map((p) => [`${p.right}:${p.chosen}`, p]));

	let selected = null;
	if (want) {
		const p = report.pair;
		const counted = p ? cells.get(`${p.right.id}:${p.chosen.id}`) : undefined;
		const prose = report.answers.length ? await courseProse(db, cls.courseSlug) : undefined;
		const r = courseRenderer(cls.courseSlug, prose?.paragraphs ?? []);
		selected = p
			? {
					right: p.right.name,
					chosen: p.chosen.name,
					sentence: counted ? sentence(counted) : null,
					answerCount: report.answerCount,
					answers: report.answers.map((a, i) => ({
						...a,
						prompt: r.inline(a.prompt, `ma${i}`),
						href: `/classes/${cls.id}/attempts/${a.attemptId}`
					}))
				}
			: { right: null, chosen: null, sentence: null, answerCount: 0, answers: [] };
	}

	return {
		cls,
		access,
		students: report.students,
		confusions: report.pairs
			.filter((p) => p.students > 0)
			.map((p) => ({
				key: `${p.right}:${p.chosen}`,
				sentence: sentence(p),
				students: p.students,
				href: href(p.right, p.chosen)
			})),
		matrix: {
			actors: actors.map((a) => ({ id: a.id, name: a.short })),
			rows: actors.map((x) => ({
				id: x.id,
				name: x.short,
				cells: actors.map((y) => {
					if (x.id === y.id) return { kind: 'self' as const };
					const p = cells.get(`${x.id}:${y.id}`);
					if (!p) return { kind: 'unasked' as const };
					return {
						kind: 'counted' as const,
						students: p.students,
						of: p.of,
						share: shareInWords(p.students, p.of),
						level: level(p.students, p.of),
						href: p.students ? href(x.id, y.id) : null
					};
				})
			}))
		},
		selected
	};
}) satisfies PageServerLoad;
