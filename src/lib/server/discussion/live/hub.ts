/**
 * The live hub of class discussion: per app process (per database handle) ONE subscription to the
 * `discussion` channel, shared by every open stream. A notification `<class>:<event id>` wakes the
 * class's entry only when a stream of that class is open here; the entry then reads the class's
 * new events once (from the last id it fanned out; notifications arriving while a read is in
 * flight make at most one more read) and hands each to every open stream of the class: an event
 * for one member (`userId` set) only to that member's streams. Idle streams cost no queries.
 *
 * Ids commit in order within a class (discussion/events.ts), so one cursor per class is enough.
 * After the listening connection was lost (notifications missed) every class re-reads from its
 * cursor. `<class>:left:<user>` closes that member's streams of the class (membership lost).
 */
import type { DatabaseHandle } from '../../db/index.ts';
import { EVENTS_CHANNEL, eventsSince, latestEventId, type DiscussionEvent } from '../events.ts';
import { parseLivePayload } from './payload.ts';

/** How many streams one user may hold open on one process (tabs, devices). */
export const MAX_STREAMS_PER_USER = 10;
/** A reader further behind than this is told to reload everything instead of being replayed. */
export const MAX_REPLAY = 1000;
const BATCH = 500;

/** What the hub drives: one open stream. */
export interface LiveSink {
	userId: number;
	/** An event this reader may see, in id order. */
	send(e: DiscussionEvent): void;
	/** Too much was missed to replay: the reader reloads everything; `id` is the new cursor. */
	reset(id: string): void;
	/** The hub ends the stream (membership lost). */
	close(): void;
}

interface Reader {
	sink: LiveSink;
	/** The highest event id this reader has been given or skipped. */
	cursor: bigint;
	/** While replaying, live events wait here so that order holds. */
	buffer: DiscussionEvent[] | null;
}

interface ClassEntry {
	classId: number;
	readers: Set<Reader>;
	/** Highest id fanned out; null until the entry has read the class's latest id. */
	cursor: bigint | null;
	/** Highest id notified. */
	wanted: bigint;
	/** A re-read was asked for (after a reconnect). */
	forced: boolean;
	running: Promise<void> | null;
}

type Handle = Pick<DatabaseHandle, 'db' | 'listen'>;

export function visibleTo(e: Pick<DiscussionEvent, 'userId'>, userId: number): boolean {
	return e.userId === null || e.userId === userId;
}

export class DiscussionHub {
	readonly #handle: Handle;
	readonly #classes = new Map<number, ClassEntry>();
	readonly #perUser = new Map<number, number>();
	#subscribed: Promise<() => Promise<void>> | undefined;
	/** Reads of new events made by the hub (not replays); for tests. */
	reads = 0;

	constructor(handle: Handle) {
		this.#handle = handle;
	}

