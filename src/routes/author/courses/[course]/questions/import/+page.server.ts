import { redirect } from '@sveltejs/kit';
import { MAX_GIFT_BYTES, importGiftQuestions } from '$lib/server/courses/authoring';
import { failure, type Problem } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import { editableCourse } from '../../../../forms.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'instructor');
	const { course } = await editableCourse(event, user);
	return {
		course: { slug: course.slug, title: course.title, status: course.status },
		maxMegabytes: Math.round(MAX_GIFT_BYTES / 1024 / 1024)
	};
};

const atLine = (p: { line: number | null; message: string }): Problem => ({
	where: p.line === null ? 'The file' : `Line ${p.line}`,
	message: p.message,
	href: null
});

export const actions: Actions = {
	default: async (event) => {
		const user = requireRole(event, 'instructor');
		const { db, course } = await editableCourse(event, user);
		const form = await event.request.formData();
		const file = form.get('file');
		const pasted = form.get('text');
		const skipBad = form.get('skip') === 'on';
		const fileName = file instanceof File && file.size > 0 ? file.name : '';
		// What the instructor pasted comes back to the textarea; a file's text does not.
		const values = {
			text: typeof pasted === 'string' ? pasted : '',
			...(fileName ? { fileName } : {}),
			...(skipBad ? { skip: 'on' } : {})
		};

		let text: string;
		if (file instanceof File && file.size > 0) {
			if (file.size > MAX_GIFT_BYTES)
				return failure(400, {
					errors: {
						file: `“${fileName}” is ${(file.size / 1024 / 1024).toFixed(1)} MB; a GIFT file may be at most ${MAX_GIFT_BYTES / 1024 / 1024} MB.`
					},
					values
				});
			try {
				text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
			} catch {
				return failure(400, {
					errors: {
						file: `“${fileName}” is not UTF-8 text. Save it as UTF-8 (Moodle’s exports are) and choose it again.`
					},
					values
				});
			}
		} else if (typeof pasted === 'string' && pasted.trim() !== '') {
			text = pasted;
		} else {
			return failure(400, {
				errors: { file: 'Choose a GIFT file, or paste its text below.' },
				values
			});
		}

		const result = await importGiftQuestions(db, course.id, text, { skipBad });
		if (!result.ok)
			return failure(400, {
				message: result.message,
				problems: [...result.problems.map(atLine), ...result.courseProblems],
				values
			});
		const bank = `/author/courses/${course.slug}/questions?imported=${result.imported.length}`;
		if (result.skipped === 0) redirect(303, bank);
		// Questions were skipped: say which, on this page, before going on to the bank.
		return {
			imported: result.imported,
			skipped: result.problems.map(atLine),
			skippedCount: result.skipped,
			bank
		};
	}
};
