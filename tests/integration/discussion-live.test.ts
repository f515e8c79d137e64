import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { GET } from '../../src/routes/classes/[class]/discussions/events/+server.ts';
import { inTransaction, useDatabase } from '../../src/lib/server/db/index.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/connect.ts';
import { recordEvent } from '../../src/lib/server/discussion/events.ts';
import { sql } from 'kysely';
import {
	DiscussionHub,
	discussionHub,
	MAX_STREAMS_PER_USER
} from '../../src/lib/server/discussion/live/hub.ts';
import { removeMember } from '../../src/lib/server/classes/classes.ts';
import { testDatabaseKind, testHandle } from '../helpers/db.ts';
import { newClass, newCourse, newMember, newUser } from '../helpers/factories.ts';
import { asSessionUser, fakeEvent, outcome } from '../helpers/kit.ts';
import { countingHandle } from '../helpers/query-count.ts';
import { openDiscussionStream } from '../../src/lib/server/discussion/live/stream.ts';
import { readSse } from '../helpers/sse.ts';

// The live discussion stream, read straight from the GET handler's response body.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type User = Awaited<ReturnType<typeof newUser>>;

const open: ReturnType<typeof readSse>[] = [];
const hubs = new Set<DiscussionHub>();
afterEach(async () => {
	for (const s of open.splice(0)) await s.cancel();
});
// The suite's handle is shared with other files: leave its listener as it was found.
afterAll(async () => {
	for (const hub of hubs) await hub.stop();
	expect(handle.listener.stats().discussion).toBeUndefined();
});

let handle: DatabaseHandle;
beforeEach(async () => {
	handle = await testHandle();
	useDatabase(handle);
	hubs.add(discussionHub(handle));
});

async function setup() {
	const db = handle.db;
	const teacher = await newUser(db, { role: 'instructor' });
	const course = await newCourse(db);
	const cls = await newClass(db, course.id, { instructorId: teacher.id });
	const alice = await newUser(db);
	const bob = await newUser(db);
	await newMember(db, cls.id, alice.id);
	await newMember(db, cls.id, bob.id);
	return { db, teacher, cls, alice, bob };
}

function streamEvent(user: User | null, classId: number, lastEventId?: string) {
	const e = fakeEvent({
		user: user ? asSessionUser(user) : null,
		params: { class: String(classId) },
		path: `/classes/${classId}/discussions/events`
	});
	const headers = new Headers();
	if (lastEventId) headers.set('last-event-id', lastEventId);
	return { ...e, request: new Request(e.url, { headers }) };
}

async function connect(user: User, classId: number, lastEventId?: string) {
	const res = (await GET(streamEvent(user, classId, lastEventId) as never)) as Response;
	expect(res.status).toBe(200);
	const s = readSse(res.body!);
	open.push(s);
	await s.until(() => s.frames.some((f) => f.event === 'ready'));
	return { res, s };
}

function record(classId: number, over: { userId?: number; postId?: number } = {}) {
	return inTransaction(handle.db, (trx) =>
		recordEvent(trx, { classId, kind: 'post', threadId: 1, postId: over.postId ?? 1, ...over })
	);
}

