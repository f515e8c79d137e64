/**
 * Results of a pure text function kept by their input: the same input always gives the same
 * output, so a kept result is never stale and nothing needs invalidating (another instance that
 * keeps its own copy computes the same text). Bounded by the characters kept (inputs and
 * outputs), least recently used first out; an input over a sixteenth of the bound is computed
 * each time rather than pushing everything else out.
 */
export interface TextMemo {
	(input: string, compute: (input: string) => string): string;
	/** Empties it (tests). */
	clear(): void;
	/** Entries kept and the characters they hold (tests). */
	stats(): { entries: number; chars: number };
}

export function textMemo(maxChars: number): TextMemo {
	const kept = new Map<string, string>();
	let chars = 0;
	const memo = ((input: string, compute: (input: string) => string): string => {
		const hit = kept.get(input);
		if (hit !== undefined) {
			kept.delete(input);
			kept.set(input, hit);
			return hit;
		}
		const out = compute(input);
		const size = input.length + out.length;
		if (size > maxChars / 16) return out;
		kept.set(input, out);
		chars += size;
		for (const [k, v] of kept) {
			if (chars <= maxChars) break;
			kept.delete(k);
			chars -= k.length + v.length;
		}
		return out;
	}) as TextMemo;
	memo.clear = () => {
		kept.clear();
		chars = 0;
	};
	memo.stats = () => ({ entries: kept.size, chars });
	return memo;
}
