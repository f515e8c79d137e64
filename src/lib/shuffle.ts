// A seeded shuffle: the same seed always gives the same order, so a page shows options in the
// same order on every reload without storing it.
/** A seeded generator of numbers in [0, 1) (mulberry32): the same seed, the same sequence. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function hashSeed(text: string): number {
	let h = 2166136261;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 16777619);
	}
	return h >>> 0;
}

/** A new array with the items of `items` in an order fixed by `seed`. */
export function seededShuffle<T>(items: readonly T[], seed: number | string): T[] {
	const random = mulberry32(typeof seed === 'string' ? hashSeed(seed) : seed);
	const out = items.slice();
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}
