import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { saveAnswer } from '$lib/server/quizzes/attempts';
import { hashToken } from '$lib/server/auth/tokens';
import { clearSessionCookie } from '$lib/server/web/session-cookie';
import { hasUnstorableText } from '$lib/server/web/request-guard';
import { parseRaw } from '$lib/quiz/score';
import { parseId } from '$lib/validation/ids';
import type { RequestHandler } from './$types';

/**
 * Autosave: one answer of the student's open attempt, as JSON
 * `{ position, revision, raw: { answer: string[], slots: (string|null)[] } }`. Answers
 * `{ status: 'saved' | 'stale' | 'closed' | 'not-found' | 'signed-out' }`; 'stale' means a newer
 * save of that answer is already stored (this one arrived late), 'closed' that the attempt is
 * over, 'signed-out' (401) that there is no live session: the page keeps the answer and tells
 * the student to log in again.
 * Only JSON from this site's pages is read (a cross-site form cannot send it).
 */
const signedOut = () =>
	json({ status: 'signed-out' }, { status: 401, headers: { 'cache-control': 'no-store' } });

export const POST: RequestHandler = async (event) => {
	// The session is checked by the save's own statement (`checksSessionItself`), with whether
	// the attempt is this student's, in this class, and they are still its member: one statement
	// for the whole save, which every student of an exam sends sixteen times.
	const token = event.locals.sessionToken;
	if (!token) return signedOut();
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
		sessionId: hashToken(token),
		classId,
		position,
		raw,
		revision
	});
	if (status === 'signed-out') {
		clearSessionCookie(event.cookies, event.url.protocol === 'https:');
		return signedOut();
	}
	return json(
		{ status, savedAt: status === 'saved' ? new Date().toISOString() : null },
		{ status: status === 'not-found' ? 404 : 200, headers: { 'cache-control': 'no-store' } }
	);
};
