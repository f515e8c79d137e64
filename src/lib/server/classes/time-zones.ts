/** The IANA time zones this runtime knows, with UTC first (Intl does not list it). */
export function timeZones(): string[] {
	return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
}

let known: Set<string> | undefined;

/** Whether a class may use this zone: one of `timeZones()`, spelled exactly. */
export function isTimeZone(zone: string): boolean {
	known ??= new Set(timeZones());
	return known.has(zone);
}
