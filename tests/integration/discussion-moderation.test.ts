import { describe, expect, test } from 'vitest';
import { createPost, editPost, threadPosts } from '../../src/lib/server/discussion/posts.ts';
import { startThread } from '../../src/lib/server/discussion/start-thread.ts';
import { findThread } from '../../src/lib/server/discussion/threads.ts';
import { listNotifications } from '../../src/lib/server/discussion/notifications.ts';
import type { Viewer } from '../../src/lib/server/discussion/viewer.ts';
import { dismissFlags, moderatePost, movePost } from '../../src/lib/server/moderation/posts.ts';
import { moderateThread } from '../../src/lib/server/moderation/threads.ts';
import { restrictMember } from '../../src/lib/server/moderation/members.ts';
import { flagPost } from '../../src/lib/server/moderation/flags.ts';
import {
	memberHistories,
	MEMBERS_PAGE_SIZE,
	moderationQueue,
	QUEUE_PAGE_SIZE
} from '../../src/lib/server/moderation/queue.ts';
import {
	addWatchedWord,
	removeWatchedWord,
	setPremoderation
} from '../../src/lib/server/moderation/settings.ts';
import { createAssignment } from '../../src/lib/server/classes/assignments.ts';
import { useDatabase } from '../../src/lib/server/db/index.ts';
import {
	actions as threadActions,
	load as threadLoad
} from '../../src/routes/classes/[class]/discussions/[thread]/+page.server.ts';
import { load as queueLoad } from '../../src/routes/classes/[class]/moderation/+page.server.ts';
import { testDb, testHandle } from '../helpers/db.ts';
import { asSessionUser, fakeEvent, outcome } from '../helpers/kit.ts';
import { newClass, newCourse, newMember, newUser } from '../helpers/factories.ts';

type Db = Awaited<ReturnType<typeof testDb>>;
const blank = { parentId: null, actorId: null, concernId: null, clientKey: null };

async function setup(db: Db) {
	useDatabase(await testHandle());
	const course = await newCourse(db);
	const teacherUser = await newUser(db, { role: 'instructor', name: 'Tess Teacher' });
	const cls = await newClass(db, course.id, { instructorId: teacherUser.id });
	const users = [];
	for (const name of ['Ada Author', 'Ben Reader', 'Mo Moderator']) {
		const u = await newUser(db, { name });
		await newMember(db, cls.id, u.id, name.startsWith('Mo') ? 'moderator' : 'student');
		users.push(u);
	}
	const [author, reader, modUser] = users;
	const v = (u: { id: number; name: string }, access: Viewer['access']): Viewer => ({
		id: u.id,
		name: u.name,
		access
	});
	return {
		course,
		cls,
		users: { teacher: teacherUser, author, reader, mod: modUser },
		teacher: v(teacherUser, 'instructor'),
		a: v(author, 'student'),
		b: v(reader, 'student'),
		m: v(modUser, 'moderator')
	};
}

async function thread(db: Db, classId: number, by: Viewer, body = 'Opening post') {
	const r = await startThread(db, classId, by, {
		...blank,
		body,
		title: 'Thread',
		anchor: 'general',
		lessonId: null,
		anchorActorId: null,
		paragraph: null
	});
	if (!r.ok) throw new Error(r.refusal.message);
	return (await findThread(db, classId, r.threadId))!;
}

/** What the thread page's load (and so its data endpoint) gives `user`. */
async function pageData(
	user: Parameters<typeof asSessionUser>[0],
	classId: number,
	threadId: number
) {
	const r = await outcome(
		threadLoad,
		fakeEvent({
			user: asSessionUser(user),
			params: { class: String(classId), thread: String(threadId) },
			path: `/classes/${classId}/discussions/${threadId}`
		})
	);
	return r;
}

async function logActions(db: Db, classId: number): Promise<string[]> {
	const rows = await db
		.selectFrom('moderation_log')
		.select('action')
		.where('class_id', '=', classId)
		.orderBy('id')
		.execute();
	return rows.map((r) => r.action);
}

