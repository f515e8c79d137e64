import { error, json } from '@sveltejs/kit';
import * as v from 'valibot';
import { listParagraphs } from '$lib/server/courses/authoring';
import { courseRenderer } from '$lib/server/courses/render';
import { requireRole } from '$lib/server/web/guards';
import { editableCourse } from '../../../forms.server';
import type { RequestHandler } from './$types';

const PreviewSchema = v.object({
	markdown: v.pipe(v.string(), v.maxLength(100_000)),
	/** A question's prompt: one line of text, no paragraphs. */
	inline: v.optional(v.boolean(), false)
});

/** Markdown (a block, or a line with `inline`) → the HTML readers would see (sanitised by lib/markdown), for the live preview. */
export const POST: RequestHandler = async (event) => {
	const user = requireRole(event, 'instructor');
	const { db, course } = await editableCourse(event, user);
	let body: unknown;
	try {
		body = await event.request.json();
	} catch {
		error(400, 'Send JSON: { "markdown": "…" }.');
	}
	const parsed = v.safeParse(PreviewSchema, body);
	if (!parsed.success)
		error(400, 'Send JSON: { "markdown": "…" } with at most 100,000 characters.');
	const r = courseRenderer(course.slug, await listParagraphs(db, course.id));
	return json(
		{
			html: parsed.output.inline
				? r.inline(parsed.output.markdown, 'preview')
				: r.block(parsed.output.markdown, 'preview')
		},
		{ headers: { 'cache-control': 'no-store' } }
	);
};
