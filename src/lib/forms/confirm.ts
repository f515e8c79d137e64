/**
 * The question a destructive action answers with when it was posted unconfirmed (see
 * `askToConfirm` in $lib/server/web/confirm), browser-safe so that ConfirmStep can name it.
 */
export interface ConfirmQuestion {
	/** The form action to post again (`?/delete`). */
	action: string;
	message: string;
	confirmLabel: string;
	/** The hidden fields of the first post, sent again with the confirmation. */
	fields: Record<string, string>;
}
