import type { HolderInput } from '$lib/server/courses/authoring';
import type { FieldErrors } from '$lib/server/web/forms';
import { HolderSchema, parseRow } from '../../../forms.server';

/**
 * The holder rows of a concern form: `h0.`, `h1.`, … for the existing ones and `new.` for the
 * blank one, less rows ticked for removal and a `new` row left blank. `rows[i]` names the row of
 * `holders[i]`, so that errors from the area module can be put back next to their inputs.
 */
export function parseHolders(form: FormData): {
	holders: HolderInput[];
	rows: string[];
	errors: FieldErrors;
} {
	const found = new Set<string>();
	for (const key of form.keys()) {
		const m = /^(h\d+|new)\./.exec(key);
		if (m) found.add(m[1]);
	}
	const order = (row: string) => (row === 'new' ? Infinity : Number(row.slice(1)));
	const holders: HolderInput[] = [];
	const rows: string[] = [];
	const errors: FieldErrors = {};
	for (const row of [...found].sort((a, b) => order(a) - order(b))) {
		if (form.get(`${row}.remove`) === 'on') continue;
		const blank = ['actor', 'summary', 'cites'].every(
			(f) => !String(form.get(`${row}.${f}`) ?? '').trim()
		);
		if (row === 'new' && blank) continue;
		const parsed = parseRow(HolderSchema, form, row);
		if (!parsed.ok) {
			Object.assign(errors, parsed.errors);
			continue;
		}
		const { actor, kind, summary, cites } = parsed.data;
		holders.push({ actorId: actor, kind, summary, cites });
		rows.push(row);
	}
	return { holders, rows, errors };
}

/** `holders.<i>.<field>` from the area module → `<row>.<field>` of the form. */
export function holderErrorsToRows(errors: FieldErrors, rows: string[]): FieldErrors {
	return Object.fromEntries(
		Object.entries(errors).map(([key, message]) => [
			key.replace(/^holders\.(\d+)\./, (_, i: string) => `${rows[Number(i)]}.`),
			message
		])
	);
}
