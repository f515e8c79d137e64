/**
 * Reads and validates a course package (docs/course-packages.md). Every problem is reported with
 * its file and line, and a package with any problem is refused as a whole.
 */
import type { GenericSchema, InferOutput } from 'valibot';
import { citationLines, parseCitations } from '../citations/index.ts';
import { parseGift, type GiftQuestion } from '../gift/index.ts';
import { unstorableLine } from '../validation/text.ts';
import type {
	CoursePackage,
	PackageActor,
	PackageConcern,
	PackageCourse,
	PackageError,
	PackageEvent,
	PackageFiles,
	PackageLesson,
	PackageQuestion,
	PackageQuiz,
	PackageTerm
} from './package.ts';
import {
	actorsSchema,
	concernsSchema,
	courseSchema,
	glossarySchema,
	lessonSchema,
	quizzesSchema,
	timelineSchema
} from './schemas.ts';
import { readYaml, type ParsedYaml, type YamlPath, type YamlSource } from './yaml-source.ts';
import { checkGiftQuestions, outOfRange } from './question-rules.ts';

export { checkGiftQuestions, type QuestionContext } from './question-rules.ts';

export const REQUIRED_FILES = [
	'course.yaml',
	'article.txt',
	'actors.yaml',
	'concerns.yaml',
	'glossary.yaml',
	'timeline.yaml',
	'questions.gift'
] as const;

/**
 * Far beyond any article (a long report has a few hundred paragraphs), and what keeps every list
 * of a 2 MB package to a size that one page, one statement and one validator pass can take.
 */
export const MAX_ARTICLE_PARAGRAPHS = 5_000;
export const MAX_LIST_ITEMS = 2_000;

const LESSON_FILE = /^lessons\/(\d+)-[^/]+\.md$/;
const REFERENCE_LINE = /^Reference:/i;

export interface ReadResult {
	pkg: CoursePackage | null;
	errors: PackageError[];
}

export function readPackage(files: PackageFiles): ReadResult {
	try {
		return new PackageReader(files).read();
	} catch (e) {
		// The contract is to report, never throw: a bug here must not take the caller down.
		return {
			pkg: null,
			errors: [{ file: '', line: null, message: `could not read the package: ${e}` }]
		};
	}
}

const lines = (text: string) => text.split(/\r\n|\r|\n/);
const withoutBom = (text: string) => text.replace(/^\uFEFF/, '');

/** What an article.txt holds: its paragraphs, or the problems with it. */
export function parseArticle(text: string): {
	paragraphs: string[];
	errors: { line: number; message: string }[];
} {
	const all = lines(withoutBom(text));
	const errors: { line: number; message: string }[] = [];
	let end = all.length;
	while (end > 0 && all[end - 1].trim() === '') end--;
	if (end > 0 && REFERENCE_LINE.test(all[end - 1].trim())) {
		errors.push({
			line: end,
			message:
				'the article ends with a "Reference:" line, which is not part of the article: put the ' +
				'reference in course.yaml (article.reference, null when it is empty) and remove the line'
		});
		end--;
	}

	const paragraphs: string[] = [];
	let block: string[] = [];
	const flush = () => {
		if (block.length > 0) paragraphs.push(block.join(' ').trim());
		block = [];
	};
	for (const line of all.slice(0, end)) {
		if (line.trim() === '') flush();
		else block.push(line.trim());
	}
	flush();
	return { paragraphs, errors };
}

interface LessonFile {
	file: string;
	number: number;
	lesson: PackageLesson | null;
	source: YamlSource | null;
	/** File line of the body's first line. */
	bodyLine: number;
}

/** Where a citation or reference is written: a YAML value, or lines of a non-YAML text. */
type Place =
	| { file: string; source: YamlSource; path: YamlPath }
	| { file: string; line: number; text?: string };

class PackageReader {
	private readonly errors: PackageError[] = [];

	constructor(private readonly files: PackageFiles) {}

	private fail(file: string, line: number | null, message: string): void {
		this.errors.push({ file, line, message });
	}

	private lineOf(place: Place): number | null {
		return 'source' in place ? place.source.lineOf(place.path) : place.line;
	}

