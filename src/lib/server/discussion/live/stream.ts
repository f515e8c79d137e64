/**
 * One Server-Sent-Events stream of a class's discussion, fed by the process's hub (hub.ts). It
 * carries ids only (`{kind, threadId, postId}`): the page reloads what changed through its own
 * loads, which apply the visibility rules, so nothing hidden can leak through the stream.
 */
import type { DiscussionEvent } from '../events.ts';
import type { DiscussionHub, LiveSink } from './hub.ts';

export const HEARTBEAT_MS = 25_000;
export const RETRY_MS = 3000;
/** A reader this many messages behind is dropped; its browser reconnects and is replayed. */
const MAX_QUEUED = 256;

export const SSE_HEADERS = {
	'content-type': 'text/event-stream; charset=utf-8',
	'cache-control': 'no-cache',
	'x-accel-buffering': 'no'
} as const;

/** The SSE frame of an event: `id`, `event` (its kind) and the ids as JSON data. */
export function formatEvent(e: Pick<DiscussionEvent, 'id' | 'kind' | 'threadId' | 'postId'>) {
	const data = JSON.stringify({ kind: e.kind, threadId: e.threadId, postId: e.postId });
	return `id: ${e.id}\nevent: ${e.kind}\ndata: ${data}\n\n`;
}

function formatControl(kind: 'ready' | 'reset', id: string): string {
	return `id: ${id}\nevent: ${kind}\ndata: ${JSON.stringify({ kind, threadId: null, postId: null })}\n\n`;
}

/** A browser's Last-Event-ID (header, or `?lastEventId=` on a first connection); undefined if absent or malformed. */
export function readLastEventId(request: Request, url: URL): string | undefined {
	const raw = request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId');
	const v = raw?.trim();
	return v && /^\d{1,18}$/.test(v) ? v : undefined;
}

/**
 * Opens the stream of `classId` for `userId` (a member: the caller checked). 429 when the user
 * already holds MAX_STREAMS_PER_USER streams on this process.
 */
export function openDiscussionStream(
	hub: DiscussionHub,
	opts: { classId: number; userId: number; lastEventId?: string; heartbeatMs?: number }
): Response {
	if (!hub.reserve(opts.userId)) {
		return new Response('Too many live discussion streams are open for this account.', {
			status: 429,
			headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '30' }
		});
	}
	const encoder = new TextEncoder();
	let closed = false;
	let heartbeat: NodeJS.Timeout | undefined;
	let leave: (() => void) | undefined;
	let ctl: ReadableStreamDefaultController<Uint8Array>;

	// Every way a stream ends (the browser goes, the hub closes it, an error) comes here once.
	const finish = (end?: 'close' | unknown) => {
		if (closed) return;
		closed = true;
		clearInterval(heartbeat);
		leave?.();
		hub.release(opts.userId);
		if (end === 'close') {
			try {
				ctl.close();
			} catch {
				// Already cancelled by the reader.
			}
		} else if (end !== undefined) {
			ctl.error(end);
		}
	};
	const write = (text: string) => {
		if (closed) return;
		// A reader that does not keep up is dropped (it reconnects and replays) rather than buffered.
		if ((ctl.desiredSize ?? 0) < -MAX_QUEUED) return finish('close');
		ctl.enqueue(encoder.encode(text));
	};
	const sink: LiveSink = {
		userId: opts.userId,
		send: (e) => write(formatEvent(e)),
		reset: (id) => write(formatControl('reset', id)),
		close: () => finish('close')
	};

	const body = new ReadableStream<Uint8Array>({
		async start(controller) {
			ctl = controller;
			write(`retry: ${RETRY_MS}\n\n`);
			try {
				const joined = await hub.join(opts.classId, sink, opts.lastEventId);
				if (closed) return joined.leave();
				leave = joined.leave;
				// Replayed (or not): from here on it is live.
				write(formatControl('ready', joined.cursor));
			} catch (e) {
				console.error(`Live discussion: a stream of class ${opts.classId} failed to open: ${e}`);
				return finish('close');
			}
			heartbeat = setInterval(() => write(': hb\n\n'), opts.heartbeatMs ?? HEARTBEAT_MS);
			heartbeat.unref();
		},
		// adapter-node never aborts request.signal for a GET: the reader going away ends up here.
		cancel() {
			finish();
		}
	});
	return new Response(body, { headers: SSE_HEADERS });
}
