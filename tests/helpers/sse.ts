/** Reads a Server-Sent-Events body as it arrives: frames parsed into `frames`, waits for more. */
export interface SseFrame {
	id?: string;
	event?: string;
	data?: string;
	retry?: string;
	comment?: string;
}

export function readSse(body: ReadableStream<Uint8Array>) {
	const reader = body.getReader();
	const decoder = new TextDecoder();
	const frames: SseFrame[] = [];
	let text = '';
	let ended = false;
	const done = (async () => {
		try {
			for (;;) {
				const { value, done } = await reader.read();
				if (done) break;
				text += decoder.decode(value, { stream: true });
				let cut: number;
				while ((cut = text.indexOf('\n\n')) >= 0) {
					const block = text.slice(0, cut);
					text = text.slice(cut + 2);
					const f: SseFrame = {};
					for (const line of block.split('\n')) {
						if (line.startsWith(':')) f.comment = line.slice(1).trim();
						const m = /^(id|event|data|retry): (.*)$/.exec(line);
						if (m) f[m[1] as 'id' | 'event' | 'data' | 'retry'] = m[2];
					}
					frames.push(f);
				}
			}
		} catch {
			// Cancelled.
		}
		ended = true;
	})();
	return {
		frames,
		/** Frames carrying an event (not retry, heartbeat or ready). */
		events: () => frames.filter((f) => f.event && f.event !== 'ready'),
		get ended() {
			return ended;
		},
		done,
		// Waits for what must come, not for a latency: on a loaded CI runner (the bench smoke
		// beside the suite) a NOTIFY has taken over 3 s to arrive. A test that claims a latency
		// passes its own `ms`.
		async until(ok: () => boolean, ms = 10_000): Promise<void> {
			const start = Date.now();
			while (!ok()) {
				if (Date.now() - start > ms)
					throw new Error(`not within ${ms} ms: ${JSON.stringify(frames)}`);
				await new Promise((r) => setTimeout(r, 10));
			}
		},
		cancel: () => reader.cancel()
	};
}