	private failAt(place: Place, message: string): void {
		this.fail(place.file, this.lineOf(place), message);
	}

	read(): ReadResult {
		const files = this.files;
		for (const name of REQUIRED_FILES) {
			if (typeof files[name] !== 'string') this.fail(name, null, `missing file ${name}`);
		}
		// A NUL (possible in a JSON package as \u0000) would fail the insert with a 500.
		for (const [name, text] of Object.entries(files)) {
			if (unstorableLine(name) !== null)
				this.fail(
					// eslint-disable-next-line no-control-regex
					name.replace(/[\u0000\uD800-\uDFFF]/g, '\uFFFD'),
					null,
					'the file name holds a NUL or a broken character'
				);
			const line = typeof text === 'string' ? unstorableLine(text) : null;
			if (line !== null)
				this.fail(
					name,
					line,
					'this line holds a NUL or a broken character (\\u0000 or a lone surrogate), which cannot be stored: remove it'
				);
		}

		const article = this.readArticle();
		const course = this.yaml('course.yaml', courseSchema);
		const actors = this.yaml('actors.yaml', actorsSchema);
		const concerns = this.yaml('concerns.yaml', concernsSchema);
		const glossary = this.yaml('glossary.yaml', glossarySchema);
		const timeline = this.yaml('timeline.yaml', timelineSchema);
		const lessons = this.readLessons();
		const questions = this.readQuestions();
		const quizzes = this.yaml('quizzes.yaml', quizzesSchema);
		const lists: [string, string, unknown[] | null][] = [
			['actors.yaml', 'actors', actors.value],
			['concerns.yaml', 'concerns', concerns.value],
			['glossary.yaml', 'terms', glossary.value],
			['timeline.yaml', 'events', timeline.value],
			['lessons/', 'lessons', lessons],
			['questions.gift', 'questions', questions],
			['quizzes.yaml', 'quizzes', quizzes.value]
		];
		for (const [file, what, list] of lists) {
			if (list && list.length > MAX_LIST_ITEMS)
				this.fail(file, null, `${list.length} ${what}; at most ${MAX_LIST_ITEMS} are allowed`);
		}

		const count = article && article.length > 0 ? article.length : null;
		if (count !== null) {
			for (const part of [course, actors, concerns, glossary, timeline]) {
				if (part.value && part.source) this.checkCitations(part.source, [], part.value, count);
			}
			for (const l of lessons) {
				if (l.lesson && l.source) {
					const { body, ...front } = l.lesson;
					this.checkCitations(l.source, [], front, count);
					this.checkProse({ file: l.file, line: l.bodyLine, text: body }, body, count);
				}
			}
		}

		const actorSlugs = actors.value && this.unique('actors.yaml', actors, 'actor');
		const concernSlugs = concerns.value && this.unique('concerns.yaml', concerns, 'concern');
		this.uniqueTerms(glossary);
		this.uniqueLessons(lessons);

		if (actors.value && actors.source && concerns.value) {
			const held = new Set(concerns.value.flatMap((c) => c.held_by.map((h) => h.actor)));
			actors.value.forEach((a, i) => {
				if (!held.has(a.slug))
					this.failAt(
						{ file: 'actors.yaml', source: actors.source!, path: [i] },
						`actor "${a.slug}" holds no concern: add it to a held_by list in concerns.yaml`
					);
			});
		}
		if (actorSlugs && concerns.value && concerns.source) {
			concerns.value.forEach((c, i) =>
				c.held_by.forEach((h, j) => {
					if (!actorSlugs.has(h.actor))
						this.failAt(
							{ file: 'concerns.yaml', source: concerns.source!, path: [i, 'held_by', j, 'actor'] },
							`held_by: actor "${h.actor}" is not in actors.yaml`
						);
				})
			);
		}

		const questionCites = questions && new Map(questions.map((q) => [q.id, q.cites.length]));
		for (const l of lessons) {
			if (!l.lesson || !l.source) continue;
			const source = l.source;
			if (actorSlugs)
				l.lesson.actors.forEach((slug, k) => {
					if (!actorSlugs.has(slug))
						this.failAt(
							{ file: l.file, source, path: ['actors', k] },
							`actors: actor "${slug}" is not in actors.yaml`
						);
				});
			if (questionCites)
				l.lesson.check.forEach((id, k) => {
					const cites = questionCites.get(id);
					if (cites === undefined)
						this.failAt(
							{ file: l.file, source, path: ['check', k] },
							`check: question "${id}" is not in questions.gift`
						);
					else if (cites === 0)
						this.failAt(
							{ file: l.file, source, path: ['check', k] },
							`check: question "${id}" needs a citation ([cite:…]) before a lesson can ask it`
						);
				});
			if (parseCitations(l.lesson.body).length === 0)
				this.fail(l.file, l.bodyLine, 'the lesson body cites no paragraph of the article ([¶n])');
		}

		if (questions) {
			const text = withoutBom(this.files['questions.gift']);
			const context = { actors: actorSlugs, concerns: concernSlugs, paragraphs: count };
			for (const e of checkGiftQuestions(text, questions, context))
				this.fail('questions.gift', e.line, e.message);
		}

		const quizList =
			quizzes.value &&
			quizzes.source &&
			this.checkQuizzes(quizzes.value, quizzes.source, {
				questions: questionCites,
				actors: actorSlugs,
				concerns: concernSlugs
			});

		if (
			this.errors.length > 0 ||
			!article ||
			!course.value ||
			!actors.value ||
			!concerns.value ||
			!glossary.value ||
			!timeline.value ||
			!questions
		) {
			return { pkg: null, errors: sortErrors(this.errors) };
		}
		const pkg: CoursePackage = {
			course: course.value satisfies PackageCourse,
			paragraphs: article,
			actors: actors.value satisfies PackageActor[],
			concerns: concerns.value satisfies PackageConcern[],
			glossary: glossary.value satisfies PackageTerm[],
			timeline: timeline.value satisfies PackageEvent[],
			lessons: lessons.map((l) => l.lesson!),
			// Every question has an id: one without is an error above.
			questions: questions as PackageQuestion[],
			...(quizList ? { quizzes: quizList } : {})
		};
		return { pkg, errors: [] };
	}