describe('moderation', () => {
	test('a hidden post is a placeholder for students, in the page data; its author is told why', async () => {
		const db = await testDb();
		const s = await setup(db);
		const t = await thread(db, s.cls.id, s.a, 'Something rude and secret');
		const [post] = await threadPosts(db, t.id, s.a.id);
		expect(
			(await flagPost(db, s.cls.id, post.id, s.b, { reason: 'Disrespectful or abusive', note: '' }))
				.ok
		).toBe(true);
		const again = await flagPost(db, s.cls.id, post.id, s.b, { reason: 'Spam', note: '' });
		expect(again.ok).toBe(false);
		const own = await flagPost(db, s.cls.id, post.id, s.a, { reason: 'Spam', note: '' });
		expect(own.ok || own.refusal.status).toBe(403);
		expect((await moderationQueue(db, s.cls.id)).rows.map((q) => q.postId)).toEqual([post.id]);

		const hidden = await moderatePost(db, s.cls.id, post.id, s.m, 'hide', 'Be kind to classmates');
		expect(hidden.ok).toBe(true);
		expect((await moderationQueue(db, s.cls.id)).rows).toEqual([]);

		const forReader = await pageData(s.users.reader, s.cls.id, t.id);
		expect(forReader.outcome).toBe('ok');
		expect(JSON.stringify(forReader.data)).not.toContain('rude and secret');
		expect(JSON.stringify(forReader.data)).not.toContain('Be kind');
		const forAuthor = JSON.stringify((await pageData(s.users.author, s.cls.id, t.id)).data);
		expect(forAuthor).toContain('Be kind to classmates');
		const forTeacher = JSON.stringify((await pageData(s.users.teacher, s.cls.id, t.id)).data);
		expect(forTeacher).toContain('rude and secret');

		const told = await listNotifications(db, s.a.id);
		expect(told[0]).toMatchObject({ kind: 'moderation' });
		expect(told[0].message).toContain('Be kind to classmates');

		// Editing a hidden post does not unhide it.
		expect((await editPost(db, s.cls.id, post.id, s.a, 'Sorry, rewritten')).ok).toBe(true);
		const [after] = await threadPosts(db, t.id, s.a.id);
		expect(after.status).toBe('hidden');
		expect(JSON.stringify((await pageData(s.users.reader, s.cls.id, t.id)).data)).not.toContain(
			'rewritten'
		);
	});

	test('pre-moderation holds posts until a moderator approves them', async () => {
		const db = await testDb();
		const s = await setup(db);
		const t = await thread(db, s.cls.id, s.teacher);
		expect((await setPremoderation(db, s.cls.id, s.teacher, 'all', 7)).ok).toBe(true);
		const held = await createPost(db, t, s.a, { ...blank, body: 'Held reply' });
		expect(held.ok && held.status).toBe('pending');
		expect(JSON.stringify((await pageData(s.users.reader, s.cls.id, t.id)).data)).not.toContain(
			'Held reply'
		);
		expect(JSON.stringify((await pageData(s.users.author, s.cls.id, t.id)).data)).toContain(
			'Held reply'
		);
		if (!held.ok) return;
		expect((await moderatePost(db, s.cls.id, held.postId, s.m, 'approve', '')).ok).toBe(true);
		expect(JSON.stringify((await pageData(s.users.reader, s.cls.id, t.id)).data)).toContain(
			'Held reply'
		);
		// Moderators' own posts are never held.
		const mine = await createPost(db, t, s.m, { ...blank, body: 'From a moderator' });
		expect(mine.ok && mine.status).toBe('visible');
		// Only one member held.
		await setPremoderation(db, s.cls.id, s.teacher, 'off', 7);
		await restrictMember(db, s.cls.id, s.b.id, s.m, { kind: 'premoderate' }, '');
		const ben = await createPost(db, t, s.b, { ...blank, body: 'Ben again' });
		const ada = await createPost(db, t, s.a, { ...blank, body: 'Ada again' });
		expect([ben.ok && ben.status, ada.ok && ada.status]).toEqual(['pending', 'visible']);
		// Recently joined members only.
		await restrictMember(db, s.cls.id, s.b.id, s.m, { kind: 'unpremoderate' }, '');
		await setPremoderation(db, s.cls.id, s.teacher, 'new-members', 3);
		const fresh = await createPost(db, t, s.a, { ...blank, body: 'Just joined' });
		expect(fresh.ok && fresh.status).toBe('pending');
	});

	test('the queue holds the held and the flagged posts, oldest first, and no other', async () => {
		const db = await testDb();
		const s = await setup(db);
		const t = await thread(db, s.cls.id, s.teacher);
		await restrictMember(db, s.cls.id, s.b.id, s.m, { kind: 'premoderate' }, '');
		const flagged = await createPost(db, t, s.a, { ...blank, body: 'Flagged later' });
		const held = await createPost(db, t, s.b, { ...blank, body: 'Held for review' });
		const plain = await createPost(db, t, s.a, { ...blank, body: 'Nothing wrong here' });
		expect([flagged.ok && flagged.status, held.ok && held.status, plain.ok]).toEqual([
			'visible',
			'pending',
			true
		]);
		if (!flagged.ok || !held.ok) return;
		const flag = await flagPost(db, s.cls.id, flagged.postId, s.b, { reason: 'Spam', note: '' });
		expect(flag.ok).toBe(true);
		const queue = (await moderationQueue(db, s.cls.id)).rows;
		expect(queue.map((q) => [q.postId, q.status, q.flags.length])).toEqual([
			[flagged.postId, 'visible', 1],
			[held.postId, 'pending', 0]
		]);
		// Approving the held post and hiding the flagged one empties the queue.
		expect((await moderatePost(db, s.cls.id, held.postId, s.m, 'approve', '')).ok).toBe(true);
		expect((await moderatePost(db, s.cls.id, flagged.postId, s.m, 'hide', 'Spam')).ok).toBe(true);
		expect((await moderationQueue(db, s.cls.id)).rows).toEqual([]);
	});

	test('the queue and the members table are read a page at a time, oldest and A to Z first', async () => {
		const db = await testDb();
		const s = await setup(db);
		const t = await thread(db, s.cls.id, s.teacher);
		// 45 held posts, a minute apart, and 57 more members (60 besides the instructor).
		const base = Date.parse('2026-03-01T09:00:00Z');
		const held = await db
			.insertInto('posts')
			.values(
				Array.from({ length: 45 }, (_, i) => ({
					class_id: s.cls.id,
					thread_id: t.id,
					path: `held${i}`,
					author_id: s.users.author.id,
					body: `Held post ${i + 1}`,
					status: 'pending' as const,
					created_at: new Date(base + i * 60_000)
				}))
			)
			.returning('id')
			.execute();
		for (let i = 0; i < 57; i++) {
			const u = await newUser(db, { name: `Zed ${String(i).padStart(2, '0')}` });
			await newMember(db, s.cls.id, u.id, 'student');
		}
		const ids = held.map((h) => h.id);

		const first = await moderationQueue(db, s.cls.id);
		expect([first.total, first.page, first.pages]).toEqual([45, 1, 3]);
		expect(first.rows.map((q) => q.postId)).toEqual(ids.slice(0, QUEUE_PAGE_SIZE));
		const last = await moderationQueue(db, s.cls.id, 3);
		expect(last.rows.map((q) => q.postId)).toEqual(ids.slice(40));
		// A page past the end (the queue shrank since the link was made) shows the last one.
		const past = await moderationQueue(db, s.cls.id, 99);
		expect([past.page, past.rows.map((q) => q.postId)]).toEqual([3, ids.slice(40)]);

		const members = await memberHistories(db, s.cls.id);
		expect([members.total, members.pages, members.rows.length]).toEqual([60, 2, MEMBERS_PAGE_SIZE]);
		expect(members.rows.slice(0, 3).map((m) => m.name)).toEqual([
			'Ada Author',
			'Ben Reader',
			'Mo Moderator'
		]);
		const more = await memberHistories(db, s.cls.id, 2);
		expect(more.rows.map((m) => m.name)).toEqual(
			Array.from({ length: 10 }, (_, i) => `Zed ${String(47 + i)}`)
		);

		// The page reads the pages the address names, and renders only the shown posts.
		const page = await outcome(
			queueLoad,
			fakeEvent({
				user: asSessionUser(s.users.mod),
				params: { class: String(s.cls.id) },
				path: `/classes/${s.cls.id}/moderation?page=2&members=2`
			})
		);
		expect(page.outcome).toBe('ok');
		const data = page.data as {
			queue: { rows: { html: string }[] };
			members: { page: number; rows: unknown[] };
		};
		expect(data.queue.rows.map((q) => q.html)).toEqual(
			Array.from({ length: 20 }, (_, i) => `<p>Held post ${i + 21}</p>\n`)
		);
		expect([data.members.page, data.members.rows.length]).toEqual([2, 10]);
	});

	test('locks, silences and slow mode are enforced on the server', async () => {
		const db = await testDb();
		const s = await setup(db);
		const t = await thread(db, s.cls.id, s.teacher);
		await moderateThread(db, s.cls.id, t.id, s.m, 'lock');
		const locked = await findThread(db, s.cls.id, t.id);
		const r1 = await createPost(db, locked!, s.a, { ...blank, body: 'Let me in' });
		expect(r1.ok || r1.refusal).toMatchObject({
			status: 403,
			message: expect.stringMatching(/locked/)
		});
		expect((await createPost(db, locked!, s.m, { ...blank, body: 'Moderator note' })).ok).toBe(
			true
		);
		await moderateThread(db, s.cls.id, t.id, s.m, 'unlock');

		await restrictMember(db, s.cls.id, s.a.id, s.m, { kind: 'silence', hours: 24 }, 'Cool off');
		const open = (await findThread(db, s.cls.id, t.id))!;
		const r2 = await createPost(db, open, s.a, { ...blank, body: 'Still here' });
		expect(r2.ok || r2.refusal).toMatchObject({
			status: 403,
			message: expect.stringMatching(/silenced/)
		});
		await restrictMember(db, s.cls.id, s.a.id, s.m, { kind: 'unsilence' }, '');

		await moderateThread(db, s.cls.id, t.id, s.m, { slowModeSeconds: 300 });
		const slow = (await findThread(db, s.cls.id, t.id))!;
		expect((await createPost(db, slow, s.a, { ...blank, body: 'one' })).ok).toBe(true);
		const r3 = await createPost(db, slow, s.a, { ...blank, body: 'two' });
		expect(r3.ok || r3.refusal).toMatchObject({ status: 429, field: 'body' });
	});

	test('watched words block, hold or replace', async () => {
		const db = await testDb();
		const s = await setup(db);
		const t = await thread(db, s.cls.id, s.teacher);
		await addWatchedWord(db, s.cls.id, s.m, { word: 'idiot', action: 'block', replacement: '' });
		await addWatchedWord(db, s.cls.id, s.m, { word: 'leak', action: 'hold', replacement: '' });
		await addWatchedWord(db, s.cls.id, s.m, {
			word: 'darn',
			action: 'replace',
			replacement: 'heck'
		});
		const blocked = await createPost(db, t, s.a, { ...blank, body: 'You IDIOT' });
		expect(blocked.ok || blocked.refusal).toMatchObject({ status: 400, field: 'body' });
		const held = await createPost(db, t, s.a, { ...blank, body: 'A leak of data' });
		expect(held.ok && held.status).toBe('pending');
		const replaced = await createPost(db, t, s.a, { ...blank, body: 'Darn it' });
		expect(replaced.ok).toBe(true);
		const rows = await threadPosts(db, t.id, s.a.id);
		expect(rows.map((r) => r.body)).toContain('heck it');
	});

	test('moving a post takes its replies along and keeps the tree whole', async () => {
		const db = await testDb();
		const s = await setup(db);
		const from = await thread(db, s.cls.id, s.teacher);
		const to = await thread(db, s.cls.id, s.teacher, 'Other thread');
		const [root] = await threadPosts(db, from.id, 0);
		const a = await createPost(db, from, s.a, { ...blank, body: 'moved', parentId: root.id });
		if (!a.ok) throw new Error('refused');
		const b = await createPost(db, from, s.b, { ...blank, body: 'moved too', parentId: a.postId });
		if (!b.ok) throw new Error('refused');
		expect((await movePost(db, s.cls.id, a.postId, to.id, s.m, 'Off topic here')).ok).toBe(true);
		expect((await threadPosts(db, from.id, 0)).map((r) => r.body)).toEqual(['Opening post']);
		const moved = await threadPosts(db, to.id, 0);
		expect(moved.map((r) => [r.body, r.depth, r.parentId])).toEqual([
			['Other thread', 0, null],
			['moved', 0, null],
			['moved too', 1, a.postId]
		]);
		expect(moved[2].path.startsWith(moved[1].path + '.')).toBe(true);
	});

	test('every moderation action and setting change leaves its row in the log', async () => {
		const db = await testDb();
		const s = await setup(db);
		const t = await thread(db, s.cls.id, s.a);
		const other = await thread(db, s.cls.id, s.teacher, 'Elsewhere');
		const [post] = await threadPosts(db, t.id, 0);
		await setPremoderation(db, s.cls.id, s.teacher, 'all', 7);
		const held = await createPost(db, t, s.b, { ...blank, body: 'to approve' });
		if (!held.ok) throw new Error('refused');
		const steps: [string, () => Promise<unknown>][] = [
			['settings.premoderation', async () => {}],
			['post.approve', () => moderatePost(db, s.cls.id, held.postId, s.m, 'approve', '')],
			['post.hide', () => moderatePost(db, s.cls.id, post.id, s.m, 'hide', 'why')],
			['post.restore', () => moderatePost(db, s.cls.id, post.id, s.m, 'restore', '')],
			['post.remove', () => moderatePost(db, s.cls.id, post.id, s.m, 'remove', 'why')],
			['post.restore', () => moderatePost(db, s.cls.id, post.id, s.m, 'restore', '')],
			[
				'flag.dismiss',
				async () => {
					await flagPost(db, s.cls.id, post.id, s.b, { reason: 'Spam', note: '' });
					return dismissFlags(db, s.cls.id, post.id, s.m, '');
				}
			],
			['post.move', () => movePost(db, s.cls.id, held.postId, other.id, s.m, '')],
			['thread.lock', () => moderateThread(db, s.cls.id, t.id, s.m, 'lock')],
			['thread.unlock', () => moderateThread(db, s.cls.id, t.id, s.m, 'unlock')],
			['thread.pin', () => moderateThread(db, s.cls.id, t.id, s.m, 'pin')],
			['thread.unpin', () => moderateThread(db, s.cls.id, t.id, s.m, 'unpin')],
			['thread.slow-mode', () => moderateThread(db, s.cls.id, t.id, s.m, { slowModeSeconds: 60 })],
			[
				'member.silence',
				() => restrictMember(db, s.cls.id, s.a.id, s.m, { kind: 'silence', hours: 1 }, 'x')
			],
			[
				'member.unsilence',
				() => restrictMember(db, s.cls.id, s.a.id, s.m, { kind: 'unsilence' }, '')
			],
			[
				'member.premoderate',
				() => restrictMember(db, s.cls.id, s.a.id, s.m, { kind: 'premoderate' }, '')
			],
			[
				'member.unpremoderate',
				() => restrictMember(db, s.cls.id, s.a.id, s.m, { kind: 'unpremoderate' }, '')
			],
			[
				'watched-word.add',
				() => addWatchedWord(db, s.cls.id, s.m, { word: 'bad', action: 'hold', replacement: '' })
			],
			[
				'watched-word.remove',
				async () => {
					const w = await db.selectFrom('watched_words').select('id').executeTakeFirstOrThrow();
					return removeWatchedWord(db, s.cls.id, s.m, w.id);
				}
			]
		];
		for (const [, run] of steps) {
			const r = (await run()) as { ok?: boolean } | boolean | undefined;
			if (r !== undefined) expect(r === true || (typeof r === 'object' && r.ok)).toBe(true);
		}
		expect(await logActions(db, s.cls.id)).toEqual(steps.map(([a]) => a));
		const row = await db
			.selectFrom('moderation_log')
			.selectAll()
			.where('action', '=', 'post.hide')
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({
			actor_id: s.m.id,
			actor_name: 'Mo Moderator',
			target_kind: 'post',
			target_id: post.id,
			reason: 'why'
		});
	});

	test('a refused action logs nothing and changes nothing', async () => {
		const db = await testDb();
		const s = await setup(db);
		const t = await thread(db, s.cls.id, s.a);
		const [post] = await threadPosts(db, t.id, 0);
		const r = await moderatePost(db, s.cls.id, post.id, s.m, 'hide', '');
		expect(r.ok || r.refusal.field).toBe('reason');
		expect((await moderatePost(db, s.cls.id, post.id, s.m, 'approve', '')).ok).toBe(false);
		expect(await logActions(db, s.cls.id)).toEqual([]);
		expect((await threadPosts(db, t.id, 0))[0].status).toBe('visible');
	});

	test('anonymous prompts hide names from students only; post-first hides replies until one posts', async () => {
		const db = await testDb();
		const s = await setup(db);
		const assignmentId = await createAssignment(
			db,
			s.cls.id,
			{
				kind: 'discussion',
				lessonId: null,
				title: 'Argue it',
				instructions: 'Who gains?',
				opensAt: null,
				dueAt: new Date(Date.now() + 86400000),
				discussion: { postFirst: true, anonymous: true, actorMode: 'none' }
			},
			s.teacher.id
		);
		const row = await db
			.selectFrom('threads')
			.select('id')
			.where('assignment_id', '=', assignmentId!)
			.executeTakeFirstOrThrow();
		const t = (await findThread(db, s.cls.id, row.id))!;
		expect((await createPost(db, t, s.a, { ...blank, body: 'Ada answers' })).ok).toBe(true);
		let forBen = JSON.stringify((await pageData(s.users.reader, s.cls.id, t.id)).data);
		expect(forBen).not.toContain('Ada answers');
		expect(forBen).toContain('waitingForOwnPost":true');
		expect((await createPost(db, t, s.b, { ...blank, body: 'Ben answers' })).ok).toBe(true);
		forBen = JSON.stringify((await pageData(s.users.reader, s.cls.id, t.id)).data);
		expect(forBen).toContain('Ada answers');
		expect(forBen).not.toContain('Ada Author');
		expect(forBen).toContain('Classmate 1');
		const forTeacher = JSON.stringify((await pageData(s.users.teacher, s.cls.id, t.id)).data);
		expect(forTeacher).toContain('Ada Author');
		const forMod = JSON.stringify((await pageData(s.users.mod, s.cls.id, t.id)).data);
		expect(forMod).toContain('Ada Author');
	});

	test('outsiders get 404 and the thread of another class is not found', async () => {
		const db = await testDb();
		const s = await setup(db);
		const t = await thread(db, s.cls.id, s.a);
		const outsider = await newUser(db);
		expect((await pageData(outsider, s.cls.id, t.id)).outcome).toBe(404);
		const otherClass = await newClass(db, s.course.id, { instructorId: s.users.teacher.id });
		expect((await pageData(s.users.teacher, otherClass.id, t.id)).outcome).toBe(404);
	});

	test('moderation is refused to students on the server, whatever the page shows', async () => {
		const db = await testDb();
		const s = await setup(db);
		const t = await thread(db, s.cls.id, s.a);
		const [post] = await threadPosts(db, t.id, 0);
		const outsider = await newUser(db);
		const act = (user: Parameters<typeof asSessionUser>[0], name: keyof typeof threadActions) =>
			outcome(
				threadActions[name],
				fakeEvent({
					user: asSessionUser(user),
					params: { class: String(s.cls.id), thread: String(t.id) },
					path: `/classes/${s.cls.id}/discussions/${t.id}`,
					form: { post: String(post.id), reason: 'because', seconds: '60' }
				})
			);
		for (const name of [
			'hide',
			'remove',
			'approve',
			'restore',
			'dismiss',
			'move',
			'lock',
			'pin',
			'slow'
		] as const) {
			expect((await act(s.users.reader, name)).outcome, name).toBe(403);
			expect((await act(outsider, name)).outcome, name).toBe(404);
		}
		expect((await act(s.users.mod, 'hide')).outcome).toBe('ok');
		expect((await threadPosts(db, t.id, 0))[0].status).toBe('hidden');
		const queue = (user: Parameters<typeof asSessionUser>[0]) =>
			outcome(
				queueLoad,
				fakeEvent({
					user: asSessionUser(user),
					params: { class: String(s.cls.id) },
					path: `/classes/${s.cls.id}/moderation`
				})
			);
		expect((await queue(s.users.reader)).outcome).toBe(403);
		expect((await queue(s.users.mod)).outcome).toBe('ok');
	});
});
