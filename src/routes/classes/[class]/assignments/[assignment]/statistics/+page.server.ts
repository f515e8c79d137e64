import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { findAssignment } from '$lib/server/classes/assignments';
import { courseProse } from '$lib/server/courses/queries';
import { courseRenderer } from '$lib/server/courses/render';
import { cachedQuizStatistics } from '$lib/server/quizzes/statistics';
import { CLASS_STAFF, requireClass } from '$lib/server/web/guards';
import { parseId } from '$lib/validation/ids';
import type { PageServerLoad } from './$types';

// A read-only report: sent as HTML without the page's data a second time for hydration (no
// JavaScript). A client-side navigation here still renders it in the browser from the same load.
export const csr = false;

// Item statistics of a quiz assignment, for its instructors.
export const load: PageServerLoad = async (event) => {
	const { cls, access } = await requireClass(event, CLASS_STAFF);
	const db = await getDb();
	const id = parseId(event.params.assignment);
	const a = id === null ? undefined : await findAssignment(db, cls.id, id);
	if (!a || a.kind !== 'quiz') error(404, 'There is no such quiz assignment.');
	const [report, prose] = await Promise.all([
		cachedQuizStatistics(db, cls.id, a.id),
		courseProse(db, a.courseSlug)
	]);
	const r = courseRenderer(a.courseSlug, prose?.paragraphs ?? []);
	const actors = new Map((prose?.actors ?? []).map((x) => [x.id, x.short]));
	return {
		cls,
		access,
		assignment: { id: a.id, title: a.title },
		attempts: report.attempts,
		items: report.items.map((it, i) => ({
			...it,
			prompt: r.inline(it.prompt, `st${i}`),
			actor: it.actorId === null ? null : (actors.get(it.actorId) ?? null)
		}))
	};
};