	private yaml<S extends GenericSchema>(file: string, schema: S): ParsedYaml<InferOutput<S>> {
		const text = this.files[file];
		if (typeof text !== 'string') return { value: null, source: null, errors: [] };
		const parsed = readYaml(file, withoutBom(text), schema);
		for (const e of parsed.errors) this.errors.push(e);
		return parsed;
	}

	private readArticle(): string[] | null {
		const text = this.files['article.txt'];
		if (typeof text !== 'string') return null;
		const { paragraphs, errors } = parseArticle(text);
		for (const e of errors) this.fail('article.txt', e.line, e.message);
		if (paragraphs.length === 0) this.fail('article.txt', null, 'the article has no paragraphs');
		if (paragraphs.length > MAX_ARTICLE_PARAGRAPHS)
			this.fail(
				'article.txt',
				null,
				`the article has ${paragraphs.length} paragraphs; at most ${MAX_ARTICLE_PARAGRAPHS} are allowed`
			);
		return paragraphs;
	}

	private readLessons(): LessonFile[] {
		const found: LessonFile[] = [];
		for (const file of Object.keys(this.files)) {
			if (!file.startsWith('lessons/') || !file.endsWith('.md')) continue;
			const m = LESSON_FILE.exec(file);
			if (!m) {
				this.fail(
					file,
					null,
					'a lesson file is named lessons/NN-name.md, e.g. lessons/01-intro.md'
				);
				continue;
			}
			found.push(this.readLesson(file, Number(m[1])));
		}
		if (found.length === 0 && !this.errors.some((e) => e.file.startsWith('lessons/')))
			this.fail('lessons/', null, 'missing lessons: add at least one lessons/NN-name.md');

		found.sort((a, b) => a.number - b.number || a.file.localeCompare(b.file));
		for (let i = 1; i < found.length; i++) {
			if (found[i].number === found[i - 1].number)
				this.fail(
					found[i].file,
					null,
					`two lessons are numbered ${found[i].number} (also ${found[i - 1].file}), so their order is unclear`
				);
		}
		return found;
	}

