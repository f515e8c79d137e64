// The browser's end of a class's live discussion stream (src/routes/classes/[class]/discussions/
// events). The stream carries ids only; a page reloads what changed (invalidate) on each event.
// EventSource reconnects by itself after a dropped connection, sending the last event id it saw,
// and the server replays what was missed. When the server refuses (403/404/429) EventSource gives
// up; we try again a few times, slower each time, from the last id seen.
import type { EventKind } from '$lib/server/discussion/events';

export type LiveStatus = 'live' | 'reconnecting' | 'offline';

export interface LiveEvent {
	id: string;
	/** An EventKind, or 'reset': too much was missed, reload everything. */
	kind: string;
	threadId: number | null;
	postId: number | null;
}

const KINDS = ['post', 'edit', 'thread', 'notification'] as const satisfies readonly EventKind[];
// Every kind the server sends must be listened to (EventSource dispatches by event name).
const _allKinds: Exclude<EventKind, (typeof KINDS)[number]> extends never ? true : never = true;
void _allKinds;

const RETRIES = 5;

export function discussionStreamUrl(classId: number, lastEventId?: string): string {
	const base = `/classes/${classId}/discussions/events`;
	return lastEventId ? `${base}?lastEventId=${encodeURIComponent(lastEventId)}` : base;
}

export function subscribeDiscussion(
	classId: number,
	onEvent: (e: LiveEvent) => void,
	onStatus?: (s: LiveStatus) => void
): () => void {
	if (typeof EventSource === 'undefined') {
		onStatus?.('offline');
		return () => {};
	}
	let source: EventSource | undefined;
	let lastId: string | undefined;
	let failures = 0;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let stopped = false;
	let status: LiveStatus | undefined;
	const tell = (s: LiveStatus) => {
		if (s !== status) onStatus?.((status = s));
	};

	const handle = (m: MessageEvent<string>) => {
		if (m.lastEventId) lastId = m.lastEventId;
		let data: { kind?: unknown; threadId?: unknown; postId?: unknown };
		try {
			data = JSON.parse(m.data);
		} catch {
			return;
		}
		const num = (v: unknown) => (typeof v === 'number' ? v : null);
		onEvent({
			id: m.lastEventId,
			kind: m.type,
			threadId: num(data.threadId),
			postId: num(data.postId)
		});
	};

	const open = () => {
		source = new EventSource(discussionStreamUrl(classId, lastId));
		source.addEventListener('ready', (m) => {
			if ((m as MessageEvent).lastEventId) lastId = (m as MessageEvent).lastEventId;
			failures = 0;
			tell('live');
		});
		for (const kind of [...KINDS, 'reset']) source.addEventListener(kind, handle as EventListener);
		source.onerror = () => {
			if (stopped || !source) return;
			if (source.readyState === EventSource.CONNECTING) return tell('reconnecting');
			// Refused (not a member any more, too many tabs, signed out): EventSource has given up.
			source.close();
			source = undefined;
			if (++failures > RETRIES) return tell('offline');
			tell('reconnecting');
			timer = setTimeout(open, Math.min(3000 * 2 ** failures, 60_000));
		};
	};
	open();

	return () => {
		stopped = true;
		clearTimeout(timer);
		source?.close();
		source = undefined;
	};
}
