/**
 * Admits at most `limit` calls at once; the others wait in arrival order. A call that throws
 * frees its place like one that returns.
 *
 * Used where one kind of request can arrive by the thousand in the same second (an exam's
 * start): without it they would take every connection of the pool and every other request
 * (a page view, a save) would queue behind all of them.
 */
export class Gate {
	#running = 0;
	readonly #waiting: (() => void)[] = [];

	constructor(readonly limit: number) {
		if (!Number.isInteger(limit) || limit < 1)
			throw new RangeError('A gate admits at least one call.');
	}

	/** How many calls are running now, and how many wait. */
	get running(): number {
		return this.#running;
	}
	get waiting(): number {
		return this.#waiting.length;
	}

	async run<T>(fn: () => Promise<T>): Promise<T> {
		if (this.#running < this.limit) this.#running += 1;
		// The place is handed over by the call that leaves, so a newcomer cannot jump the queue.
		else await new Promise<void>((admit) => this.#waiting.push(admit));
		try {
			return await fn();
		} finally {
			const next = this.#waiting.shift();
			if (next) next();
			else this.#running -= 1;
		}
	}
}