	private readLesson(file: string, number: number): LessonFile {
		const all = lines(withoutBom(this.files[file]));
		const broken = { file, number, lesson: null, source: null, bodyLine: 1 };
		if (all[0].trimEnd() !== '---') {
			this.fail(
				file,
				1,
				'a lesson starts with front matter: a "---" line, YAML, another "---" line'
			);
			return broken;
		}
		const close = all.findIndex((l, i) => i > 0 && l.trimEnd() === '---');
		if (close === -1) {
			this.fail(file, 1, 'the front matter has no closing "---" line');
			return broken;
		}
		const front = readYaml(file, all.slice(1, close).join('\n'), lessonSchema, 1);
		for (const e of front.errors) this.errors.push(e);

		let start = close + 1;
		let end = all.length;
		while (start < end && all[start].trim() === '') start++;
		while (end > start && all[end - 1].trim() === '') end--;
		const body = all.slice(start, end).join('\n');
		// An empty body is reported on the closing `---`.
		const bodyLine = start < end ? start + 1 : close + 1;
		return {
			file,
			number,
			lesson: front.value && { ...front.value, body },
			source: front.source,
			bodyLine
		};
	}

	private readQuestions(): GiftQuestion[] | null {
		const text = this.files['questions.gift'];
		if (typeof text !== 'string') return null;
		const { questions, errors } = parseGift(text);
		for (const e of errors) this.fail('questions.gift', e.line, e.message);
		// A bank takes questions without our id; a package names each, for lessons and classes.
		for (const q of questions)
			if (q.id === null) this.fail('questions.gift', q.line, 'question has no [id:…] tag');
		return errors.length === 0 ? questions : null;
	}

	/** Every string and every `cites` number in `value`, wherever it sits in the file. */
	private checkCitations(source: YamlSource, path: YamlPath, value: unknown, count: number): void {
		if (typeof value === 'string') {
			this.checkProse({ file: source.file, source, path }, value, count);
		} else if (Array.isArray(value)) {
			const isCites = path.at(-1) === 'cites';
			value.forEach((item, i) => {
				if (isCites && typeof item === 'number') {
					if (item > count)
						this.failAt({ file: source.file, source, path: [...path, i] }, outOfRange(item, count));
				} else this.checkCitations(source, [...path, i], item, count);
			});
		} else if (value !== null && typeof value === 'object') {
			for (const [key, item] of Object.entries(value))
				this.checkCitations(source, [...path, key], item, count);
		}
	}

	/** Reports each bad citation on the line it is written on, or at the field when unsure. */
	private checkProse(place: Place, value: string, count: number): void {
		const bad = parseCitations(value).filter((n) => n < 1 || n > count);
		if (bad.length === 0) return;
		const written =
			'source' in place
				? place.source.citationLinesOf(place.path)
				: citationLines(place.text ?? value).map((l) => ({
						line: place.line + l.line - 1,
						paragraphs: l.paragraphs
					}));
		// The lines of each bad number, gathered in one pass: searching every line for every bad
		// number took 28 s for a 350 KB lesson of distinct out-of-range citations.
		const linesOf = new Map<number, number[]>(bad.map((n) => [n, []]));
		for (const l of written) {
			for (const n of new Set(l.paragraphs)) linesOf.get(n)?.push(l.line);
		}
		for (const n of bad) {
			const at = linesOf.get(n)!;
			if (at.length === 0) this.failAt(place, outOfRange(n, count));
			for (const line of at) this.fail(place.file, line, outOfRange(n, count));
		}
	}

