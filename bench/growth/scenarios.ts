import { isHttpError, isRedirect } from '@sveltejs/kit';
import type { SessionUser } from '../../src/lib/server/auth/session.ts';
import { CLASS_MEMBERS, requireClass } from '../../src/lib/server/web/guards.ts';
import { saveAnswer, submitAttempt } from '../../src/lib/server/quizzes/attempts.ts';
import { findThread } from '../../src/lib/server/discussion/threads.ts';
import { createPost } from '../../src/lib/server/discussion/posts.ts';
import { load as rootLayout } from '../../src/routes/+layout.server.ts';
import { load as homeLoad } from '../../src/routes/+page.server.ts';
import { load as overviewLoad } from '../../src/routes/courses/[course]/+page.server.ts';
import { load as lessonLoad } from '../../src/routes/courses/[course]/lessons/[lesson]/+page.server.ts';
import { load as articleLoad } from '../../src/routes/courses/[course]/article/+page.server.ts';
import { load as mapLoad } from '../../src/routes/courses/[course]/map/+page.server.ts';
import { load as attemptLoad } from '../../src/routes/classes/[class]/attempts/[attempt]/+page.server.ts';
import { load as gradebookLoad } from '../../src/routes/classes/[class]/gradebook/+page.server.ts';
import { clearStatisticsCache } from '../../src/lib/server/quizzes/statistics.ts';
import { load as statisticsLoad } from '../../src/routes/classes/[class]/assignments/[assignment]/statistics/+page.server.ts';
import { load as threadLoad } from '../../src/routes/classes/[class]/discussions/[thread]/+page.server.ts';
import { load as moderationLoad } from '../../src/routes/classes/[class]/moderation/+page.server.ts';
import { load as discussionsLoad } from '../../src/routes/classes/[class]/discussions/+page.server.ts';
import type { Recorder } from './explain.ts';
import { sessionUser } from './explain.ts';

// Each scenario page of issue 10 as the server runs it: the session check (hooks.server.ts), the
// root layout's load and the page's load, or the write an action makes. Used by the EXPLAIN check.

export interface Manifest {
	cookie: string;
	pages: Record<'lesson' | 'article' | 'map' | 'overview', string>;
	instructor: { session: string };
	bigClass: { id: number; moderation: string; thread: string; threadId: number };
	growth: {
		classes: { classId: number; students: number; gradebook: string; statistics: string }[];
		threads: { threadId: number; posts: number; path: string }[];
	};
	students: { session: string; classId: number; attemptId: number; reviewId: number }[];
}

type Load = (event: unknown) => unknown;

/** An event as SvelteKit hands it to a load: route params, the signed-in user, the URL. */
function event(user: SessionUser, path: string, params: Record<string, string>) {
	const url = new URL(`http://localhost${path}`);
	return {
		params,
		locals: { user, session: null },
		url,
		route: { id: null },
		request: new Request(url),
		getClientAddress: () => '127.0.0.1',
		setHeaders: () => {},
		depends: () => {},
		untrack: <T>(fn: () => T) => fn(),
		cookies: {
			get: () => undefined,
			set: () => {},
			delete: () => {},
			getAll: () => [],
			serialize: () => ''
		},
		parent: async () => ({}),
		fetch
	};
}

async function page(load: Load, e: ReturnType<typeof event>) {
	await rootLayout(e as never);
	try {
		await load(e);
	} catch (err) {
		if (isRedirect(err) || isHttpError(err))
			throw new Error(`${e.url.pathname}: ${String(err)}`, { cause: err });
		throw err;
	}
}

const ROLLBACK = new Error('rollback');

/** Runs a write in a transaction that is then rolled back: its SQL is recorded, nothing stays. */
async function rolledBack(r: Recorder, fn: (trx: Recorder['db']) => Promise<unknown>) {
	try {
		await r.db.transaction().execute(async (trx) => {
			await fn(trx as unknown as Recorder['db']);
			throw ROLLBACK;
		});
	} catch (e) {
		if (e !== ROLLBACK) throw e;
	}
}

export interface Scenario {
	name: string;
	run: (r: Recorder) => Promise<unknown>;
}

