/**
 * Writes a package back out as files, in the layout of content/<slug>/, such that
 * `readPackage(writePackage(pkg)).pkg` equals `pkg` up to the questions' source lines (compare
 * with `comparablePackage`).
 */
import { Document, Scalar, isCollection, isNode, isPair, isScalar, isSeq, visit } from 'yaml';
import { serializeGift, type GiftQuestion } from '../gift/index.ts';
import type { CoursePackage, PackageFiles, PackageLesson, PackageQuiz } from './package.ts';

// Lists of numbers and slugs read best on one line, as the docs write them.
const FLOW_LISTS = new Set(['cites', 'actors', 'check']);
const LINE_WIDTH = 100;

/** Roughly where a scalar's value starts on its line, from how deep it sits. */
function column(path: readonly unknown[]): number {
	const depth = path.filter((node) => isCollection(node)).length;
	const parent = path.at(-1);
	const prefix = isPair(parent) && isScalar(parent.key) ? String(parent.key.value).length + 2 : 2;
	return 2 * Math.max(0, depth - 1) + prefix;
}

function toYaml(value: unknown, spaced: boolean): string {
	const doc = new Document(value);
	visit(doc, {
		Scalar(key, node, path) {
			if (key === 'key' || typeof node.value !== 'string') return;
			if (node.value.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
			// Prose too long for its line becomes a folded block rather than a plain scalar
			// continued on the next lines, which is easy to misread and to break when editing.
			else if (column(path) + node.value.length + 2 > LINE_WIDTH) node.type = Scalar.BLOCK_FOLDED;
		},
		Seq(_key, node, path) {
			const parent = path.at(-1);
			if (isPair(parent) && isScalar(parent.key) && FLOW_LISTS.has(String(parent.key.value))) {
				node.flow = true;
			}
		}
	});
	if (spaced && isSeq(doc.contents)) {
		doc.contents.items.forEach((item, i) => {
			if (i > 0 && isNode(item)) item.spaceBefore = true;
		});
	}
	return doc.toString({ lineWidth: LINE_WIDTH, flowCollectionPadding: false });
}

function lessonFile(lesson: PackageLesson): string {
	const { body, ...front } = lesson;
	return `---\n${toYaml(front, false)}---\n\n${body}\n`;
}

export function writePackage(pkg: CoursePackage): PackageFiles {
	const files: PackageFiles = {
		'course.yaml': toYaml(pkg.course, false),
		'article.txt': `${pkg.paragraphs.join('\n\n')}\n`,
		'actors.yaml': toYaml(pkg.actors, true),
		'concerns.yaml': toYaml(pkg.concerns, true),
		'glossary.yaml': toYaml(
			pkg.glossary.map(({ beyond_article, ...t }) =>
				beyond_article === null ? t : { ...t, beyond_article }
			),
			true
		),
		'timeline.yaml': toYaml(pkg.timeline, true)
	};
	const width = Math.max(2, String(pkg.lessons.length).length);
	pkg.lessons.forEach((lesson, i) => {
		files[`lessons/${String(i + 1).padStart(width, '0')}-${lesson.slug}.md`] = lessonFile(lesson);
	});
	files['questions.gift'] = serializeGift(pkg.questions);
	if (pkg.quizzes) files['quizzes.yaml'] = toYaml(pkg.quizzes.map(quizEntry), true);
	return files;
}

/** A quiz as quizzes.yaml writes it: a question slot is its id, a draw names only its filters. */
function quizEntry(q: PackageQuiz) {
	return {
		slug: q.slug,
		title: q.title,
		...(q.description ? { description: q.description } : {}),
		questions: q.slots.map((s) =>
			'question' in s
				? s.question
				: {
						draw: s.draw,
						...(s.actor === null ? {} : { actor: s.actor }),
						...(s.concern === null ? {} : { concern: s.concern })
					}
		)
	};
}

type WithoutLine<T> = T extends unknown ? Omit<T, 'line'> : never;

/** A question without `line`, which says where it was read from rather than what it is. */
export type ComparableQuestion = WithoutLine<GiftQuestion>;

export type ComparablePackage = Omit<CoursePackage, 'questions'> & {
	questions: ComparableQuestion[];
};

/** `pkg` without what depends on file layout (question lines), for deep equality. */
export function comparablePackage(pkg: CoursePackage): ComparablePackage {
	return {
		...pkg,
		questions: pkg.questions.map(({ line: _line, ...q }) => q as ComparableQuestion)
	};
}
