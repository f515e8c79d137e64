import * as v from 'valibot';

/**
 * Numbers people type: ASCII digits with an optional sign and one decimal point or comma.
 * `Number()` also reads "1e3" as 1000, "0x10" as 16, "" as 0 and "Infinity": a typo would be
 * stored as some other number instead of being pointed out.
 */
const DECIMAL = /^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)$/;

/** The number written in `text` (surrounding spaces allowed), or null when it is not decimal. */
export function parseDecimal(text: string): number | null {
	const t = text.trim();
	if (t.length > 40 || !DECIMAL.test(t)) return null;
	const n = Number(t.replace(',', '.'));
	return Number.isFinite(n) ? n : null;
}

/** A required decimal number as a Valibot field. */
export function decimalSchema(message: string) {
	return v.pipe(
		v.string(message),
		v.rawTransform(({ dataset, addIssue, NEVER }) => {
			const n = parseDecimal(dataset.value);
			if (n !== null) return n;
			addIssue({ message });
			return NEVER;
		})
	);
}
