import { afterEach, describe, expect, test } from 'vitest';
import { parseLivePayload } from '../../src/lib/server/discussion/live/payload.ts';
import { formatEvent, readLastEventId } from '../../src/lib/server/discussion/live/stream.ts';
import { visibleTo } from '../../src/lib/server/discussion/live/hub.ts';
import { discussionStreamUrl, subscribeDiscussion } from '../../src/lib/live/discussion-stream.ts';

describe('live payloads and frames', () => {
	test('payloads are `<class>:<event>` or `<class>:left:<user>`; anything else is ignored', () => {
		expect(parseLivePayload('12:345')).toEqual({ kind: 'event', classId: 12, eventId: '345' });
		expect(parseLivePayload('12:left:7')).toEqual({ kind: 'left', classId: 12, userId: 7 });
		for (const bad of ['', '12', '12:', 'x:1', '12:left:', '1:2:3', '12:345 ', '-1:2'])
			expect(parseLivePayload(bad)).toBeUndefined();
	});

	test('an event frame carries ids only', () => {
		expect(formatEvent({ id: '9', kind: 'post', threadId: 3, postId: null })).toBe(
			'id: 9\nevent: post\ndata: {"kind":"post","threadId":3,"postId":null}\n\n'
		);
	});

	test('Last-Event-ID from the header, else the query; malformed ones are ignored', () => {
		const url = new URL('http://x/e?lastEventId=5');
		expect(readLastEventId(new Request(url, { headers: { 'last-event-id': '8' } }), url)).toBe('8');
		expect(readLastEventId(new Request(url), url)).toBe('5');
		const bad = new URL('http://x/e?lastEventId=5;drop');
		expect(readLastEventId(new Request(bad), bad)).toBeUndefined();
		expect(
			readLastEventId(new Request(bad, { headers: { 'last-event-id': '1e9' } }), bad)
		).toBeUndefined();
	});

	test('an event for one member is visible to that member only', () => {
		expect(visibleTo({ userId: null }, 1)).toBe(true);
		expect(visibleTo({ userId: 1 }, 1)).toBe(true);
		expect(visibleTo({ userId: 2 }, 1)).toBe(false);
	});
});

// A stand-in for the browser's EventSource: the test plays the server's side.
class FakeSource {
	static CONNECTING = 0;
	static OPEN = 1;
	static CLOSED = 2;
	static made: FakeSource[] = [];
	readyState = FakeSource.CONNECTING;
	listeners = new Map<string, ((m: MessageEvent) => void)[]>();
	onerror: (() => void) | null = null;
	closed = false;
	constructor(public url: string) {
		FakeSource.made.push(this);
	}
	addEventListener(type: string, fn: (m: MessageEvent) => void) {
		this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
	}
	emit(type: string, id: string, data: unknown) {
		this.readyState = FakeSource.OPEN;
		const m = new MessageEvent(type, { data: JSON.stringify(data), lastEventId: id });
		for (const fn of this.listeners.get(type) ?? []) fn(m);
	}
	close() {
		this.closed = true;
		this.readyState = FakeSource.CLOSED;
	}
}

describe('subscribeDiscussion', () => {
	const real = (globalThis as { EventSource?: unknown }).EventSource;
	afterEach(() => {
		(globalThis as { EventSource?: unknown }).EventSource = real;
		FakeSource.made = [];
	});

	test('hands on each event, says when it is live or reconnecting, and stops', () => {
		(globalThis as { EventSource?: unknown }).EventSource = FakeSource;
		const got: unknown[] = [];
		const statuses: string[] = [];
		const stop = subscribeDiscussion(
			4,
			(e) => got.push(e),
			(s) => statuses.push(s)
		);
		const src = FakeSource.made[0];
		expect(src.url).toBe('/classes/4/discussions/events');
		src.emit('ready', '10', { kind: 'ready', threadId: null, postId: null });
		src.emit('post', '11', { kind: 'post', threadId: 2, postId: 3 });
		src.emit('notification', '12', { kind: 'notification', threadId: null, postId: 5 });
		src.readyState = FakeSource.CONNECTING;
		src.onerror?.();
		expect(got).toEqual([
			{ id: '11', kind: 'post', threadId: 2, postId: 3 },
			{ id: '12', kind: 'notification', threadId: null, postId: 5 }
		]);
		expect(statuses).toEqual(['live', 'reconnecting']);
		stop();
		expect(src.closed).toBe(true);
	});

	test('the stream address carries the last id for a fresh connection', () => {
		expect(discussionStreamUrl(3)).toBe('/classes/3/discussions/events');
		expect(discussionStreamUrl(3, '42')).toBe('/classes/3/discussions/events?lastEventId=42');
	});
});
