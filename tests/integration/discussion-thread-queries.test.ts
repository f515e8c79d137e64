import { afterAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { useDatabase } from '../../src/lib/server/db/index.ts';
import { load as threadLoad } from '../../src/routes/classes/[class]/discussions/[thread]/+page.server.ts';
import { load as listLoad } from '../../src/routes/classes/[class]/discussions/+page.server.ts';
import { testDb, testHandle } from '../helpers/db.ts';
import { countingHandle } from '../helpers/query-count.ts';
import { asSessionUser, fakeEvent } from '../helpers/kit.ts';
import { newClass, newCourse, newMember, newUser } from '../helpers/factories.ts';
import { findClassForViewer } from '../../src/lib/server/classes/classes.ts';
import { keptDiscussionChoices } from '../../src/lib/server/discussion/choices.ts';
import { saveActor } from '../../src/lib/server/courses/authoring/actors.ts';
import { clearPageCache } from '../../src/lib/server/courses/page-cache.ts';
import { findThread, markThreadRead } from '../../src/lib/server/discussion/threads.ts';
import { threadPosts } from '../../src/lib/server/discussion/posts.ts';
import { buildThreadView } from '../../src/lib/server/discussion/thread-view.ts';
import type { Viewer } from '../../src/lib/server/discussion/viewer.ts';

afterAll(async () => useDatabase(await testHandle()));

let nextBase = 100000;

/** A thread of `n` posts in a random tree (replies up to 12 deep), written in one statement. */
async function bigThread(n: number) {
	const db = await testDb();
	const course = await newCourse(db);
	const teacher = await newUser(db, { role: 'instructor' });
	const cls = await newClass(db, course.id, { instructorId: teacher.id });
	const student = await newUser(db);
	await newMember(db, cls.id, student.id);
	const { id: threadId } = await db
		.insertInto('threads')
		.values({ class_id: cls.id, title: 'Big', created_by: teacher.id })
		.returning('id')
		.executeTakeFirstOrThrow();
	const rows: { id: number; path: string; depth: number; parent: number | null }[] = [];
	let seed = 7;
	const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
	for (let i = 0; i < n; i++) {
		const id = (nextBase += 1);
		const parent = i === 0 || rand() < 0.15 ? null : rows[Math.floor(rand() * rows.length)];
		const deep = parent && parent.depth >= 12 ? null : parent;
		const own = String(id).padStart(10, '0');
		rows.push({
			id,
			parent: deep?.id ?? null,
			path: deep ? `${deep.path}.${own}` : own,
			depth: deep ? deep.depth + 1 : 0
		});
	}
	await db
		.insertInto('posts')
		.values(
			rows.map((r, i) => ({
				id: r.id,
				class_id: cls.id,
				thread_id: threadId,
				parent_id: r.parent,
				path: r.path,
				depth: r.depth,
				author_id: i % 2 ? student.id : teacher.id,
				body: `Post ${i} with **Markdown**, a [link](https://example.org) and a citation [¶${(i % 3) + 1}].`,
				status: i % 17 === 0 ? 'hidden' : 'visible',
				status_reason: i % 17 === 0 ? 'Off topic' : null
			}))
		)
		.execute();
	return { cls, threadId, student, teacher };
}

describe('a thread page is read with a fixed number of queries', () => {
	test('5 posts and 500 posts take the same queries; the 500 render in well under a second', async () => {
		const counted = countingHandle(await testHandle());
		const counts: number[] = [];
		let ms = 0;
		for (const n of [5, 500]) {
			const { cls, threadId, student } = await bigThread(n);
			useDatabase(counted.handle);
			const event = fakeEvent({
				user: asSessionUser(student),
				params: { class: String(cls.id), thread: String(threadId) },
				path: `/classes/${cls.id}/discussions/${threadId}`
			});
			counted.counter.n = 0;
			const started = performance.now();
			const data = (await (
				threadLoad as (e: unknown) => Promise<{ posts: unknown[]; pages: number }>
			)(event))!;
			ms = performance.now() - started;
			counts.push(counted.counter.n);
			expect(data.posts.length).toBeGreaterThan(0);
			if (n === 500) expect(data.pages).toBeGreaterThan(1);
			useDatabase(await testHandle());
		}
		expect(counts[1]).toBe(counts[0]);
		expect(counts[1]).toBeLessThanOrEqual(6);
		console.log(`thread page load, 500 posts: ${counts[1]} queries, ${ms.toFixed(0)} ms`);
		expect(ms).toBeLessThan(2000);
	});

	test('a page of a 500-post thread reads the text of the posts it shows, and shows what the whole tree gives', async () => {
		const { cls, threadId, student, teacher } = await bigThread(500);
		const db = await testDb();
		// Posts a second apart; the student has read up to the 200th: unread markers come from
		// the marker.
		await db
			.updateTable('posts')
			.set({
				created_at: sql`created_at + (id - (select min(id) from posts where thread_id = ${threadId})) * interval '1 second'`
			})
			.where('thread_id', '=', threadId)
			.execute();
		const [at] = await db
			.selectFrom('posts')
			.select('created_at')
			.where('thread_id', '=', threadId)
			.orderBy('id')
			.offset(199)
			.limit(1)
			.execute();
		await markThreadRead(db, threadId, student.id, new Date(at.created_at));
		const counted = countingHandle(await testHandle());
		useDatabase(counted.handle);
		try {
			for (const [user, access] of [
				[student, 'student'],
				[teacher, 'instructor']
			] as const) {
				for (const page of ['1', '3']) {
					counted.counter.rows = [];
					const data = (await (
						threadLoad as (e: unknown) => Promise<{
							cls: Record<string, unknown>;
							posts: { id: number; author: string; depth: number; status: string }[];
							page: number;
							pages: number;
							unread: number;
						}>
					)(
						fakeEvent({
							user: asSessionUser(user),
							params: { class: String(cls.id), thread: String(threadId) },
							path: `/classes/${cls.id}/discussions/${threadId}?page=${page}`
						})
					))!;
					// Post texts read: those of the page's posts, not the thread's 500.
					const texts = counted.counter.rows.filter((r) => 'body' in r);
					expect(texts.map((r) => r.id)).toEqual(
						expect.arrayContaining(data.posts.map((p) => p.id))
					);
					expect(texts.length).toBe(data.posts.length);
					expect(data.pages).toBeGreaterThan(2);
					// The course's content version is the server's: never in what a page is sent.
					expect(data.cls).not.toHaveProperty('courseVersion');

					const viewer: Viewer = { id: user.id, name: user.name, access };
					const thread = (await findThread(db, cls.id, threadId))!;
					const whole = buildThreadView(
						await threadPosts(db, threadId, user.id, { counts: access !== 'student' }),
						thread,
						viewer,
						{
							sort: 'oldest',
							page: Number(page),
							rootId: null,
							readAt: access === 'student' ? new Date(at.created_at) : null
						}
					);
					const shape = (p: { id: number; author: string; depth: number; status: string }) =>
						[p.id, p.author, p.depth, p.status].join();
					expect(data.posts.map(shape)).toEqual(whole.posts.map(shape));
					expect([data.page, data.pages, data.unread]).toEqual([
						whole.page,
						whole.pages,
						whole.unread
					]);
					if (access === 'student') expect(data.unread).toBeGreaterThan(0);
				}
			}
		} finally {
			useDatabase(await testHandle());
		}
	});

	test('the thread and how far its reader has read come in one statement', async () => {
		const { cls, threadId, student, teacher } = await bigThread(3);
		const db = await testDb();
		const upTo = new Date('2026-03-01T10:00:00.123Z');
		await markThreadRead(db, threadId, student.id, upTo);
		const counted = countingHandle(await testHandle());
		const mine = await findThread(counted.handle.db, cls.id, threadId, student.id);
		expect(counted.counter.statements).toBe(1);
		expect(mine?.readAt?.toISOString()).toBe(upTo.toISOString());
		expect((await findThread(db, cls.id, threadId, teacher.id))?.readAt).toBeNull();
		expect((await findThread(db, cls.id, threadId))?.readAt).toBeNull();
	});

	test('the thread list is one query for its threads, whatever their number', async () => {
		const { cls, student } = await bigThread(50);
		const db = await testDb();
		for (let i = 0; i < 40; i++) {
			await db
				.insertInto('threads')
				.values({ class_id: cls.id, title: `T${i}` })
				.execute();
		}
		const counted = countingHandle(await testHandle());
		useDatabase(counted.handle);
		counted.counter.n = 0;
		const data = (await (
			listLoad as (e: unknown) => Promise<{ threads: unknown[]; more: boolean }>
		)(
			fakeEvent({
				user: asSessionUser(student),
				params: { class: String(cls.id) },
				path: `/classes/${cls.id}/discussions`
			})
		))!;
		// The class and viewer, the threads, the course's choices.
		expect(counted.counter.n).toBeLessThanOrEqual(3);
		expect(data.threads.length).toBeGreaterThan(0);
		useDatabase(await testHandle());
	});

	test('a course’s discussion choices are read once per content version, again after an edit', async () => {
		const db = await testDb();
		const course = await newCourse(db);
		const teacher = await newUser(db, { role: 'instructor' });
		const cls = await newClass(db, course.id, { instructorId: teacher.id });
		const versionNow = async () => (await findClassForViewer(db, cls.id, teacher))!.courseVersion;
		clearPageCache();
		const counted = countingHandle(await testHandle());
		const v1 = await versionNow();
		const first = await keptDiscussionChoices(counted.handle.db, { id: course.id, version: v1 });
		expect(counted.counter.n).toBe(1);
		const again = await keptDiscussionChoices(counted.handle.db, { id: course.id, version: v1 });
		expect(counted.counter.n).toBe(1);
		expect(again).toEqual(first);

		// An author renames an actor (a published course takes any change that leaves it whole).
		const a = await db
			.selectFrom('actors')
			.selectAll()
			.where('course_id', '=', course.id)
			.orderBy('position')
			.executeTakeFirstOrThrow();
		const renamed = await saveActor(db, course.id, a.id, {
			slug: a.slug,
			name: a.name,
			short: 'Renamed',
			stance: a.stance as 'supports',
			stanceLabel: a.stance_label,
			summary: a.summary,
			cites: a.cites
		});
		expect(renamed).toMatchObject({ ok: true });
		const v2 = await versionNow();
		expect(v2).not.toBe(v1);
		const after = await keptDiscussionChoices(counted.handle.db, { id: course.id, version: v2 });
		expect(counted.counter.n).toBe(2);
		expect(after.actors[0].shortName).toBe('Renamed');
		expect(first.actors[0].shortName).not.toBe('Renamed');
	});
});
