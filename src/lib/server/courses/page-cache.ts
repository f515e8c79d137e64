/**
 * What the reading pages build from a course's content (the rendered Markdown with its citation
 * previews, the lists they show), kept in memory per course content version.
 *
 * Rendering a lesson's Markdown and its previews costs more than the rest of the page together,
 * and it gives the same HTML until an author changes the course. So every request still asks the
 * database for the course's version (one small query, see reading-head.ts), and an entry is used
 * only while its version is the one the database holds. Every authoring change bumps the version
 * in the transaction that makes it (editCourse touches the course row), so an edit shows on the
 * next request, on this instance and on any other: nothing here is invalidated in process, and no
 * instance serves what another has changed. Per-viewer data (progress, classes) is never cached.
 */

import { versionedCache } from '../cache/versioned.ts';
import { textMemo } from '../cache/text-memo.ts';

/** Entries kept across all courses; the least recently used goes first. */
export const MAX_ENTRIES = 500;

const pages = versionedCache<unknown>(MAX_ENTRIES);

/**
 * The value for `key` at `version`: kept, or built now (see cache/versioned.ts). `build` reads the
 * content and returns it with the version it read. An undefined build (no such lesson, actor…) is
 * not kept, so made-up addresses cannot push real pages out.
 */
export async function cachedPage<T>(
	key: string,
	version: string,
	build: () => Promise<{ version: string; value: T } | undefined>
): Promise<T | undefined> {
	return (await pages.get(key, version, build)) as T | undefined;
}

/** Empties the cache (tests). */
export function clearPageCache(): void {
	pages.clear();
}

/** How many entries are kept (tests). */
export function pageCacheSize(): number {
	return pages.size();
}

/** Derived texts kept (a catalogue's stripped summaries): about 1 MB of strings. */
const texts = textMemo(500_000);

/**
 * `fn(src)`, remembered by its source text: for derived text that depends on nothing else (a
 * course summary stripped of Markdown for the catalogue). Keyed on the text itself, so it can
 * never be stale.
 */
export function memoText(kind: string, src: string, fn: (src: string) => string): string {
	return texts(`${kind}\u0000${src}`, () => fn(src));
}
