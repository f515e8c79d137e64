import type { GiftQuestion } from '../gift/index.ts';

// A course package as data: what content/<slug>/ holds, parsed. The importer turns one into rows; the
// exporter turns rows back into one. Prose fields are Markdown with [¶n] citations.

export const STANCES = [
	'supports',
	'opposes',
	'proposed',
	'sceptical',
	'decides',
	'other'
] as const;
export type Stance = (typeof STANCES)[number];
export const CONCERN_KINDS = ['aim', 'fear'] as const;
export type ConcernKind = (typeof CONCERN_KINDS)[number];

export interface PackageArticle {
	title: string;
	publisher: string | null;
	/** ISO date (YYYY-MM-DD) or null when the article gives none. */
	date: string | null;
	reference: string | null;
	note: string | null;
}

export interface PackageCourse {
	slug: string;
	title: string;
	summary: string;
	article: PackageArticle;
}

export interface PackageActor {
	slug: string;
	name: string;
	short: string;
	stance: Stance;
	stance_label: string;
	summary: string;
	cites: number[];
}

export interface PackageHolder {
	actor: string;
	kind: ConcernKind;
	summary: string;
	cites: number[];
}

export interface PackageConcern {
	slug: string;
	label: string;
	description: string;
	held_by: PackageHolder[];
}

export interface PackageTerm {
	term: string;
	definition: string;
	beyond_article: { note: string; source: string } | null;
}

export interface PackageEvent {
	when: string;
	sort: number;
	event: string;
	cites: number[];
}

export interface PackageLesson {
	/** From the front matter; the file's NN- prefix orders the lessons and is not kept. */
	slug: string;
	title: string;
	summary: string;
	actors: string[];
	key_points: string[];
	check: string[];
	body: string;
}

/** A question of a package: unlike one of a GIFT file for a bank, it always has an id. */
export type PackageQuestion = GiftQuestion & { id: string };

/** A place in a quiz: a question of the bank by id, or N drawn at random by actor and concern. */
export type PackageQuizSlot =
	{ question: string } | { draw: number; actor: string | null; concern: string | null };

export interface PackageQuiz {
	slug: string;
	title: string;
	description: string;
	slots: PackageQuizSlot[];
}

export interface CoursePackage {
	course: PackageCourse;
	paragraphs: string[];
	actors: PackageActor[];
	concerns: PackageConcern[];
	glossary: PackageTerm[];
	timeline: PackageEvent[];
	lessons: PackageLesson[];
	questions: PackageQuestion[];
	/**
	 * The course's quizzes (quizzes.yaml). Absent when the package has no such file: the course
	 * then gets one quiz per actor with questions and a mixed final, made from its bank.
	 */
	quizzes?: PackageQuiz[];
}

export interface PackageError {
	file: string;
	/** 1-based line in that file, or null when the problem is the file as a whole. */
	line: number | null;
	message: string;
}

/** The files of a package by path relative to its folder (e.g. "lessons/01-intro.md"). */
export type PackageFiles = Record<string, string>;
