import * as v from 'valibot';

// Row ids are PostgreSQL `integer`s. Anything else from a form or a URL is "no such row", never a
// query that fails with "out of range". Written exactly as the page wrote it: no spaces, signs,
// exponents or non-ASCII digits.
const ID = /^[1-9]\d{0,8}$/;

/** A row id from a form field or route parameter, or null when it cannot be one. */
export function parseId(raw: unknown): number | null {
	return typeof raw === 'string' && ID.test(raw) ? Number(raw) : null;
}

/** The same rule as a Valibot field. */
export function idSchema(message: string) {
	return v.pipe(v.string(message), v.regex(ID, message), v.transform(Number));
}
