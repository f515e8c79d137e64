// Bookkeeping reads of the seeded database (never part of a measurement): which of the
// manifest's open attempts are still open (a run submits some, so a second run must not count a
// redirect to an already-submitted attempt as a submission), and afterwards how many of those the
// submit scenario really submitted.
import pg from 'pg';

const attemptId = (p) => Number(/\/attempts\/(\d+)/.exec(p ?? '')?.[1]);

async function withClient(url, fn) {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

/** Ids (of `ids`) whose attempt is in progress and has no passed deadline. */
async function openIds(url, ids) {
	return withClient(url, async (c) => {
		const { rows } = await c.query(
			`select id from attempts where id = any($1::int[]) and status = 'in-progress'
			   and (deadline_at is null or deadline_at > now() + interval '10 minutes')`,
			[ids]
		);
		return new Set(rows.map((r) => Number(r.id)));
	});
}

/** The manifest's students whose `attempt` can still be answered and submitted. */
export async function studentsWithOpenAttempts(url, students) {
	const open = await openIds(
		url,
		students.map((s) => attemptId(s.attempt)).filter(Number.isFinite)
	);
	return students.filter((s) => open.has(attemptId(s.attempt)));
}

/** How many of `students`' attempts are submitted now. */
export async function submittedCount(url, students) {
	const ids = students.map((s) => attemptId(s.attempt));
	return withClient(url, async (c) => {
		const { rows } = await c.query(
			`select count(*)::int as n from attempts where id = any($1::int[]) and status = 'submitted'`,
			[ids]
		);
		return rows[0].n;
	});
}
