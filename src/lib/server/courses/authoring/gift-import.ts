/**
 * A course's question bank as GIFT: the download of it (with our tags and the categories), and
 * the import of a GIFT file into it — one written for Moodle, with none of our tags, included.
 *
 * An import is all or nothing unless the instructor chooses to skip the questions with problems:
 * every rejected question is reported with its line and reason, and the good ones land in one
 * transaction, after the bank's questions, through editCourse (so a published course stays a
 * valid package). A question without our `[id:]` gets one made from its ::name:: (else
 * `q-<n>`), unique in the course; one without `[cite:]` arrives "needing a citation".
 */
import { MAX_PACKAGE_BYTES } from '../../../courses/archive.ts';
import { MAX_LIST_ITEMS, MAX_REPORTED_ERRORS, checkGiftQuestions } from '../../../courses/read.ts';
import {
	parseGift,
	serializeGift,
	type GiftError,
	type GiftQuestion
} from '../../../gift/index.ts';
import { unstorableLine } from '../../../validation/text.ts';
import { insertInBatches } from '../../db/batch.ts';
import type { Executor } from '../../db/index.ts';
import { answerData, exportCourse } from '../import-export.ts';
import { editCourse } from './publish.ts';
import { isUniqueViolation, touchCourse, type CourseProblem, type Refused } from './shared.ts';
import { slugify } from './text.ts';

/** As large as a whole course package may be. */
export const MAX_GIFT_BYTES = MAX_PACKAGE_BYTES;

export interface GiftProblem {
	/** 1-based line in the file; null for the file as a whole. */
	line: number | null;
	message: string;
}

export interface ImportedQuestion {
	id: string;
	title: string | null;
	line: number;
	needsCitation: boolean;
}

export type GiftImportResult =
	| {
			ok: true;
			imported: ImportedQuestion[];
			/** Questions left out (only with skipBad), and why. */
			skipped: number;
			problems: GiftProblem[];
	  }
	| {
			ok: false;
			/** What happened, for the whole form: nothing was imported. */
			message: string;
			problems: GiftProblem[];
			/** When the course is published: what the import would have broken. */
			courseProblems: CourseProblem[];
	  };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function refused(message: string, problems: GiftProblem[] = []): GiftImportResult {
	return { ok: false, message, problems, courseProblems: [] };
}

/** More problems than anyone reads are cut, saying how many more there were. */
function reported(problems: GiftError[]): GiftProblem[] {
	const sorted = [...problems].sort((a, b) => a.line - b.line);
	if (sorted.length <= MAX_REPORTED_ERRORS) return sorted;
	return [
		...sorted.slice(0, MAX_REPORTED_ERRORS),
		{
			line: null,
			message: `… and ${sorted.length - MAX_REPORTED_ERRORS} more problems, not listed here`
		}
	];
}

/** The start line of the last question that starts at or before `line` (starts ascending). */
function questionAt(starts: number[], line: number): number {
	let lo = 0;
	let hi = starts.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (starts[mid] <= line) lo = mid;
		else hi = mid - 1;
	}
	return starts[lo];
}

/** The ids the bank import gives questions that have none: unique in the course and the file. */
export function assignIds(
	questions: readonly GiftQuestion[],
	taken: Set<string>
): (GiftQuestion & { id: string })[] {
	const used = new Set(taken);
	for (const q of questions) if (q.id !== null) used.add(q.id);
	let n = 0;
	const nextNumbered = () => {
		let id: string;
		do id = `q-${++n}`;
		while (used.has(id));
		return id;
	};
	return questions.map((q) => {
		if (q.id !== null) return { ...q, id: q.id };
		const base = q.title ? slugify(q.title, 50) : '';
		let id = base ? base : nextNumbered();
		for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
		used.add(id);
		return { ...q, id };
	});
}

/**
 * Imports the questions of a GIFT file into the course's bank. With problems and without
 * `skipBad`, nothing is written; with `skipBad`, the good questions are imported and the bad
 * ones reported. A file of no good question imports nothing either way.
 */
