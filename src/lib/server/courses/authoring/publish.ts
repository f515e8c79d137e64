/**
 * Publishing, and the rule that keeps it meaningful: a published course is always a valid
 * package. Publishing checks the course written out as package files with the reader that
 * validates uploads; every edit of a published course runs the same check on the state it would
 * leave, inside its own transaction, and is rolled back with the problems listed when it fails.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { sql } from 'kysely';
import type { PackageError, PackageFiles } from '../../../courses/package.ts';
import { readPackage } from '../../../courses/read.ts';
import type { Executor } from '../../db/index.ts';
import { exportCourseFiles } from './packages.ts';
import { atomically, touchCourse, type CourseProblem, type Refused } from './shared.ts';

export type PublishResult = { ok: true } | { ok: false; problems: CourseProblem[] };

/**
 * The course as stored, written out as a package and read back by the importer's validator:
 * the problems a download of it would have if uploaded again, by file and line.
 */
export async function checkCourse(db: Executor, courseId: number): Promise<PackageError[]> {
	return (await checkCourseFiles(db, courseId)).errors;
}

async function checkCourseFiles(
	db: Executor,
	courseId: number
): Promise<{ files: PackageFiles | undefined; errors: PackageError[] }> {
	const files = await exportCourseFiles(db, courseId);
	if (!files)
		return { files, errors: [{ file: '', line: null, message: 'there is no such course' }] };
	return { files, errors: readPackage(files).errors };
}

/** The course's problems in the author's words, each with the editor page that fixes it. */
export async function courseProblems(db: Executor, courseId: number): Promise<CourseProblem[]> {
	const { files, errors } = await checkCourseFiles(db, courseId);
	if (!errors.length || !files) return errors.map((e) => plain(e, 'The course', null));
	return await describeProblems(db, courseId, files, errors);
}

/** Publishes the course if, and only if, it is a valid package; otherwise says every problem. */
export async function publishCourse(db: Executor, courseId: number): Promise<PublishResult> {
	return await atomically(db, async (trx) => {
		// Locked so that no edit lands between the check and the status change.
		await trx.selectFrom('courses').select('id').where('id', '=', courseId).forUpdate().execute();
		const problems = await courseProblems(trx, courseId);
		if (problems.length) return { ok: false as const, problems };
		await trx
			.updateTable('courses')
			// Publishing again keeps the first date; unpublishing clears it.
			.set({
				status: 'published',
				published_at: sql<Date>`coalesce(published_at, now())`,
				updated_at: new Date()
			})
			.where('id', '=', courseId)
			.execute();
		return { ok: true as const };
	});
}

export async function unpublishCourse(db: Executor, courseId: number): Promise<void> {
	await db
		.updateTable('courses')
		.set({ status: 'draft', published_at: null, updated_at: new Date() })
		.where('id', '=', courseId)
		.execute();
}

/**
 * Runs one edit of the course atomically. When the course is published, the state the edit
 * leaves is checked as a package before it is kept: an edit that would make it invalid is
 * undone (to a savepoint, so this also works inside a caller's transaction) and refused with
 * the problems listed. An edit that refuses itself is undone too, so a failure leaves nothing.
 */
export async function editCourse<R extends { ok: true } | Refused>(
	db: Executor,
	courseId: number,
	fn: (trx: Executor) => Promise<R>
): Promise<R | Refused> {
	return await atomically(db, async (trx) => {
		// Locked first, so that publishing cannot slip in between this edit and its check.
		const course = await trx
			.selectFrom('courses')
			.select('status')
			.where('id', '=', courseId)
			.forUpdate()
			.executeTakeFirst();
		await sql`savepoint course_edit`.execute(trx);
		let result: R | Refused = await fn(trx);
		if (result.ok && course?.status === 'published') {
			const problems = await courseProblems(trx, courseId);
			if (problems.length)
				result = {
					ok: false,
					errors: {
						form:
							'This course is published, and this change would leave it with problems that ' +
							'students would see. Nothing was saved. Fix what is listed, or unpublish the ' +
							'course first.'
					},
					problems
				};
		}
		await sql
			.raw(result.ok ? 'release savepoint course_edit' : 'rollback to savepoint course_edit')
			.execute(trx);
		// Every edit that lands changes the course's content version, in its own transaction: the
		// reading pages' cache (page-cache.ts) is keyed on it, on every app instance.
		if (result.ok) await touchCourse(trx, courseId);
		return result;
	});
}

// ---------------------------------------------------------------------------------------------
// Problems in the author's words

