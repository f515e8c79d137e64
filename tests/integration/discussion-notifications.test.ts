import { describe, expect, test } from 'vitest';
import { createPost, threadPosts } from '../../src/lib/server/discussion/posts.ts';
import { startThread } from '../../src/lib/server/discussion/start-thread.ts';
import { findThread } from '../../src/lib/server/discussion/threads.ts';
import {
	listNotifications,
	markNotificationsRead,
	unreadNotificationCount
} from '../../src/lib/server/discussion/notifications.ts';
import { eventsSince } from '../../src/lib/server/discussion/events.ts';
import { moderatePost } from '../../src/lib/server/moderation/posts.ts';
import { setPremoderation } from '../../src/lib/server/moderation/settings.ts';
import type { Viewer } from '../../src/lib/server/discussion/viewer.ts';
import { testDb } from '../helpers/db.ts';
import { newClass, newCourse, newMember, newUser } from '../helpers/factories.ts';

const blank = { parentId: null, actorId: null, concernId: null, clientKey: null };

describe('notifications', () => {
	test('replies and @mentions notify once each, live for their member only; held posts notify on approval', async () => {
		const db = await testDb();
		const course = await newCourse(db);
		const teacher = await newUser(db, { role: 'instructor', name: 'Tess Teacher' });
		const cls = await newClass(db, course.id, { instructorId: teacher.id });
		const people: Viewer[] = [];
		for (const name of ['Ana López', 'Ben Okafor', 'Cy Dee']) {
			const u = await newUser(db, { name });
			await newMember(db, cls.id, u.id);
			people.push({ id: u.id, name, access: 'student' });
		}
		const [ana, ben, cy] = people;
		const outsider = await newUser(db, { name: 'Out Sider' });
		const started = await startThread(db, cls.id, ana, {
			...blank,
			title: 'T',
			body: 'Opening',
			anchor: 'general',
			lessonId: null,
			anchorActorId: null,
			paragraph: null
		});
		if (!started.ok) throw new Error(started.refusal.message);
		const thread = (await findThread(db, cls.id, started.threadId))!;
		const [root] = await threadPosts(db, thread.id, 0);
		const before = (await eventsSince(db, cls.id, '0')).at(-1)!.id;

		// Ben replies to Ana and mentions her (one notification: the reply) and Cy, and an outsider.
		await createPost(db, thread, ben, {
			...blank,
			parentId: root.id,
			body: 'Agreed @analopez and @cydee, not @outsider'
		});
		expect((await listNotifications(db, ana.id)).map((n) => [n.kind, n.message])).toEqual([
			['reply', 'Ben Okafor replied to your post in “T”.']
		]);
		expect((await listNotifications(db, cy.id)).map((n) => n.kind)).toEqual(['mention']);
		expect(await listNotifications(db, outsider.id)).toEqual([]);
		expect(await listNotifications(db, ben.id)).toEqual([]);
		const live = (await eventsSince(db, cls.id, before)).filter((e) => e.kind === 'notification');
		expect(live.map((e) => e.userId).sort()).toEqual([ana.id, cy.id].sort());

		expect(await unreadNotificationCount(db, ana.id)).toBe(1);
		await markNotificationsRead(db, ana.id);
		expect(await unreadNotificationCount(db, ana.id)).toBe(0);

		// A held reply tells nobody until it is approved; then the author hears of the approval.
		await setPremoderation(db, cls.id, { id: teacher.id, name: teacher.name }, 'all', 7);
		const held = await createPost(db, thread, cy, { ...blank, parentId: root.id, body: 'Late' });
		if (!held.ok) throw new Error('refused');
		expect(await unreadNotificationCount(db, ana.id)).toBe(0);
		await moderatePost(
			db,
			cls.id,
			held.postId,
			{ id: teacher.id, name: teacher.name },
			'approve',
			''
		);
		expect(await unreadNotificationCount(db, ana.id)).toBe(1);
		expect((await listNotifications(db, cy.id))[0].kind).toBe('moderation');
	});
});