	/** Subscribes the process once; later calls share it. */
	start(): Promise<unknown> {
		this.#subscribed ??= this.#handle
			.listen(EVENTS_CHANNEL, (p) => this.#onPayload(p), {
				onReconnect: () => this.#onReconnect()
			})
			.catch((e) => {
				this.#subscribed = undefined;
				throw e;
			});
		return this.#subscribed;
	}

	/**
	 * Ends the subscription (at shutdown, and for tests that share a handle): open streams are
	 * closed, a later join subscribes again. Streams closing never unsubscribe.
	 */
	async stop(): Promise<void> {
		const subscribed = this.#subscribed;
		this.#subscribed = undefined;
		for (const entry of [...this.#classes.values()])
			for (const r of [...entry.readers]) r.sink.close();
		this.#classes.clear();
		const unsubscribe = await subscribed?.catch(() => undefined);
		await unsubscribe?.();
	}

	/** Takes one of the user's stream places; false when they hold MAX_STREAMS_PER_USER. */
	reserve(userId: number): boolean {
		const n = this.#perUser.get(userId) ?? 0;
		if (n >= MAX_STREAMS_PER_USER) return false;
		this.#perUser.set(userId, n + 1);
		return true;
	}

	release(userId: number): void {
		const n = (this.#perUser.get(userId) ?? 0) - 1;
		if (n > 0) this.#perUser.set(userId, n);
		else this.#perUser.delete(userId);
	}

	/**
	 * Registers a stream of the class. With `afterId` (the browser's Last-Event-ID) it is first
	 * replayed what came after, then goes live; without, it starts from the class's latest event.
	 * Returns the id it starts live from and the function that unregisters it.
	 */
	async join(
		classId: number,
		sink: LiveSink,
		afterId?: string
	): Promise<{ cursor: string; leave: () => void }> {
		await this.start();
		let entry = this.#classes.get(classId);
		if (!entry) {
			entry = {
				classId,
				readers: new Set(),
				cursor: null,
				wanted: 0n,
				forced: false,
				running: null
			};
			this.#classes.set(classId, entry);
		}
		const reader: Reader = { sink, cursor: 0n, buffer: [] };
		entry.readers.add(reader);
		const e = entry;
		const leave = () => {
			e.readers.delete(reader);
			if (!e.readers.size && this.#classes.get(classId) === e) this.#classes.delete(classId);
		};
		try {
			// The entry's first read learns the latest id; notifications during it are kept.
			await this.#run(entry);
			if (afterId === undefined) {
				reader.cursor = entry.cursor ?? 0n;
			} else {
				reader.cursor = BigInt(afterId);
				await this.#replay(classId, reader);
			}
		} catch (err) {
			leave();
			throw err;
		}
		const waiting = reader.buffer ?? [];
		reader.buffer = null;
		for (const ev of waiting) this.#give(reader, ev);
		return { cursor: String(reader.cursor), leave };
	}

	/** Classes with open streams here, with their number of streams; for tests and health. */
	stats(): Record<number, number> {
		return Object.fromEntries([...this.#classes].map(([id, e]) => [id, e.readers.size]));
	}

	async #replay(classId: number, reader: Reader): Promise<void> {
		let replayed = 0;
		for (;;) {
			const batch = await eventsSince(this.#handle.db, classId, String(reader.cursor), BATCH);
			replayed += batch.length;
			if (replayed > MAX_REPLAY) {
				const latest = BigInt(await latestEventId(this.#handle.db, classId));
				reader.cursor = latest;
				reader.sink.reset(String(latest));
				return;
			}
			for (const ev of batch) this.#give(reader, ev, true);
			if (batch.length < BATCH) return;
		}
	}

	#give(reader: Reader, ev: DiscussionEvent, replaying = false): void {
		const id = BigInt(ev.id);
		if (reader.buffer && !replaying) {
			reader.buffer.push(ev);
			return;
		}
		if (id <= reader.cursor) return;
		reader.cursor = id;
		if (visibleTo(ev, reader.sink.userId)) reader.sink.send(ev);
	}

	#onPayload(payload: string): void {
		const p = parseLivePayload(payload);
		if (!p) return;
		const entry = this.#classes.get(p.classId);
		if (!entry) return;
		if (p.kind === 'left') {
			for (const r of [...entry.readers]) if (r.sink.userId === p.userId) r.sink.close();
			return;
		}
		const id = BigInt(p.eventId);
		if (id > entry.wanted) entry.wanted = id;
		void this.#run(entry).catch((e) =>
			console.error(`Live discussion: reading class ${p.classId}'s events failed: ${e}`)
		);
	}

	#onReconnect(): void {
		for (const entry of this.#classes.values()) {
			entry.forced = true;
			void this.#run(entry).catch((e) =>
				console.error(`Live discussion: re-reading class ${entry.classId} failed: ${e}`)
			);
		}
	}

	/** Runs the entry's reads one at a time until it has caught up with what was notified. */
	#run(entry: ClassEntry): Promise<void> {
		if (entry.running) return entry.running;
		const running = this.#catchUp(entry).finally(() => {
			if (entry.running === running) entry.running = null;
		});
		entry.running = running;
		return running;
	}

	async #catchUp(entry: ClassEntry): Promise<void> {
		entry.cursor ??= BigInt(await latestEventId(this.#handle.db, entry.classId));
		while (entry.readers.size && (entry.forced || entry.wanted > (entry.cursor ?? 0n))) {
			entry.forced = false;
			const batch = await eventsSince(this.#handle.db, entry.classId, String(entry.cursor), BATCH);
			this.reads++;
			for (const ev of batch) {
				entry.cursor = BigInt(ev.id);
				for (const r of entry.readers) this.#give(r, ev);
			}
			// Nothing new (the event's class was deleted): stop rather than spin.
			if (!batch.length) break;
		}
	}
}

const hubs = new WeakMap<object, DiscussionHub>();

/** The hub of this process's database handle (one per handle, made on first use). */
export function discussionHub(handle: Handle): DiscussionHub {
	let hub = hubs.get(handle);
	if (!hub) hubs.set(handle, (hub = new DiscussionHub(handle)));
	return hub;
}