describe(`live discussion stream (${testDatabaseKind})`, () => {
	test('opens with the SSE headers, a retry and a ready event at the latest id', async () => {
		const { cls, alice } = await setup();
		const before = await record(cls.id);
		const { res, s } = await connect(alice, cls.id);
		expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
		expect(res.headers.get('cache-control')).toBe('no-cache');
		expect(res.headers.get('x-accel-buffering')).toBe('no');
		expect(s.frames[0]).toEqual({ retry: '3000' });
		expect(s.frames[1]).toMatchObject({ id: before, event: 'ready' });
		// The event before the stream opened is not sent.
		await sleep(100);
		expect(s.events()).toEqual([]);
	});

	test('a committed event reaches the open stream, ids only; a rolled-back one never does', async () => {
		const { cls, alice } = await setup();
		const { s } = await connect(alice, cls.id);
		await expect(
			inTransaction(handle.db, async (trx) => {
				await recordEvent(trx, { classId: cls.id, kind: 'post', threadId: 9, postId: 99 });
				throw new Error('rolled back');
			})
		).rejects.toThrow('rolled back');
		const id = await inTransaction(handle.db, (trx) =>
			recordEvent(trx, { classId: cls.id, kind: 'edit', threadId: 3, postId: 4 })
		);
		await s.until(() => s.events().length > 0);
		await sleep(150);
		expect(s.events()).toEqual([
			{ id, event: 'edit', data: JSON.stringify({ kind: 'edit', threadId: 3, postId: 4 }) }
		]);
	});

	test('Last-Event-ID replays exactly the missed events, in order, then goes live', async () => {
		const { cls, alice, bob } = await setup();
		const seen = await record(cls.id, { postId: 1 });
		const missed = [
			await record(cls.id, { postId: 2 }),
			await record(cls.id, { postId: 3, userId: bob.id }),
			await record(cls.id, { postId: 4 })
		];
		// Another class's events are not this stream's.
		const other = await newClass(handle.db, (await newCourse(handle.db)).id);
		await record(other.id);
		const { s } = await connect(alice, cls.id, seen);
		expect(s.events().map((f) => f.id)).toEqual([missed[0], missed[2]]);
		const live = await record(cls.id, { postId: 5 });
		await s.until(() => s.events().length === 3);
		expect(s.events().map((f) => f.id)).toEqual([missed[0], missed[2], live]);

		// The query form, for a first connection.
		const res = (await GET({
			...streamEvent(alice, cls.id),
			url: new URL(`http://localhost/classes/${cls.id}/discussions/events?lastEventId=${seen}`)
		} as never)) as Response;
		const q = readSse(res.body!);
		open.push(q);
		await q.until(() => q.frames.some((f) => f.event === 'ready'));
		expect(q.events().map((f) => f.id)).toEqual([missed[0], missed[2], live]);
	});

	test('an event for one member goes only to that member’s streams', async () => {
		const { cls, alice, bob } = await setup();
		const a = (await connect(alice, cls.id)).s;
		const b = (await connect(bob, cls.id)).s;
		const forBob = await inTransaction(handle.db, (trx) =>
			recordEvent(trx, { classId: cls.id, kind: 'notification', postId: 7, userId: bob.id })
		);
		const all = await record(cls.id);
		await b.until(() => b.events().length === 2);
		await a.until(() => a.events().length === 1);
		expect(b.events().map((f) => [f.id, f.event])).toEqual([
			[forBob, 'notification'],
			[all, 'post']
		]);
		expect(a.events().map((f) => f.id)).toEqual([all]);
	});

	test('heartbeats keep an idle stream open; closing it unregisters it from the hub', async () => {
		const { cls, alice } = await setup();
		const hub = discussionHub(handle);
		const res = openDiscussionStream(hub, { classId: cls.id, userId: alice.id, heartbeatMs: 50 });
		const s = readSse(res.body!);
		await s.until(() => s.frames.filter((f) => f.comment === 'hb').length >= 2);
		expect(hub.stats()[cls.id]).toBe(1);
		await s.cancel();
		expect(hub.stats()[cls.id]).toBeUndefined();
		// Its place is given back: the user can open the full number again.
		for (let i = 0; i < MAX_STREAMS_PER_USER; i++) expect(hub.reserve(alice.id)).toBe(true);
		expect(hub.reserve(alice.id)).toBe(false);
		for (let i = 0; i < MAX_STREAMS_PER_USER; i++) hub.release(alice.id);
	});

	test('outsiders get 404, anonymous visitors are sent to log in', async () => {
		const { cls } = await setup();
		const stranger = await newUser(handle.db);
		expect((await outcome(GET, streamEvent(stranger, cls.id) as never)).outcome).toBe(404);
		expect((await outcome(GET, streamEvent(null, cls.id) as never)).outcome).toBe('login');
	});

	test(`a user's stream beyond ${MAX_STREAMS_PER_USER} gets 429; closing one frees a place`, async () => {
		const { cls, alice, bob } = await setup();
		const mine = [];
		for (let i = 0; i < MAX_STREAMS_PER_USER; i++) mine.push((await connect(alice, cls.id)).s);
		const res = (await GET(streamEvent(alice, cls.id) as never)) as Response;
		expect(res.status).toBe(429);
		expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(await res.text()).toMatch(/too many/i);
		// Someone else is not affected.
		await connect(bob, cls.id);
		await mine[0].cancel();
		await connect(alice, cls.id);
		expect(discussionHub(handle).stats()[cls.id]).toBe(MAX_STREAMS_PER_USER + 1);
	});

	test('removing a member closes their streams, not the others’', async () => {
		const { db, cls, alice, bob } = await setup();
		const a = (await connect(alice, cls.id)).s;
		const b = (await connect(bob, cls.id)).s;
		expect(await removeMember(db, cls.id, alice.id, { id: bob.id, name: 'Bob' })).toBe(true);
		await a.until(() => a.ended);
		expect(b.ended).toBe(false);
		const id = await record(cls.id);
		await b.until(() => b.events().length === 1);
		expect(b.events()[0].id).toBe(id);
		// And they cannot open another.
		expect((await outcome(GET, streamEvent(alice, cls.id) as never)).outcome).toBe(404);
	});

	test('idle streams cost no queries; an event costs one read per class, not one per stream', async () => {
		const { cls, alice, bob, teacher } = await setup();
		const other = await newClass(handle.db, (await newCourse(handle.db)).id);
		await newMember(handle.db, other.id, alice.id);
		const counting = countingHandle(handle);
		useDatabase(counting.handle);
		const hub = discussionHub(counting.handle);
		hubs.add(hub);
		const streams = [];
		for (const u of [alice, bob, teacher]) {
			for (let i = 0; i < 3; i++) streams.push((await connect(u, cls.id)).s);
		}
		const elsewhere = (await connect(alice, other.id)).s;
		counting.counter.n = 0;
		const reads = hub.reads;
		await sleep(300);
		expect(counting.counter.n).toBe(0);

		// Written through the uncounted handle: only the hub's reads are counted.
		const id = await record(cls.id);
		await Promise.all(streams.map((s) => s.until(() => s.events().length === 1)));
		await sleep(100);
		expect(streams.every((s) => s.events()[0].id === id)).toBe(true);
		expect(counting.counter.n).toBe(1);
		expect(hub.reads - reads).toBe(1);
		expect(elsewhere.events()).toEqual([]);

		// A burst: every event arrives once, in order, with far fewer reads than events.
		counting.counter.n = 0;
		const burst = await Promise.all(Array.from({ length: 8 }, () => record(cls.id)));
		const sorted = [...burst].sort((x, y) => Number(x) - Number(y));
		await Promise.all(streams.map((s) => s.until(() => s.events().length === 9)));
		for (const s of streams) expect(s.events().map((f) => f.id)).toEqual([id, ...sorted]);
		expect(counting.counter.n).toBeLessThanOrEqual(8);
	});

	test('after the listener reconnects, each class re-reads from its cursor what it missed', async () => {
		const { cls, alice } = await setup();
		// A hub of its own on the same listener, whose reconnect the test can trigger.
		let reconnected: (() => void) | undefined;
		const hub = new DiscussionHub({
			db: handle.db,
			listen: (channel, onPayload, options) => {
				reconnected = options?.onReconnect;
				return handle.listen(channel, onPayload, options);
			}
		});
		hubs.add(hub);
		const got: string[] = [];
		const sink = {
			userId: alice.id,
			send: (e: { id: string }) => got.push(e.id),
			reset: () => {},
			close: () => {}
		};
		const { leave } = await hub.join(cls.id, sink);
		try {
			// An event whose notification never arrived (as while the connection was down).
			const { rows } = await sql<{ id: string }>`
				insert into events (class_id, kind, post_id) values (${cls.id}, 'post', 5)
				returning id::text as id`.execute(handle.db);
			await sleep(100);
			expect(got).toEqual([]);
			reconnected!();
			const start = Date.now();
			while (!got.length && Date.now() - start < 3000) await sleep(10);
			expect(got).toEqual([rows[0].id]);
		} finally {
			leave();
		}
	});
});
