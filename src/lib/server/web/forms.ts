import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { FieldErrors, FormFailure, Problem } from '$lib/forms/failure';

export type { FieldErrors, FormFailure, Problem };

export type ParsedForm<T> =
	{ ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Fields echoed back to the form after a failure; secrets never are. */
const SECRET = /password|token/i;

/** What the user typed, by field; a field posted more than once (checkboxes) joined by newlines. */
function formValues(form: FormData): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [k, val] of form) {
		if (typeof val !== 'string' || SECRET.test(k)) continue;
		values[k] = k in values ? `${values[k]}\n${val}` : val;
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

export interface FailureInput {
	action?: string;
	item?: number | string | null;
	message?: string;
	errors?: FieldErrors;
	/** What to fill the form with again: the posted form (secrets are left out) or values. */
	values?: FormData | Record<string, string>;
	problems?: Problem[];
	warnings?: string[];
}

/**
 * The failure of a form action, in the one shape pages read (`FormFailure`): field messages,
 * what the user typed (never secrets), and optionally the action, the list item, a message for
 * the whole form and a list of problems.
 */
export function failure(status: number, input: FailureInput) {
	const { values, errors, problems, ...rest } = input;
	const shape: FormFailure = {
		...rest,
		errors: errors ?? {},
		values: values instanceof FormData ? formValues(values) : (values ?? {}),
		problems: problems ?? []
	};
	return fail(status, shape);
}

/** A 400 answer for a form: one message per field and what the user typed (less secrets). */
export function invalid(errors: FieldErrors, values: Record<string, string> = {}, status = 400) {
	return failure(status, { errors, values });
}
