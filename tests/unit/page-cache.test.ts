import { beforeEach, describe, expect, test } from 'vitest';
import {
	MAX_ENTRIES,
	cachedPage,
	clearPageCache,
	memoText,
	pageCacheSize
} from '../../src/lib/server/courses/page-cache.ts';

beforeEach(() => clearPageCache());

function counted(value: string, version = 'v1') {
	const calls = { n: 0 };
	const build = async () => {
		calls.n++;
		return { version, value };
	};
	return { calls, build };
}

describe('cachedPage', () => {
	test('builds once per version, and again when the version changes', async () => {
		const a = counted('A');
		expect(await cachedPage('k', 'v1', a.build)).toBe('A');
		expect(await cachedPage('k', 'v1', a.build)).toBe('A');
		expect(a.calls.n).toBe(1);
		const b = counted('B', 'v2');
		expect(await cachedPage('k', 'v2', b.build)).toBe('B');
		expect(b.calls.n).toBe(1);
		// The old version is gone, not served.
		const c = counted('C', 'v1');
		expect(await cachedPage('k', 'v1', c.build)).toBe('C');
	});

	test('keeps an entry under the version its content was read at', async () => {
		// The head said v1, but an author saved before the content was read: it is v2's content.
		expect(await cachedPage('k', 'v1', counted('new', 'v2').build)).toBe('new');
		const again = counted('rebuilt', 'v1');
		expect(await cachedPage('k', 'v1', again.build)).toBe('rebuilt');
		expect(await cachedPage('k', 'v1', counted('x', 'v1').build)).toBe('rebuilt');
	});

	test('does not keep what was not found', async () => {
		let n = 0;
		const missing = async () => {
			n++;
			return undefined;
		};
		expect(await cachedPage('gone', 'v1', missing)).toBeUndefined();
		expect(await cachedPage('gone', 'v1', missing)).toBeUndefined();
		expect(n).toBe(2);
		expect(pageCacheSize()).toBe(0);
	});

	test('concurrent misses share one build', async () => {
		const a = counted('A');
		const all = await Promise.all(Array.from({ length: 20 }, () => cachedPage('k', 'v1', a.build)));
		expect(all.every((v) => v === 'A')).toBe(true);
		expect(a.calls.n).toBe(1);
	});

	test('a failed build is not kept and does not block the next one', async () => {
		await expect(
			cachedPage('k', 'v1', async () => {
				throw new Error('database down');
			})
		).rejects.toThrow('database down');
		expect(await cachedPage('k', 'v1', counted('A').build)).toBe('A');
	});

	test('is bounded, dropping the least recently used', async () => {
		for (let i = 0; i < MAX_ENTRIES; i++) await cachedPage(`k${i}`, 'v1', counted(`${i}`).build);
		await cachedPage('k0', 'v1', counted('unused').build); // k0 is now the most recent
		await cachedPage('extra', 'v1', counted('extra').build);
		expect(pageCacheSize()).toBe(MAX_ENTRIES);
		const k0 = counted('k0 again');
		expect(await cachedPage('k0', 'v1', k0.build)).toBe('0');
		const k1 = counted('k1 again');
		expect(await cachedPage('k1', 'v1', k1.build)).toBe('k1 again');
	});
});

test('memoText computes once per source text', () => {
	let n = 0;
	const upper = (s: string) => {
		n++;
		return s.toUpperCase();
	};
	expect(memoText('up', 'abc', upper)).toBe('ABC');
	expect(memoText('up', 'abc', upper)).toBe('ABC');
	expect(memoText('up', 'abd', upper)).toBe('ABD');
	expect(n).toBe(2);
});
