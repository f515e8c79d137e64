/**
 * Values kept in memory under a version the database holds, for work that gives the same result
 * until something it reads changes (a course's rendered pages, a quiz's item statistics).
 *
 * Every request still asks the database for the current version (one small query), and an entry
 * is used only while its version is that one: nothing is invalidated in process, so an instance
 * never serves what another has changed. Concurrent misses of one key at one version share one
 * build, so a change does not make every waiting request build the same value at once.
 */
export interface VersionedCache<T> {
	/**
	 * The value for `key` at `version`: kept, or built now. `build` returns the value with the
	 * version it read (which may be newer than `version` if something changed in between: the
	 * entry is kept under the version its content has). An undefined build (nothing there) is not
	 * kept, so made-up keys cannot push real entries out.
	 */
	get(
		key: string,
		version: string,
		build: () => Promise<{ version: string; value: T } | undefined>
	): Promise<T | undefined>;
	/** Empties it (tests). */
	clear(): void;
	/** How many entries are kept (tests). */
	size(): number;
}

/** A cache of at most `maxEntries` entries; the least recently used goes first. */
export function versionedCache<T>(maxEntries: number): VersionedCache<T> {
	const entries = new Map<string, { version: string; value: T }>();
	const building = new Map<string, Promise<T | undefined>>();

	function remember(key: string, entry: { version: string; value: T }) {
		entries.delete(key);
		entries.set(key, entry);
		while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
	}

	return {
		async get(key, version, build) {
			const hit = entries.get(key);
			if (hit && hit.version === version) {
				remember(key, hit);
				return hit.value;
			}
			const flight = `${key}\u0000${version}`;
			let pending = building.get(flight);
			if (!pending) {
				pending = (async () => {
					try {
						const built = await build();
						if (!built) return undefined;
						remember(key, built);
						return built.value;
					} finally {
						building.delete(flight);
					}
				})();
				building.set(flight, pending);
			}
			return await pending;
		},
		clear() {
			entries.clear();
			building.clear();
		},
		size() {
			return entries.size;
		}
	};
}
