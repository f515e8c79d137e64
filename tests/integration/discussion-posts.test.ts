import { describe, expect, test } from 'vitest';
import {
	createPost,
	deleteOwnPost,
	editPost,
	postRevisions,
	threadPosts,
	toggleVote
} from '../../src/lib/server/discussion/posts.ts';
import { startThread } from '../../src/lib/server/discussion/start-thread.ts';
import {
	findThread,
	listThreads,
	markThreadRead
} from '../../src/lib/server/discussion/threads.ts';
import { buildThreadView } from '../../src/lib/server/discussion/thread-view.ts';
import { searchPosts } from '../../src/lib/server/discussion/search.ts';
import { flagPost } from '../../src/lib/server/moderation/flags.ts';
import type { Viewer } from '../../src/lib/server/discussion/viewer.ts';
import { testDb } from '../helpers/db.ts';
import { newClass, newCourse, newMember, newUser } from '../helpers/factories.ts';

type Db = Awaited<ReturnType<typeof testDb>>;

async function setup(db: Db, students = 2) {
	const course = await newCourse(db);
	const teacher = await newUser(db, { role: 'instructor', name: 'Tess Teacher' });
	const cls = await newClass(db, course.id, { instructorId: teacher.id });
	const members: Viewer[] = [];
	for (let i = 0; i < students; i++) {
		const u = await newUser(db, { name: `Student ${String.fromCharCode(65 + i)}` });
		await newMember(db, cls.id, u.id);
		members.push({ id: u.id, name: u.name, access: 'student' });
	}
	const instructor: Viewer = { id: teacher.id, name: teacher.name, access: 'instructor' };
	return { course, cls, instructor, students: members };
}

const blank = { parentId: null, actorId: null, concernId: null, clientKey: null };

async function general(db: Db, classId: number, by: Viewer, body = 'First post') {
	const r = await startThread(db, classId, by, {
		...blank,
		title: 'A thread',
		body,
		anchor: 'general',
		lessonId: null,
		anchorActorId: null,
		paragraph: null
	});
	if (!r.ok) throw new Error(r.refusal.message);
	const thread = await findThread(db, classId, r.threadId);
	if (!thread) throw new Error('no thread');
	return thread;
}