export async function importGiftQuestions(
	db: Executor,
	courseId: number,
	text: string,
	opts: { skipBad: boolean }
): Promise<GiftImportResult> {
	const bytes = Buffer.byteLength(text, 'utf8');
	if (bytes > MAX_GIFT_BYTES)
		return refused(
			`The file is ${(bytes / 1024 / 1024).toFixed(1)} MB; a GIFT file may be at most ${MAX_GIFT_BYTES / 1024 / 1024} MB.`
		);
	const bad = unstorableLine(text);
	if (bad !== null)
		return refused('Nothing was imported: the file holds a character that cannot be stored.', [
			{
				line: bad,
				message:
					'this line holds a NUL or a broken character (\\u0000 or a lone surrogate): remove it'
			}
		]);

	const parsed = parseGift(text);
	const [actors, concerns, existing, paragraphs] = await Promise.all([
		db.selectFrom('actors').select(['id', 'slug']).where('course_id', '=', courseId).execute(),
		db.selectFrom('concerns').select(['id', 'slug']).where('course_id', '=', courseId).execute(),
		db.selectFrom('questions').select('external_id').where('course_id', '=', courseId).execute(),
		db
			.selectFrom('article_paragraphs')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('course_id', '=', courseId)
			.executeTakeFirst()
	]);
	const takenIds = new Set(existing.map((r) => r.external_id));

	const checks = checkGiftQuestions(text, parsed.questions, {
		actors: new Set(actors.map((a) => a.slug)),
		concerns: new Set(concerns.map((c) => c.slug)),
		paragraphs: Number(paragraphs?.n ?? 0),
		actorsIn: "this course's actors",
		concernsIn: "this course's concerns"
	});
	for (const q of parsed.questions)
		if (q.id !== null && takenIds.has(q.id))
			checks.push({
				line: q.line,
				message: `id "${q.id}" is already used by a question of this course: change or remove the [id:] tag`
			});
	// A check's error sits on the question's lines (its tag line is the one before it).
	const starts = parsed.questions.map((q) => q.line);
	const badStarts = new Set<number>();
	for (const e of checks) badStarts.add(questionAt(starts, e.line + 1));
	const good = parsed.questions.filter((q) => !badStarts.has(q.line));
	const skipped = parsed.rejected + badStarts.size;
	const problems = reported([...parsed.errors, ...checks]);

	if (skipped > 0 && !opts.skipBad)
		return refused(
			`Nothing was imported: ${plural(skipped, 'question has', 'questions have')} problems. ` +
				'Fix them and import the file again, or choose to skip them.',
			problems
		);
	if (good.length === 0)
		return refused(
			skipped > 0
				? 'Nothing was imported: every question of the file has problems.'
				: 'The file holds no questions.',
			problems
		);
	if (existing.length + good.length > MAX_LIST_ITEMS)
		return refused(
			`The bank would hold ${existing.length + good.length} questions; at most ${MAX_LIST_ITEMS} are allowed.`,
			problems
		);

	const withIds = assignIds(good, takenIds);
	const actorIds = new Map(actors.map((a) => [a.slug, a.id]));
	const concernIds = new Map(concerns.map((c) => [c.slug, c.id]));
	let saved: { ok: true } | Refused;
	try {
		saved = await editCourse(db, courseId, async (trx) => {
			const last = await trx
				.selectFrom('questions')
				.select((eb) => eb.fn.max<number>('position').as('n'))
				.where('course_id', '=', courseId)
				.executeTakeFirst();
			const after = Number(last?.n ?? 0);
			await insertInBatches(
				withIds.map((q, i) => ({
					course_id: courseId,
					position: after + i + 1,
					external_id: q.id,
					type: q.type,
					title: q.title,
					prompt: q.prompt,
					data: JSON.stringify(answerData(q)),
					explanation: q.explanation,
					cites: q.cites,
					category: q.category,
					points: q.points ?? 1,
					actor_id: q.actor === null ? null : (actorIds.get(q.actor) ?? null),
					concern_id: q.concern === null ? null : (concernIds.get(q.concern) ?? null)
				})),
				(batch) => trx.insertInto('questions').values(batch).execute()
			);
			await touchCourse(trx, courseId);
			return { ok: true as const };
		});
	} catch (e) {
		// Another import gave one of these ids between the check and the insert.
		if (isUniqueViolation(e))
			return refused(
				'Nothing was imported: questions were added to this bank at the same time. Import the file again.'
			);
		throw e;
	}
	if (!saved.ok)
		return {
			ok: false,
			message: saved.errors.form ?? 'Nothing was imported.',
			problems,
			courseProblems: saved.problems ?? []
		};
	return {
		ok: true,
		imported: withIds.map((q) => ({
			id: q.id,
			title: q.title,
			line: q.line,
			needsCitation: q.cites.length === 0
		})),
		skipped,
		problems
	};
}

/** The bank as a GIFT file, in its order, with our tags and the categories; undefined: no course. */
export async function exportBankGift(db: Executor, courseId: number): Promise<string | undefined> {
	const pkg = await exportCourse(db, courseId);
	return pkg && serializeGift(pkg.questions);
}
