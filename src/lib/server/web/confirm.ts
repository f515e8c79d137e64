/**
 * Destructive actions ask first. The form posts without `confirmed=yes`; the action then answers
 * `askToConfirm(...)` instead of acting, and the page shows that question with a second form that
 * carries `confirmed=yes` (ConfirmStep). With JavaScript, ConfirmForm asks in a <dialog> and
 * posts the second form straight away. Either way the server acts only on a confirmed post.
 */
import type { ConfirmQuestion } from '$lib/forms/confirm';

export type { ConfirmQuestion };

export function isConfirmed(form: FormData): boolean {
	return form.get('confirmed') === 'yes';
}

export function askToConfirm(question: ConfirmQuestion): { confirm: ConfirmQuestion } {
	return { confirm: question };
}
