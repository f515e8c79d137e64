import { zonedToUtc } from '../../zoned-time.ts';

/**
 * A date from a form: the browser sends the viewer's local date-time converted to UTC in
 * `<name>Utc` when JavaScript runs; without it, the `datetime-local` value is read in `timeZone`
 * (the class's zone; UTC when none is given — the form says which).
 */
export function dateFromForm(
	form: FormData,
	name: string,
	timeZone = 'UTC'
): Date | null | 'invalid' {
	const utc = form.get(`${name}Utc`);
	if (typeof utc === 'string' && utc) {
		const d = new Date(utc);
		if (!Number.isNaN(d.getTime())) return inRange(d) ? d : 'invalid';
	}
	const raw = form.get(name);
	if (typeof raw !== 'string' || !raw.trim()) return null;
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(raw.trim())) return 'invalid';
	const d = zonedToUtc(raw.trim(), timeZone);
	return !d || !inRange(d) ? 'invalid' : d;
}

// School dates: anything outside these years is a typo (and some would overflow a timestamp).
function inRange(d: Date): boolean {
	const year = d.getUTCFullYear();
	return year >= 2000 && year <= 2100;
}
