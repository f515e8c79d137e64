/**
 * Authoring: every change an instructor makes to a course, one verb per form, a module per
 * entity. Who may edit is settled by findEditableCourse; the other functions trust the course
 * id they are given.
 *
 * Functions that write more than one row are atomic on their own (they open a transaction, or
 * join the caller's), so a route cannot forget to wrap them and a test can call them directly.
 * Checks that need the database (a slug already used, a citation past the last paragraph) come
 * back as field messages; the package-wide rules are applied by publishCourse, through the same
 * reader that validates uploads, and by every edit of a published course (editCourse), so a
 * published course is always a valid package.
 */
export * from './actors.ts';
export * from './concerns.ts';
export * from './courses.ts';
export * from './gift-import.ts';
export * from './glossary.ts';
export * from './lessons.ts';
export * from './packages.ts';
export * from './paragraphs.ts';
export * from './questions.ts';
export * from './publish.ts';
export * from './quizzes.ts';
export * from './text.ts';
export * from './timeline.ts';
export type {
	Changed,
	CourseProblem,
	Deleted,
	FieldErrors,
	ItemValues,
	Refused,
	Saved
} from './shared.ts';
