// Wall-clock times in a named IANA zone, without a library: Intl knows every zone's offsets.

/** How far `timeZone`'s wall clock is ahead of UTC at that instant, in milliseconds. */
function zoneOffsetMs(instant: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit'
	}).formatToParts(new Date(instant));
	const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
	const wall = Date.UTC(
		get('year'),
		get('month') - 1,
		get('day'),
		get('hour'),
		get('minute'),
		get('second')
	);
	return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time `YYYY-MM-DDTHH:MM[:SS]` names in `timeZone`. In a gap (clocks
 * jumping forward) it is the same wall time at the offset before the jump.
 */
export function zonedToUtc(local: string, timeZone: string): Date | undefined {
	const asUtc = new Date(`${local}Z`).getTime();
	if (Number.isNaN(asUtc)) return undefined;
	if (timeZone === 'UTC') return new Date(asUtc);
	let guess = asUtc - zoneOffsetMs(asUtc, timeZone);
	guess = asUtc - zoneOffsetMs(guess, timeZone);
	return new Date(guess);
}

/** The instant as a `datetime-local` value on `timeZone`'s wall clock. */
export function utcToZonedInput(d: Date, timeZone: string): string {
	const shifted = new Date(d.getTime() + zoneOffsetMs(d.getTime(), timeZone));
	return shifted.toISOString().slice(0, 16);
}

/** "12 Jan 2027, 09:30 (Europe/Berlin)": a moment as the class's clock shows it. */
export function formatInZone(d: Date, timeZone: string): string {
	const text = new Intl.DateTimeFormat('en-GB', {
		dateStyle: 'medium',
		timeStyle: 'short',
		timeZone
	}).format(d);
	return `${text} (${timeZone})`;
}
