import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { keptStatistics, statisticsHead } from '$lib/server/quizzes/statistics';
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
	const head = id === null ? undefined : await statisticsHead(db, cls.id, id);
	if (!head) error(404, 'There is no such quiz assignment.');
	// Kept while neither the attempts nor the course have changed: then no query after the head.
	const report = await keptStatistics(db, cls.id, head);
	return {
		cls,
		access,
		assignment: { id: head.id, title: head.title },
		attempts: report.attempts,
		items: report.items
	};
};