export async function scenarios(m: Manifest, r: Recorder): Promise<Scenario[]> {
	const staffToken = m.instructor.session;
	const student = m.students.find((s) => s.classId === m.bigClass.id) ?? m.students[0];
	const staff = await sessionUser(r, staffToken);
	const pupil = await sessionUser(r, student.session);
	const courseParams = (path: string): Record<string, string> => {
		const [, , course, , lesson] = path.split('/');
		return lesson ? { course, lesson } : { course };
	};
	const withSession = (token: string, fn: () => Promise<unknown>) => async () => {
		await sessionUser(r, token);
		await fn();
	};
	const list: Scenario[] = [
		{
			name: 'home',
			run: withSession(student.session, () => page(homeLoad as Load, event(pupil, '/', {})))
		}
	];
	for (const [name, load] of [
		['overview', overviewLoad],
		['lesson', lessonLoad],
		['article', articleLoad],
		['map', mapLoad]
	] as const) {
		const path = m.pages[name];
		list.push({
			name,
			run: withSession(student.session, () =>
				page(load as Load, event(pupil, path, courseParams(path)))
			)
		});
	}
	const attemptPath = (id: number) => `/classes/${student.classId}/attempts/${id}`;
	const attemptParams = (id: number) => ({ class: String(student.classId), attempt: String(id) });
	list.push(
		{
			name: 'quiz page (mid-attempt)',
			run: withSession(student.session, () =>
				page(
					attemptLoad as Load,
					event(pupil, attemptPath(student.attemptId), attemptParams(student.attemptId))
				)
			)
		},
		{
			name: 'review',
			run: withSession(student.session, () =>
				page(
					attemptLoad as Load,
					event(pupil, attemptPath(student.reviewId), attemptParams(student.reviewId))
				)
			)
		},
		{
			name: 'save answer',
			run: withSession(student.session, async () => {
				const e = event(
					pupil,
					attemptPath(student.attemptId) + '/answers',
					attemptParams(student.attemptId)
				);
				const viewer = await requireClass(e, CLASS_MEMBERS);
				await rolledBack(r, (trx) =>
					saveAnswer(trx, {
						attemptId: student.attemptId,
						userId: viewer.user.id,
						position: 1,
						raw: { answer: ['0'], slots: [] },
						revision: 1_000_000
					})
				);
			})
		},
		{
			name: 'submit',
			run: withSession(student.session, async () => {
				const e = event(pupil, attemptPath(student.attemptId), attemptParams(student.attemptId));
				await requireClass(e, CLASS_MEMBERS);
				await rolledBack(r, (trx) =>
					submitAttempt(trx, { attemptId: student.attemptId, userId: pupil.id, by: 'student' })
				);
			})
		}
	);
	for (const c of m.growth.classes) {
		const params = { class: String(c.classId) };
		list.push({
			name: `gradebook (${c.students} students)`,
			run: withSession(staffToken, () =>
				page(gradebookLoad as Load, event(staff, c.gradebook, params))
			)
		});
		const assignment = c.statistics.split('/')[4];
		list.push({
			name: `item statistics (${c.students} students)`,
			// The report is kept while the attempts are unchanged: forgotten first, so the recorded
			// run has its query as well as the version's.
			run: withSession(staffToken, () => {
				clearStatisticsCache();
				return page(statisticsLoad as Load, event(staff, c.statistics, { ...params, assignment }));
			})
		});
	}
	for (const t of m.growth.threads) {
		const params = { class: String(m.bigClass.id), thread: String(t.threadId) };
		list.push({
			name: `thread (${t.posts} posts)`,
			run: withSession(student.session, () =>
				page(threadLoad as Load, event(pupil, t.path, params))
			)
		});
	}
	const classParams = { class: String(m.bigClass.id) };
	list.push(
		{
			name: 'post a reply',
			run: withSession(student.session, async () => {
				const e = event(pupil, m.bigClass.thread, {
					...classParams,
					thread: String(m.bigClass.threadId)
				});
				const { access } = await requireClass(e, CLASS_MEMBERS);
				const thread = (await findThread(r.db, m.bigClass.id, m.bigClass.threadId))!;
				await rolledBack(r, (trx) =>
					createPost(
						trx,
						thread,
						{ id: pupil.id, name: pupil.name, access },
						{
							body: 'A reply, to see what posting one costs.',
							parentId: null,
							actorId: null,
							concernId: null,
							clientKey: null
						}
					)
				);
			})
		},
		{
			name: 'moderation queue',
			run: withSession(staffToken, () =>
				page(moderationLoad as Load, event(staff, m.bigClass.moderation, classParams))
			)
		},
		{
			name: 'discussions list',
			run: withSession(student.session, () =>
				page(
					discussionsLoad as Load,
					event(pupil, `/classes/${m.bigClass.id}/discussions`, classParams)
				)
			)
		}
	);
	return list;
}
