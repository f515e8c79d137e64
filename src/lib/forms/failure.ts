/**
 * The one shape every form action fails with, browser-safe so that pages and components can
 * name it. Built on the server by `failure()` in $lib/server/web/forms.
 */

/** One message per field name (`form` for the form as a whole). */
export type FieldErrors = Record<string, string>;

/**
 * A problem of a whole document (a course package, a published course): where it is, in words
 * (`Actor “Tech firms”`, or `actors.yaml:12` for an uploaded file), what is wrong, and the page
 * where it is fixed when there is one.
 */
export interface Problem {
	where: string;
	message: string;
	href: string | null;
}

export interface FormFailure {
	/** The named action that failed, for pages with several forms. */
	action?: string;
	/** Which item of a list the failing form was for (an id, a question id). */
	item?: number | string | null;
	/** A message for the form as a whole. */
	message?: string;
	errors: FieldErrors;
	/** What the user typed, less secrets, to fill the form again. */
	values: Record<string, string>;
	problems: Problem[];
	/**
	 * Things to check before going on (an assignment's lesson already assigned, a due date in the
	 * past): the form can be posted again as it is with `anyway=yes`.
	 */
	warnings?: string[];
}

/**
 * `form` if it answers `action` (and, when given, the list item `item`), else null: the
 * result a page shows next to one of its forms.
 */
export function resultOf<F extends { action?: string; item?: unknown }>(
	form: F | null | undefined,
	action: string,
	item?: unknown
): F | null {
	if (!form || form.action !== action) return null;
	if (item !== undefined && form.item !== item) return null;
	return form;
}