	/** The quizzes of quizzes.yaml, each slot checked against the bank, actors and concerns. */
	private checkQuizzes(
		quizzes: InferOutput<typeof quizzesSchema>,
		source: YamlSource,
		known: {
			questions: Map<string | null, number> | null;
			actors: Set<string> | null;
			concerns: Set<string> | null;
		}
	): PackageQuiz[] {
		const file = 'quizzes.yaml';
		this.unique(file, { value: quizzes, source }, 'quiz');
		quizzes.forEach((quiz, i) =>
			quiz.questions.forEach((slot, k) => {
				const at = (message: string, ...path: (string | number)[]) =>
					this.failAt({ file, source, path: [i, 'questions', k, ...path] }, message);
				if (typeof slot === 'string') {
					const cites = known.questions?.get(slot);
					if (known.questions && cites === undefined)
						at(`question "${slot}" is not in questions.gift`);
					else if (cites === 0)
						at(`question "${slot}" needs a citation ([cite:…]) before a quiz can ask it`);
					return;
				}
				if (slot.actor !== null && known.actors && !known.actors.has(slot.actor))
					at(`actor "${slot.actor}" is not in actors.yaml`, 'actor');
				if (slot.concern !== null && known.concerns && !known.concerns.has(slot.concern))
					at(`concern "${slot.concern}" is not in concerns.yaml`, 'concern');
			})
		);
		return quizzes.map((q) => ({
			slug: q.slug,
			title: q.title,
			description: q.description,
			slots: q.questions.map((s) =>
				typeof s === 'string'
					? { question: s }
					: { draw: s.draw, actor: s.actor, concern: s.concern }
			)
		}));
	}

	private unique<T extends { slug: string }>(
		file: string,
		part: { value: T[] | null; source: YamlSource | null },
		what: string
	): Set<string> {
		const first = new Map<string, number | null>();
		part.value?.forEach((item, i) => {
			const place: Place = { file, source: part.source!, path: [i, 'slug'] };
			const before = first.get(item.slug);
			if (before !== undefined)
				this.failAt(place, `duplicate ${what} slug "${item.slug}" (first on line ${before})`);
			else first.set(item.slug, this.lineOf(place));
		});
		return new Set(first.keys());
	}

	private uniqueTerms(glossary: { value: PackageTerm[] | null; source: YamlSource | null }): void {
		const first = new Map<string, number | null>();
		glossary.value?.forEach((t, i) => {
			const place: Place = { file: 'glossary.yaml', source: glossary.source!, path: [i, 'term'] };
			const key = t.term.trim().toLowerCase();
			const before = first.get(key);
			if (before !== undefined)
				this.failAt(place, `duplicate glossary term "${t.term}" (first on line ${before})`);
			else first.set(key, this.lineOf(place));
		});
	}

	private uniqueLessons(lessons: LessonFile[]): void {
		const first = new Map<string, string>();
		for (const l of lessons) {
			if (!l.lesson || !l.source) continue;
			const before = first.get(l.lesson.slug);
			if (before !== undefined)
				this.failAt(
					{ file: l.file, source: l.source, path: ['slug'] },
					`duplicate lesson slug "${l.lesson.slug}" (also in ${before})`
				);
			else first.set(l.lesson.slug, l.file);
		}
	}
}

const FILE_ORDER = [...REQUIRED_FILES.slice(0, 6), 'lessons/', 'questions.gift', 'quizzes.yaml'];

function fileRank(file: string): number {
	const rank = FILE_ORDER.findIndex((f) => (f.endsWith('/') ? file.startsWith(f) : file === f));
	return rank === -1 ? FILE_ORDER.length : rank;
}

/** More problems than anyone reads; a hostile file can hold hundreds of thousands. */
export const MAX_REPORTED_ERRORS = 200;

function sortErrors(errors: PackageError[]): PackageError[] {
	const sorted = errors
		.map((e, i) => ({ e, i }))
		.sort(
			(a, b) =>
				fileRank(a.e.file) - fileRank(b.e.file) ||
				a.e.file.localeCompare(b.e.file) ||
				(a.e.line ?? 0) - (b.e.line ?? 0) ||
				a.i - b.i
		)
		.map(({ e }) => e);
	if (sorted.length <= MAX_REPORTED_ERRORS) return sorted;
	const shown = sorted.slice(0, MAX_REPORTED_ERRORS);
	shown.push({
		file: '',
		line: null,
		message: `… and ${sorted.length - MAX_REPORTED_ERRORS} more problems, not listed here`
	});
	return shown;
}
