// After the run, from the database: does every student have exactly one finished attempt holding
// all 16 answers, each exactly as last sent? Lost answers (missing, or holding an older value) and
// duplicated ones (a second row for a question, or answers in a second attempt) are counted.
import { sql } from 'kysely';
import { openDatabase } from '../../src/lib/server/db/connect.ts';
import type { StudentRun } from './student.ts';

export interface Verdict {
	students: number;
	withOneFinishedAttempt: number;
	withoutAttempt: number;
	withSeveralAttempts: number;
	notFinished: number;
	answersExpected: number;
	answersStored: number;
	/** Acknowledged as saved by the server, yet not in the database. */
	lost: number;
	/** Stored, but not what was last acknowledged (an older save won). */
	changed: number;
	/** Never saved: the save was refused or never made (its request counted as an error). */
	notSaved: number;
	duplicated: number;
	samples: string[];
}

type Raw = { answer: string[]; slots: (string | null)[] };

function same(a: Raw, b: Raw): boolean {
	return JSON.stringify([a.answer, a.slots]) === JSON.stringify([b.answer, b.slots]);
}

export async function verifyRun(opts: {
	databaseUrl: string;
	assignmentId: number;
	questions: number;
	runs: StudentRun[];
}): Promise<Verdict> {
	const h = await openDatabase({ kind: 'postgres', url: opts.databaseUrl });
	try {
		const { rows } = await sql<{
			user_id: number;
			attempt_id: number;
			status: string;
			position: number | null;
			response: Raw | null;
			copies: number;
		}>`
			select t.user_id, t.id as attempt_id, t.status, an.position, min(an.response::text)::jsonb as response,
				count(an.position)::int as copies
			from attempts t left join attempt_answers an on an.attempt_id = t.id
			where t.assignment_id = ${opts.assignmentId}
			group by t.user_id, t.id, t.status, an.position`.execute(h.db);
		const byUser = new Map<
			number,
			Map<number, { status: string; answers: Map<number, { raw: Raw; copies: number }> }>
		>();
		for (const r of rows) {
			const attempts = byUser.get(r.user_id) ?? new Map();
			byUser.set(r.user_id, attempts);
			const t = attempts.get(r.attempt_id) ?? { status: r.status, answers: new Map() };
			attempts.set(r.attempt_id, t);
			if (r.position !== null && r.response)
				t.answers.set(r.position, { raw: r.response, copies: r.copies });
		}
		const v: Verdict = {
			students: opts.runs.length,
			withOneFinishedAttempt: 0,
			withoutAttempt: 0,
			withSeveralAttempts: 0,
			notFinished: 0,
			answersExpected: opts.runs.length * opts.questions,
			answersStored: 0,
			lost: 0,
			changed: 0,
			notSaved: 0,
			duplicated: 0,
			samples: []
		};
		const note = (s: string) => v.samples.length < 20 && v.samples.push(s);
		for (const run of opts.runs) {
			const attempts = [...(byUser.get(run.userId)?.values() ?? [])];
			if (attempts.length === 0) {
				v.withoutAttempt++;
				v.lost += run.sent.size;
				v.notSaved += opts.questions - run.sent.size;
				note(`student ${run.userId}: no attempt`);
				continue;
			}
			if (attempts.length > 1) {
				v.withSeveralAttempts++;
				note(`student ${run.userId}: ${attempts.length} attempts`);
				for (const extra of attempts.slice(1)) v.duplicated += extra.answers.size;
			}
			const t = attempts[0];
			if (t.status !== 'submitted') {
				v.notFinished++;
				note(`student ${run.userId}: attempt ${t.status}`);
			} else if (attempts.length === 1) v.withOneFinishedAttempt++;
			for (let p = 1; p <= opts.questions; p++) {
				const stored = t.answers.get(p);
				const sent = run.sent.get(p);
				if (stored) v.answersStored++;
				if (stored && stored.copies > 1) v.duplicated += stored.copies - 1;
				if (!stored) {
					// Lost only if the server said it was saved; a refused save is a request error
					// (the page keeps the answer and sends it again).
					if (sent) {
						v.lost++;
						note(`student ${run.userId} q${p}: acknowledged as saved, not stored`);
					} else v.notSaved++;
				} else if (sent && !same(stored.raw, sent)) {
					v.changed++;
					note(
						`student ${run.userId} q${p}: stored ${JSON.stringify(stored.raw)}, last sent ${JSON.stringify(sent)}`
					);
				}
			}
		}
		return v;
	} finally {
		await h.close();
	}
}
