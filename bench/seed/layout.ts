// The shape of the seeded district: how many of each thing, and who is where. Everything here is
// a pure function of the sizes, so every step (and the manifest) agrees on ids without asking the
// database: users, classes, assignments, threads and posts get explicit ids.

import { mulberry32 } from '../../src/lib/shuffle.ts';

export interface Sizes {
	scale: number;
	quick: boolean;
	students: number;
	instructors: number;
	classes: number;
	quizzes: number;
	/** Quiz assignments per class (the gradebook's columns). */
	assignmentsPerClass: number;
	/** Mean finished graded attempts per student and assignment (0–3 each). */
	attemptsPerPair: number;
	threads: number;
	posts: number;
	/** Class 1, the scenarios' class: its students and its long thread. */
	bigClassStudents: number;
	bigThreadPosts: number;
	/**
	 * Classes 1, 2, 3… have these sizes (class 1 is the big class; at full size classes 2 and 3
	 * hold ¼ and 4× as many students, for the growth check); the other students are dealt round.
	 */
	fixedClasses: number[];
	/** Threads 1, 2, 3… of class 1 have these many posts (the big thread, then ¼ and 4× it). */
	fixedThreads: number[];
	/** Students listed in the manifest, each with a session and an open attempt. */
	manifestStudents: number;
}

export function sizesFor(scale: number, quick: boolean): Sizes {
	const k = quick ? scale / 50 : scale;
	const students = Math.max(40, Math.round(10_000 * k));
	const posts = Math.max(400, Math.round(100_000 * k));
	const big = Math.min(300, Math.floor(students * 0.3));
	const bigThread = Math.min(500, Math.floor(posts / 4));
	// Growth fixtures only where the district is large enough to hold them as a small part.
	const growth = students >= 10 * big && !quick;
	const threadGrowth = posts >= 10 * bigThread * 5.25 && !quick;
	return {
		scale,
		quick,
		students,
		instructors: Math.max(2, Math.round(30 * k)),
		classes: Math.max(4, Math.round(400 * k)),
		quizzes: 40,
		assignmentsPerClass: 10,
		attemptsPerPair: 2,
		threads: Math.max(20, Math.round(5_000 * k)),
		posts,
		bigClassStudents: big,
		bigThreadPosts: bigThread,
		fixedClasses: growth ? [big, Math.floor(big / 4), big * 4] : [big],
		fixedThreads: threadGrowth
			? [bigThread, Math.floor(bigThread / 4), bigThread * 4]
			: [bigThread],
		manifestStudents: Math.min(students, 2000)
	};
}

export const BIG_CLASS = 1;

/** Instructors are users 1..I; student s (1-based) is user I + s. */
export function studentUserId(s: Sizes, n: number): number {
	return s.instructors + n;
}

/** The class of student n: the fixed classes filled in order, the rest dealt round the others. */
export function classOfStudent(s: Sizes, n: number): number {
	let upTo = 0;
	for (let c = 0; c < s.fixedClasses.length; c++) {
		upTo += s.fixedClasses[c];
		if (n <= upTo) return c + 1;
	}
	const first = s.fixedClasses.length + 1;
	return first + ((n - upTo - 1) % (s.classes - first + 1));
}

/** The instructor (user id) who teaches class c: instructor 1 has all the fixed classes. */
export function instructorOfClass(s: Sizes, c: number): number {
	if (c <= s.fixedClasses.length) return 1;
	return 1 + ((c - 1) % s.instructors);
}

/** Every class's students, as user ids, in roster order. */
export function rosters(s: Sizes): number[][] {
	const out: number[][] = Array.from({ length: s.classes + 1 }, () => []);
	for (let n = 1; n <= s.students; n++) out[classOfStudent(s, n)].push(studentUserId(s, n));
	return out;
}

/** The moderator of a class: its first student (class 1 has two). */
export function moderatorsOf(roster: number[], c: number): number[] {
	return roster.slice(0, c === BIG_CLASS ? 2 : 1);
}

/** Assignment j (0-based) of class c. */
export function assignmentId(s: Sizes, c: number, j: number): number {
	return (c - 1) * s.assignmentsPerClass + j + 1;
}

/** The students (numbers 1..) the manifest lists: the first manifestStudents. */
export function manifestStudentNumbers(s: Sizes): number[] {
	return Array.from({ length: s.manifestStudents }, (_, i) => i + 1);
}

/** A small deterministic generator (mulberry32), so a seeded district is the same every run. */
export const rng = mulberry32;
