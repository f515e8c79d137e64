import { zonedToUtc } from '../../zoned-time.ts';

/**
 * A date from a form: the browser sends the viewer's local date-time converted to UTC in
 * `<name>Utc` when JavaScript runs; without it, the `datetime-local` value is read in `timeZone`
 * (the class's zone; UTC when none is given — the form says which).
 *
 * Both are read strictly: `Date` itself accepts 30 February (as 2 March), hour 24 and many other
 * spellings, and shifting a typo silently would move a due date.
 */
export function dateFromForm(
	form: FormData,
	name: string,
	timeZone = 'UTC'
): Date | null | 'invalid' {
	const utc = form.get(`${name}Utc`);
	if (typeof utc === 'string' && utc) {
		const d = parseUtcTimestamp(utc);
		if (d) return inRange(d) ? d : 'invalid';
	}
	const raw = form.get(name);
	if (typeof raw !== 'string' || !raw.trim()) return null;
	// A real wall-clock time first (no 30 February), then read in the class's zone.
	if (!parseLocalDateTime(raw.trim())) return 'invalid';
	const d = zonedToUtc(raw.trim(), timeZone);
	return d && inRange(d) ? d : 'invalid';
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z$/;

/** `YYYY-MM-DDTHH:MM[:SS]` read as UTC, or null when it is not a real moment (30 Feb, 24:00). */
export function parseLocalDateTime(text: string): Date | null {
	const m = LOCAL.exec(text);
	return m ? realDate(m) : null;
}

/** What the browser's `toISOString()` writes, and nothing else. */
export function parseUtcTimestamp(text: string): Date | null {
	const m = UTC.exec(text);
	return m ? realDate(m) : null;
}

function realDate(m: RegExpExecArray): Date | null {
	const [year, month, day, hour, minute] = m.slice(1, 6).map(Number);
	const second = Number(m[6] ?? 0);
	const ms = Number((m[7] ?? '0').padEnd(3, '0'));
	if (hour > 23 || minute > 59 || second > 59) return null;
	const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
	// Date.UTC rolls 30 February over into March: a real date reads back the same.
	if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
		return null;
	return d;
}

// School dates: anything outside these years is a typo (and some would overflow a timestamp).
function inRange(d: Date): boolean {
	const year = d.getUTCFullYear();
	return year >= 2000 && year <= 2100;
}
