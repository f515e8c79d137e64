// One LISTEN connection per process. Subscribers register callbacks per channel; the listener
// LISTENs once per channel on one connection and fans notifications out in process. On a server the
// connection is re-opened after it is lost (with backoff), every channel is LISTENed again, and
// subscribers are told through `onReconnect` — notifications sent while the connection was down are
// lost, so a subscriber that must not miss any (live discussion) reloads what it shows from its
// tables then.
//
// Payloads carry ids only (for example `42` or `thread:42`): the subscriber reads the rows. A
// payload longer than MAX_PAYLOAD is refused on sending and dropped on receiving.

export const MAX_PAYLOAD = 64;
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkChannel(channel: string): void {
	if (!CHANNEL.test(channel)) {
		throw new Error(`Invalid channel name ${JSON.stringify(channel)}: use a-z, 0-9 and _.`);
	}
}

export function checkPayload(payload: string): void {
	if (payload.length > MAX_PAYLOAD) {
		throw new Error(`Notification payloads carry ids only (at most ${MAX_PAYLOAD} characters).`);
	}
}

export interface Subscription {
	onPayload: (payload: string) => void;
	/** Called after the listening connection was lost and is back (notifications may be missed). */
	onReconnect?: () => void;
}

/** What the listener needs from a database: LISTEN and UNLISTEN on its one connection. */
export interface ListenBackend {
	/** Opens the connection (again); `deliver` receives every notification. */
	connect(
		deliver: (channel: string, payload: string) => void,
		lost: (e: unknown) => void
	): Promise<void>;
	listen(channel: string): Promise<void>;
	unlisten(channel: string): Promise<void>;
	close(): Promise<void>;
}

export class Listener {
	readonly #channels = new Map<string, Set<Subscription>>();
	readonly #backend: ListenBackend;
	readonly #log: (line: string) => void;
	#connected: Promise<void> | undefined;
	#closed = false;
	#reconnectTimer: NodeJS.Timeout | undefined;
	#backoffMs = 0;
	/** How many times the connection has been re-opened; for tests and logs. */
	reconnects = 0;

	constructor(backend: ListenBackend, log: (line: string) => void = console.error) {
		this.#backend = backend;
		this.#log = log;
	}

	#deliver = (channel: string, payload: string) => {
		if (payload.length > MAX_PAYLOAD) {
			this.#log(`Dropped a notification on ${channel}: payload longer than ${MAX_PAYLOAD}.`);
			return;
		}
		for (const sub of this.#channels.get(channel) ?? []) {
			try {
				sub.onPayload(payload);
			} catch (e) {
				this.#log(`A subscriber of ${channel} failed: ${String(e)}`);
			}
		}
	};

	#lost = (e: unknown) => {
		if (this.#closed || this.#reconnectTimer) return;
		this.#log(`The database listener lost its connection (${errorText(e)}); reconnecting.`);
		this.#connected = undefined;
		this.#scheduleReconnect();
	};

	#scheduleReconnect() {
		clearTimeout(this.#reconnectTimer);
		this.#backoffMs = Math.min(this.#backoffMs ? this.#backoffMs * 2 : 100, 5000);
		this.#reconnectTimer = setTimeout(() => {
			this.#reconnectTimer = undefined;
			void this.#reconnect();
		}, this.#backoffMs);
		this.#reconnectTimer.unref();
	}

	async #reconnect() {
		if (this.#closed) return;
		try {
			await this.#open();
		} catch (e) {
			this.#connected = undefined;
			this.#log(`The database listener could not reconnect (${errorText(e)}); trying again.`);
			this.#scheduleReconnect();
			return;
		}
		this.#backoffMs = 0;
		this.reconnects++;
		for (const subs of this.#channels.values()) {
			for (const sub of subs) {
				try {
					sub.onReconnect?.();
				} catch (e) {
					this.#log(`A subscriber's reconnect handler failed: ${String(e)}`);
				}
			}
		}
	}

	#open(): Promise<void> {
		if (!this.#connected) {
			const opening = (async () => {
				await this.#backend.connect(this.#deliver, this.#lost);
				for (const channel of this.#channels.keys()) await this.#backend.listen(channel);
			})();
			this.#connected = opening;
			opening.catch(() => {
				if (this.#connected === opening) this.#connected = undefined;
			});
		}
		return this.#connected;
	}

	/** Subscribes to a channel; returns the unsubscribe function. */
	async subscribe(channel: string, sub: Subscription): Promise<() => Promise<void>> {
		checkChannel(channel);
		if (this.#closed) throw new Error('The database listener is closed.');
		let subs = this.#channels.get(channel);
		const fresh = !subs;
		if (!subs) this.#channels.set(channel, (subs = new Set()));
		subs.add(sub);
		try {
			if (!this.#connected) {
				// Opening LISTENs every channel, this one included.
				await this.#open();
			} else {
				await this.#connected;
				if (fresh) await this.#backend.listen(channel);
			}
		} catch (e) {
			// While reconnecting the channel is kept: the reconnect LISTENs it.
			if (!this.#reconnectTimer) {
				subs.delete(sub);
				if (!subs.size) this.#channels.delete(channel);
				throw e;
			}
		}
		let done = false;
		return async () => {
			if (done) return;
			done = true;
			const current = this.#channels.get(channel);
			current?.delete(sub);
			if (current && !current.size) {
				this.#channels.delete(channel);
				if (this.#connected && !this.#closed) {
					try {
						await this.#backend.unlisten(channel);
					} catch {
						// The connection is gone; nothing is listening any more.
					}
				}
			}
		};
	}

	/** Channels listened to, with their number of subscribers. */
	stats(): Record<string, number> {
		return Object.fromEntries([...this.#channels].map(([c, s]) => [c, s.size]));
	}

	async close(): Promise<void> {
		this.#closed = true;
		clearTimeout(this.#reconnectTimer);
		this.#channels.clear();
		if (this.#connected) {
			await this.#connected.catch(() => {});
			await this.#backend.close();
		}
	}
}

export function errorText(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}