describe('posts', () => {
	test('earlier versions and open flags are counted for a moderator, not for a student', async () => {
		const db = await testDb();
		const { cls, students } = await setup(db);
		const [a, b] = students;
		const thread = await general(db, cls.id, a, 'Original');
		const [root] = await threadPosts(db, thread.id, a.id);
		expect((await editPost(db, cls.id, root.id, a, 'Rewritten')).ok).toBe(true);
		const flagged = await flagPost(db, cls.id, root.id, b, { reason: 'Spam', note: '' });
		expect(flagged.ok).toBe(true);
		const counted = (rows: Awaited<ReturnType<typeof threadPosts>>) =>
			rows.map((r) => [r.body, r.revisions, r.openFlags]);
		expect(counted(await threadPosts(db, thread.id, a.id, { counts: true }))).toEqual([
			['Rewritten', 1, 1]
		]);
		expect(counted(await threadPosts(db, thread.id, a.id, { counts: false }))).toEqual([
			['Rewritten', 0, 0]
		]);
	});

	test('a reply tree is stored with its paths and read back depth-first in one query', async () => {
		const db = await testDb();
		const { cls, students } = await setup(db);
		const [a, b] = students;
		const thread = await general(db, cls.id, a);
		const [root] = await threadPosts(db, thread.id, a.id);
		const r1 = await createPost(db, thread, b, { ...blank, body: 'reply 1', parentId: root.id });
		const r2 = await createPost(db, thread, a, { ...blank, body: 'reply 2', parentId: root.id });
		if (!r1.ok || !r2.ok) throw new Error('refused');
		const deep = await createPost(db, thread, a, { ...blank, body: 'deeper', parentId: r1.postId });
		if (!deep.ok) throw new Error('refused');
		const rows = await threadPosts(db, thread.id, a.id);
		expect(rows.map((r) => r.body)).toEqual(['First post', 'reply 1', 'deeper', 'reply 2']);
		expect(rows.map((r) => r.depth)).toEqual([0, 1, 2, 1]);
		expect(rows[2].path.split('.')).toHaveLength(3);
	});

	test('the same client key twice is one post, even when both arrive at once', async () => {
		const db = await testDb();
		const { cls, students } = await setup(db);
		const thread = await general(db, cls.id, students[0]);
		const input = { ...blank, body: 'Once only', clientKey: 'key-1' };
		const [x, y] = await Promise.all([
			createPost(db, thread, students[1], input),
			createPost(db, thread, students[1], input)
		]);
		expect(x.ok && y.ok).toBe(true);
		if (!x.ok || !y.ok) return;
		expect(x.postId).toBe(y.postId);
		const again = await createPost(db, thread, students[1], input);
		expect(again.ok && again.duplicate).toBe(true);
		expect(
			(await threadPosts(db, thread.id, 0)).filter((p) => p.body === 'Once only')
		).toHaveLength(1);
	});

	test('50 concurrent replies make 50 posts and the tree stays whole', async () => {
		const db = await testDb();
		const { cls, students, instructor } = await setup(db, 10);
		const thread = await general(db, cls.id, instructor);
		const [root] = await threadPosts(db, thread.id, 0);
		const results = await Promise.all(
			Array.from({ length: 50 }, (_, i) =>
				createPost(db, thread, students[i % 10], {
					...blank,
					body: `reply ${i}`,
					parentId: root.id,
					clientKey: `k${i}`
				})
			)
		);
		// Each of the ten writes five: under the posting limit of six a minute.
		expect(results.every((r) => r.ok)).toBe(true);
		const rows = await threadPosts(db, thread.id, 0);
		expect(rows).toHaveLength(51);
		for (const r of rows.slice(1)) {
			expect(r.parentId).toBe(root.id);
			expect(r.path.startsWith(root.path + '.')).toBe(true);
		}
		expect(new Set(rows.map((r) => r.path)).size).toBe(51);
	});

	test('posting past the burst limit answers 429 and keeps nothing', async () => {
		const db = await testDb();
		const { cls, students } = await setup(db);
		const thread = await general(db, cls.id, students[0]);
		const outcomes = [];
		for (let i = 0; i < 7; i++) {
			outcomes.push(await createPost(db, thread, students[1], { ...blank, body: `quick ${i}` }));
		}
		expect(outcomes.slice(0, 6).every((r) => r.ok)).toBe(true);
		const last = outcomes[6];
		expect(last.ok).toBe(false);
		if (!last.ok) {
			expect(last.refusal.status).toBe(429);
			expect(last.refusal.message).toMatch(/too fast/);
		}
		expect(await threadPosts(db, thread.id, 0)).toHaveLength(7);
	});

	test('an edit keeps the old text as a revision; deleting leaves "deleted" in the tree', async () => {
		const db = await testDb();
		const { cls, students } = await setup(db);
		const [a, b] = students;
		const thread = await general(db, cls.id, a, 'Original');
		const [root] = await threadPosts(db, thread.id, a.id);
		expect((await editPost(db, cls.id, root.id, b, 'Hijack')).ok).toBe(false);
		expect((await editPost(db, cls.id, root.id, a, 'Rewritten')).ok).toBe(true);
		expect((await postRevisions(db, root.id)).map((r) => r.body)).toEqual(['Original']);
		await createPost(db, thread, b, { ...blank, body: 'A reply', parentId: root.id });
		expect(await deleteOwnPost(db, cls.id, root.id, b)).toBe(false);
		expect(await deleteOwnPost(db, cls.id, root.id, a)).toBe(true);
		const view = buildThreadView(await threadPosts(db, thread.id, b.id), thread, b, {
			sort: 'oldest',
			page: 1,
			rootId: null,
			readAt: null
		});
		expect(view.posts.map((p) => [p.status, p.body])).toEqual([
			['deleted', null],
			['visible', 'A reply']
		]);
		expect(view.posts[0].editedAt).toBeNull();
	});

	test('votes toggle, never on one’s own post, and sort by top', async () => {
		const db = await testDb();
		const { cls, students } = await setup(db, 3);
		const [a, b, c] = students;
		const thread = await general(db, cls.id, a);
		const [root] = await threadPosts(db, thread.id, a.id);
		const one = await createPost(db, thread, b, { ...blank, body: 'one', parentId: root.id });
		const two = await createPost(db, thread, c, { ...blank, body: 'two', parentId: root.id });
		if (!one.ok || !two.ok) throw new Error('refused');
		expect((await toggleVote(db, cls.id, two.postId, c)).ok).toBe(false);
		expect(await toggleVote(db, cls.id, two.postId, a)).toEqual({ ok: true, voted: true });
		expect(await toggleVote(db, cls.id, two.postId, b)).toEqual({ ok: true, voted: true });
		expect(await toggleVote(db, cls.id, two.postId, b)).toEqual({ ok: true, voted: false });
		const rows = await threadPosts(db, thread.id, a.id);
		const top = buildThreadView(rows, thread, a, {
			sort: 'top',
			page: 1,
			rootId: null,
			readAt: null
		});
		expect(top.posts.map((p) => p.body)).toEqual(['First post', 'two', 'one']);
		expect(top.posts[1]).toMatchObject({ votes: 1, voted: true });
	});

	test('unread counts move with reads, and the thread list shows them in one query', async () => {
		const db = await testDb();
		const { cls, students } = await setup(db);
		const [a, b] = students;
		const thread = await general(db, cls.id, a);
		await createPost(db, thread, b, { ...blank, body: 'new to a' });
		let list = await listThreads(db, cls.id, a);
		expect(list.threads[0]).toMatchObject({ posts: 2, unread: 1 });
		await markThreadRead(db, thread.id, a.id);
		list = await listThreads(db, cls.id, a);
		expect(list.threads[0].unread).toBe(0);
	});

	test('search finds visible posts by their words, with the matches marked', async () => {
		const db = await testDb();
		const { cls, students } = await setup(db);
		const thread = await general(db, cls.id, students[0], 'Surveillance powers worry the groups');
		await createPost(db, thread, students[1], { ...blank, body: 'Nothing to see here' });
		const hits = await searchPosts(db, cls.id, students[1], 'surveillance');
		expect(hits).toHaveLength(1);
		expect(hits[0].snippet).toContain('\u0001Surveillance\u0002');
		expect(await searchPosts(db, cls.id, students[1], '"<script>" OR -')).toEqual([]);
	});
});
