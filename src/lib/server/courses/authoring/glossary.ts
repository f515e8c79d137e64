/** The glossary of a course: terms as the article uses them. */
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import { editCourse } from './publish.ts';
import {
	deletePositioned,
	failed,
	gone,
	hasErrors,
	paragraphCount,
	upsertItem,
	type Deleted,
	type FieldErrors,
	type Saved
} from './shared.ts';
import { checkProse } from './text.ts';

export interface TermInput {
	term: string;
	definition: string;
	/** Context from outside the article: both or neither. */
	beyondNote: string | null;
	beyondSource: string | null;
}

export interface Term extends TermInput {
	id: number;
	position: number;
}

export async function listGlossary(db: Executor, courseId: number): Promise<Term[]> {
	return await db
		.selectFrom('glossary_terms')
		.select([
			'id',
			'position',
			'term',
			'definition',
			'beyond_note as beyondNote',
			'beyond_source as beyondSource'
		])
		.where('course_id', '=', courseId)
		.orderBy('position')
		.execute();
}
export async function saveTerm(
	db: Executor,
	courseId: number,
	termId: number | null,
	input: TermInput
): Promise<Saved<{ id: number }>> {
	return await editCourse(db, courseId, async (trx) => {
		const count = await paragraphCount(trx, courseId);
		const errors: FieldErrors = {};
		const clash = await trx
			.selectFrom('glossary_terms')
			.select('id')
			.where('course_id', '=', courseId)
			.where(sql<boolean>`lower(trim(term)) = ${input.term.trim().toLowerCase()}`)
			.where('id', '!=', termId ?? 0)
			.executeTakeFirst();
		if (clash) errors.term = `“${input.term}” is already in the glossary.`;
		if (input.beyondNote && !input.beyondSource)
			errors.beyondSource = 'Say where the note comes from (publisher, title, year).';
		if (input.beyondSource && !input.beyondNote)
			errors.beyondNote = 'Write the note, or leave the source empty too.';
		checkProse(errors, 'definition', input.definition, count);
		checkProse(errors, 'beyondNote', input.beyondNote, count);
		if (hasErrors(errors)) return failed(errors);

		const id = await upsertItem(trx, 'glossary_terms', courseId, termId, {
			term: input.term,
			definition: input.definition,
			beyond_note: input.beyondNote,
			beyond_source: input.beyondSource
		});
		return id === undefined ? gone('term') : { ok: true as const, id };
	});
}

export async function deleteTerm(db: Executor, courseId: number, termId: number): Promise<Deleted> {
	return await editCourse(db, courseId, async (trx) =>
		(await deletePositioned(trx, 'glossary_terms', courseId, termId)) === undefined
			? gone('term')
			: { ok: true as const }
	);
}
