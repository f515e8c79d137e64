// One simulated student sitting the exam, as a browser with JavaScript does it: its own cookie
// and attempt; waits at the barrier; starts (the assignment page's start form); views each of the
// 8 pages; saves each answer as it goes (the JSON autosave endpoint), now and then changing one;
// thinks 30–90 s a page (divided by the time scale); submits. What it finally sent for each
// question is kept, so the database can be checked against it afterwards.
import type { ExamFixture, ExamQuestion } from './fixture.ts';
import { request, seeded, sleep, type Recorder } from './http.ts';

export interface StudentRun {
	userId: number;
	attemptId: number | null;
	/** position → the raw answer last sent (and acknowledged 'saved'). */
	sent: Map<number, { answer: string[]; slots: (string | null)[] }>;
	/** ms after the barrier opened when this student's start was answered (null: it failed). */
	startServedMs: number | null;
	finished: boolean;
}

export interface Workload {
	base: URL;
	/** The Origin the app was started with (its ORIGIN), sent on posts as a browser does. */
	origin: string;
	fixture: ExamFixture;
	perPage: number;
	timeScale: number;
	recorder: Recorder;
	barrier: Promise<number>;
}

const WORDS = ['Budapest', 'Russia', 'security', 'privacy', 'surveillance', 'treaty', 'research'];

function answerFor(
	q: ExamQuestion,
	rnd: () => number
): { answer: string[]; slots: (string | null)[] } {
	const pick = (n: number) => Math.floor(rnd() * n);
	switch (q.type) {
		case 'mc':
			return { answer: [String(pick(q.options))], slots: [] };
		case 'tf':
			return { answer: [rnd() < 0.5 ? 'true' : 'false'], slots: [] };
		case 'matching':
			return {
				answer: [],
				slots: Array.from({ length: q.lefts }, () => q.rights[pick(q.rights.length)])
			};
		case 'short':
			return { answer: [`${WORDS[pick(WORDS.length)]} ${pick(1000)}`], slots: [] };
	}
}

export async function sitExam(w: Workload, index: number): Promise<StudentRun> {
	const s = w.fixture.students[index];
	const rnd = seeded(0x5eed + index * 7919);
	const run: StudentRun = {
		userId: s.id,
		attemptId: null,
		sent: new Map(),
		startServedMs: null,
		finished: false
	};
	const cookie = `session=${s.token}`;
	// A browser's headers: without `accept: text/html` SvelteKit answers a form post as JSON.
	const accept = 'text/html,application/xhtml+xml';
	const form = {
		cookie,
		accept,
		origin: w.origin,
		'content-type': 'application/x-www-form-urlencoded'
	};
	const cls = w.fixture.classId;
	let revision = 0;

	const opened = await w.barrier;
	const attemptId = await w.recorder.time('start', async () => {
		const r = await request(
			new URL(`/classes/${cls}/assignments/${w.fixture.assignmentId}?/start`, w.base),
			{
				method: 'POST',
				headers: form,
				body: ''
			}
		);
		const m = /\/attempts\/(\d+)$/.exec(String(r.headers.location ?? ''));
		if (r.status !== 303 || !m)
			throw new Error(`status ${r.status}, not the redirect to an attempt`);
		return Number(m[1]);
	});
	if (attemptId === undefined) return run;
	run.startServedMs = performance.now() - opened;
	run.attemptId = attemptId;
	const attemptUrl = (q: string) => new URL(`/classes/${cls}/attempts/${attemptId}${q}`, w.base);

	const questions = w.fixture.questions;
	const pages = Math.ceil(questions.length / w.perPage);
	for (let page = 1; page <= pages; page++) {
		const shown = questions.slice((page - 1) * w.perPage, page * w.perPage);
		const ok = await w.recorder.time('page', async () => {
			const r = await request(attemptUrl(`?q=${page}`), { headers: { cookie, accept } });
			if (r.status !== 200) throw new Error(`page ${page}: status ${r.status}`);
			for (const q of shown)
				if (!r.body.includes(`id="q${q.position}-prompt"`))
					throw new Error(`page ${page} does not show question ${q.position}`);
			return true;
		});
		if (!ok) return run;
		// The page's think time, with each answer saved as it is made along the way.
		const thinkMs = ((30 + rnd() * 60) * 1000) / w.timeScale;
		for (const q of shown) {
			await sleep(thinkMs / (shown.length + 1));
			// One answer in ten is first answered one way, then changed: the later save must win.
			const tries = rnd() < 0.1 ? [answerFor(q, rnd), answerFor(q, rnd)] : [answerFor(q, rnd)];
			for (const raw of tries) {
				revision++;
				const body = JSON.stringify({ position: q.position, revision, raw });
				const saved = await w.recorder.time('save', async () => {
					const r = await request(attemptUrl('/answers'), {
						method: 'POST',
						headers: { cookie, origin: w.origin, 'content-type': 'application/json' },
						body
					});
					const status =
						r.status === 200 ? (JSON.parse(r.body) as { status: string }).status : null;
					if (status !== 'saved')
						throw new Error(`save q${q.position}: ${r.status} ${status ?? r.body.slice(0, 80)}`);
					return true;
				});
				if (saved) run.sent.set(q.position, raw);
			}
		}
		await sleep(thinkMs / (shown.length + 1));
	}
	const submitted = await w.recorder.time('submit', async () => {
		const r = await request(attemptUrl('?/submit'), {
			method: 'POST',
			headers: form,
			body: new URLSearchParams({
				positions: '',
				revision: String(revision + 1),
				confirmed: 'yes'
			}).toString()
		});
		if (r.status !== 303) throw new Error(`submit: status ${r.status}`);
		return true;
	});
	run.finished = submitted === true;
	return run;
}
