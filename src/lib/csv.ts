/**
 * CSV that opens correctly in a spreadsheet: UTF-8 with a byte-order mark (so Excel reads
 * accents), CRLF line ends, every field quoted (commas, quotes and line breaks survive), and a
 * field that a spreadsheet would run as a formula (it begins with =, +, -, @, a tab or a carriage
 * return) prefixed with an apostrophe, as OWASP advises against CSV injection. Numbers are passed
 * as numbers and written as they are.
 */
export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
	return '\ufeff' + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function csvField(value: string | number | null): string {
	if (value === null) return '';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return `"${safe.replace(/"/g, '""')}"`;
}