const sentence = (s: string) => {
	const t = s.trim();
	const first = t.charAt(0).toUpperCase() + t.slice(1);
	return /[.!?”"]$/.test(first) ? first : `${first}.`;
};

function plain(e: PackageError, where: string, href: string | null): CourseProblem {
	return { message: sentence(e.message), where, href, file: e.file, line: e.line };
}

type Located = { index: number; item: Record<string, unknown> };

/** The top-level list item of a YAML file that `line` (1-based) falls in, if any. */
function itemAtLine(text: string, line: number | null): Located | undefined {
	if (line === null) return undefined;
	const counter = new LineCounter();
	const doc = parseDocument(text, { lineCounter: counter });
	if (!isSeq(doc.contents)) return undefined;
	let found: Located | undefined;
	doc.contents.items.forEach((node, index) => {
		if (!isMap(node) || !node.range) return;
		const start = counter.linePos(node.range[0]).line;
		const end = counter.linePos(node.range[2]).line;
		if (line >= start && line <= end) {
			const item: Record<string, unknown> = {};
			for (const pair of node.items)
				if (isScalar(pair.key) && isScalar(pair.value))
					item[String(pair.key.value)] = pair.value.value;
			found = { index, item };
		}
	});
	return found;
}

async function describeProblems(
	db: Executor,
	courseId: number,
	files: PackageFiles,
	errors: PackageError[]
): Promise<CourseProblem[]> {
	const [course, actors, concerns, terms, events] = await Promise.all([
		db.selectFrom('courses').select('slug').where('id', '=', courseId).executeTakeFirstOrThrow(),
		db
			.selectFrom('actors')
			.select(['id', 'name'])
			.where('course_id', '=', courseId)
			.orderBy('position')
			.execute(),
		db
			.selectFrom('concerns')
			.select(['slug', 'label'])
			.where('course_id', '=', courseId)
			.orderBy('position')
			.execute(),
		db
			.selectFrom('glossary_terms')
			.select(['id', 'term'])
			.where('course_id', '=', courseId)
			.orderBy('position')
			.execute(),
		db
			.selectFrom('timeline_events')
			.select(['id', 'when_label as when'])
			.where('course_id', '=', courseId)
			.orderBy('position')
			.execute()
	]);
	const base = `/author/courses/${course.slug}`;
	return errors.map((e) => {
		const lesson = /^lessons\/\d+-(.+)\.md$/.exec(e.file);
		if (lesson) {
			const title = /^title:\s*(.*)$/m.exec(files[e.file] ?? '')?.[1]?.replace(/^["']|["']$/g, '');
			return plain(e, `Lesson “${title ?? lesson[1]}”`, `${base}/lessons/${lesson[1]}`);
		}
		const at = e.file in files ? itemAtLine(files[e.file], e.line) : undefined;
		switch (e.file) {
			case 'course.yaml':
				return plain(e, 'Course details', `${base}#details`);
			case 'article.txt':
				return plain(e, 'The article', `${base}#paragraphs`);
			case 'lessons/':
				// The package speaks of lesson files; in the app they are simply lessons.
				return plain(
					{
						...e,
						message: e.message.replace(
							/^missing lessons:.*$/,
							'the course has no lesson yet: add at least one'
						)
					},
					'Lessons',
					`${base}/lessons`
				);
			case 'questions.gift':
				return plain(e, 'Questions', `${base}/questions`);
			case 'quizzes.yaml':
				return plain(e, 'Quizzes', `${base}/quizzes`);
			case 'actors.yaml': {
				const a = at && actors[at.index];
				return a
					? plain(e, `Actor “${a.name}”`, `${base}/actors#actor-${a.id}`)
					: plain(e, 'Actors', `${base}/actors`);
			}
			case 'concerns.yaml': {
				const k = at && concerns[at.index];
				return k
					? plain(e, `Concern “${k.label}”`, `${base}/concerns/${k.slug}`)
					: plain(e, 'Concerns', `${base}/concerns`);
			}
			case 'glossary.yaml': {
				const t = at && terms[at.index];
				return t
					? plain(e, `Glossary term “${t.term}”`, `${base}/glossary#term-${t.id}`)
					: plain(e, 'Glossary', `${base}/glossary`);
			}
			case 'timeline.yaml': {
				const ev = at && events[at.index];
				return ev
					? plain(e, `Timeline event “${ev.when}”`, `${base}/timeline#event-${ev.id}`)
					: plain(e, 'Timeline', `${base}/timeline`);
			}
			default:
				return plain(e, 'The course', null);
		}
	});
}
