import { fail } from '@sveltejs/kit';
import * as v from 'valibot';

export type FieldErrors = Record<string, string>;

export type ParsedForm<T> =
	{ ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Fields echoed back to the form after a failure; secrets never are. */
const SECRET = /password|token/i;

function formValues(form: FormData): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [k, val] of form) {
		if (typeof val === 'string' && !SECRET.test(k)) values[k] = val;
	}
	return values;
}

/**
 * Validates a submitted form with a Valibot object schema; on failure, one message per field
 * (the first problem) and what the user typed, less secrets.
 */
export function parseForm<S extends v.GenericSchema<Record<string, unknown>, unknown>>(
	schema: S,
	form: FormData
): ParsedForm<v.InferOutput<S>> {
	const raw: Record<string, unknown> = {};
	// A field left out of the post is validated as absent, so it gets its own message rather
	// than Valibot's generic "invalid key".
	if ('entries' in schema)
		for (const k of Object.keys(schema.entries as object)) raw[k] = undefined;
	for (const [k, val] of form) if (typeof val === 'string') raw[k] = val;
	const result = v.safeParse(schema, raw);
	if (result.success) return { ok: true, data: result.output };
	const errors: FieldErrors = {};
	for (const issue of result.issues) {
		const key = issue.path?.map((p) => String(p.key)).join('.') ?? 'form';
		errors[key] ??= issue.message;
	}
	return { ok: false, errors, values: formValues(form) };
}

export { formValues };

/** A 400 answer for a form: one message per field and what the user typed (less secrets). */
export function invalid(errors: FieldErrors, values: Record<string, string> = {}, status = 400) {
	return fail(status, { errors, values });
}
