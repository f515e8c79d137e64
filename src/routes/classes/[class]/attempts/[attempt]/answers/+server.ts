import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { saveAnswer } from '$lib/server/quizzes/attempts';
import { requireUser } from '$lib/server/web/guards';
import { hasUnstorableText } from '$lib/server/web/request-guard';
import { parseRaw } from '$lib/quiz/score';
import { parseId } from '$lib/validation/ids';
import type { RequestHandler } from './$types';

/**
 * Autosave: one answer of the student's open attempt, as JSON
 * `{ position, revision, raw: { answer: string[], slots: (string|null)[] } }`. Answers
 * `{ status: 'saved' | 'stale' | 'closed' | 'not-found' }`; 'stale' means a newer save of that
 * answer is already stored (this one arrived late), 'closed' that the attempt is over.
 * Only JSON from this site's pages is read (a cross-site form cannot send it).
 */
export const POST: RequestHandler = async (event) => {
	const user = requireUser(event);
	// The save itself checks that the attempt is the student's, in this class, and that they are
	// still its member (one statement for the whole save: every student of an exam sends these).
	const classId = parseId(event.params.class);
	const type = event.request.headers.get('content-type') ?? '';
	if (!/^application\/json\s*(;|$)/i.test(type)) error(415, 'Send the answer as JSON.');
	const origin = event.request.headers.get('origin');
	if (origin !== null && origin !== event.url.origin) error(403, 'Cross-site saves are refused.');
	const attemptId = parseId(event.params.attempt);
	if (attemptId === null || classId === null) error(404, 'There is no such attempt.');
	const text = await event.request.text();
	if (text.length > 64_000) error(413, 'The answer is too large.');
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		error(400, 'The answer could not be read.');
	}
	const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
	const position = typeof b.position === 'number' && Number.isInteger(b.position) ? b.position : 0;
	const revision =
		typeof b.revision === 'number' && Number.isSafeInteger(b.revision) ? b.revision : 0;
	const raw = parseRaw(b.raw);
	if (!raw || position < 1 || position > 1000 || revision < 1)
		error(400, 'Send { position, revision, raw } for one question.');
	if ([...raw.answer, ...raw.slots].some((v) => v !== null && hasUnstorableText(v)))
		error(400, 'The answer holds a character that cannot be stored (a NUL character).');
	const status = await saveAnswer(await getDb(), {
		attemptId,
		userId: user.id,
		classId,
		position,
		raw,
		revision
	});
	return json(
		{ status, savedAt: status === 'saved' ? new Date().toISOString() : null },
		{ status: status === 'not-found' ? 404 : 200, headers: { 'cache-control': 'no-store' } }
	);
};
