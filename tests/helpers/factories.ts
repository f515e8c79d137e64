/**
 * Test data, one small factory per table (after immich's newUser/newAsset): a test builds only
 * what it needs. Rows are written directly, without the app's slow or many-step paths: users
 * share one password hash computed once, courses are a small valid package, not the shipped one.
 */
import type { Db, Executor } from '../../src/lib/server/db/connect.ts';
import { hashPassword } from '../../src/lib/server/auth/password.ts';
import { findUserById, type User } from '../../src/lib/server/auth/users.ts';
import { readPackage } from '../../src/lib/courses/read.ts';
import type { CoursePackage, PackageFiles } from '../../src/lib/courses/package.ts';
import { importCourse } from '../../src/lib/server/courses/import-export.ts';
import { generateJoinCode } from '../../src/lib/server/classes/codes.ts';
import {
	DEFAULT_QUIZ_SETTINGS,
	settingsColumns,
	type QuizSettingsInput
} from '../../src/lib/server/quizzes/settings.ts';
import type {
	AssignmentKind,
	ClassRole,
	CompletionRule,
	CourseStatus,
	Role
} from '../../src/lib/server/db/types.ts';

let n = 0;
const next = () => (n += 1);

export const TEST_PASSWORD = 'correct horse battery staple';

/** argon2 of TEST_PASSWORD, hashed once per test run rather than once per user (~50 ms each). */
export const TEST_PASSWORD_HASH: Promise<string> = hashPassword(TEST_PASSWORD);

/** A user with a unique email; password TEST_PASSWORD unless given (which is then hashed). */
export async function newUser(
	db: Executor | Db,
	over: Partial<{ email: string; name: string; role: Role; password: string }> = {}
): Promise<User> {
	const i = next();
	const { id } = await db
		.insertInto('users')
		.values({
			email: (over.email ?? `user${i}-${Date.now()}@example.org`).trim().toLowerCase(),
			name: over.name ?? `Test User ${i}`,
			password_hash: over.password ? await hashPassword(over.password) : await TEST_PASSWORD_HASH,
			role: over.role ?? 'student'
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const user = await findUserById(db, id);
	if (!user) throw new Error('the user just made is gone');
	return user;
}

/**
 * The files of a small valid course package: three paragraphs, one actor holding one concern,
 * a glossary term, a timeline event, two lessons (the first with a check question).
 */
export function smallCourseFiles(slug: string, title = 'A small treaty'): PackageFiles {
	return {
		'course.yaml': [
			`slug: ${slug}`,
			`title: ${JSON.stringify(title)}`,
			'summary: Who wants the treaty and why [¶1].',
			'article:',
			'  title: A treaty and its critics',
			'  publisher: null',
			'  date: null',
			'  reference: null',
			''
		].join('\n'),
		'article.txt':
			'A treaty was proposed in 2017.\n\nFirms oppose it.\n\nRights groups oppose it too.\n',
		'actors.yaml': [
			'- slug: firms',
			'  name: Technology firms',
			'  short: Firms',
			'  stance: opposes',
			'  stance_label: Oppose the treaty',
			'  summary: They oppose it [¶2].',
			'  cites: [2]',
			''
		].join('\n'),
		'concerns.yaml': [
			'- slug: privacy',
			'  label: Privacy',
			'  description: What the treaty could do to privacy [¶2].',
			'  held_by:',
			'    - actor: firms',
			'      kind: fear',
			'      summary: They fear for their users [¶2].',
			'      cites: [2]',
			''
		].join('\n'),
		'glossary.yaml': ['- term: Treaty', '  definition: An agreement between states [¶1].', ''].join(
			'\n'
		),
		'timeline.yaml': [
			"- when: '2017'",
			'  sort: 2017',
			'  event: The treaty is proposed [¶1].',
			'  cites: [1]',
			''
		].join('\n'),
		'lessons/01-intro.md': [
			'---',
			'slug: intro',
			'title: Introduction',
			'summary: What the treaty is.',
			'actors: [firms]',
			'key_points:',
			'  - It was proposed in 2017. [¶1]',
			'check: [q-year]',
			'---',
			'The treaty was proposed in 2017 [¶1].',
			''
		].join('\n'),
		'lessons/02-critics.md': [
			'---',
			'slug: critics',
			'title: The critics',
			'summary: Who opposes it.',
			'actors: [firms]',
			'key_points: []',
			'check: []',
			'---',
			'Firms [¶2] and rights groups [¶3] oppose it.',
			''
		].join('\n'),
		'questions.gift': [
			'// [id:q-year] [cite:1]',
			'::Year::When was the treaty proposed?{',
			'=2017#Right [¶1].',
			'~2019#No [¶1].',
			'####It was proposed in 2017 [¶1].',
			'}',
			''
		].join('\n')
	};
}

export interface TestCourse {
	id: number;
	slug: string;
	/** Lesson ids by slug. */
	lesson: Record<string, number>;
	/** Question ids by their package id. */
	question: Record<string, number>;
}

/**
 * A small published course: smallCourseFiles read through the package validator, or `pkg` as
 * given (e.g. smallPackage()). Returns its id, slug, and lesson and question ids.
 */
export async function newCourse(
	db: Executor | Db,
	over: Partial<{
		slug: string;
		title: string;
		ownerId: number | null;
		status: CourseStatus;
		pkg: CoursePackage;
	}> = {}
): Promise<TestCourse> {
	let pkg = over.pkg;
	if (!pkg) {
		const read = readPackage(smallCourseFiles(over.slug ?? `course-${next()}`, over.title));
		if (!read.pkg)
			throw new Error(`the factory course is not valid: ${JSON.stringify(read.errors)}`);
		pkg = read.pkg;
	}
	const id = await importCourse(db, pkg, {
		ownerId: over.ownerId ?? null,
		status: over.status ?? 'published'
	});
	const [lessons, questions] = [
		await db.selectFrom('lessons').select(['id', 'slug']).where('course_id', '=', id).execute(),
		await db
			.selectFrom('questions')
			.select(['id', 'external_id'])
			.where('course_id', '=', id)
			.execute()
	];
	return {
		id,
		slug: pkg.course.slug,
		lesson: Object.fromEntries(lessons.map((l) => [l.slug, l.id])),
		question: Object.fromEntries(questions.map((q) => [q.external_id, q.id]))
	};
}

/**
 * A tiny valid package as an object, for tests that need lesson checks: lessons `one` (checks q1, q2) and `two` (no checks), questions q1–q3.
 */
export function smallPackage(slug = `small-${next()}`): CoursePackage {
	const tf = (id: string, prompt: string, answer: boolean) => ({
		id,
		actor: null,
		concern: null,
		cites: [1],
		category: null,
		title: null,
		prompt,
		explanation: null,
		line: 1,
		type: 'tf' as const,
		answer,
		feedbackIfWrong: null,
		feedbackIfRight: null
	});
	return {
		course: {
			slug,
			title: `Course ${slug}`,
			summary: '',
			article: { title: 'An article', publisher: null, date: null, reference: null, note: null }
		},
		paragraphs: ['The first paragraph.', 'The second paragraph.'],
		actors: [
			{
				slug: 'state',
				name: 'A state',
				short: 'State',
				stance: 'supports',
				stance_label: 'For',
				summary: '',
				cites: [1]
			}
		],
		concerns: [],
		glossary: [],
		timeline: [],
		lessons: [
			{
				slug: 'one',
				title: 'Lesson one',
				summary: '',
				actors: [],
				key_points: [],
				check: ['q1', 'q2'],
				body: 'Read [¶1].'
			},
			{
				slug: 'two',
				title: 'Lesson two',
				summary: '',
				actors: [],
				key_points: [],
				check: [],
				body: 'Read [¶2].'
			}
		],
		questions: [tf('q1', 'One?', true), tf('q2', 'Two?', false), tf('q3', 'Three?', true)]
	};
}

/** The ids of a course's lessons, in reading order. */
export async function lessonIds(db: Executor | Db, courseId: number): Promise<number[]> {
	const rows = await db
		.selectFrom('lessons')
		.select('id')
		.where('course_id', '=', courseId)
		.orderBy('position')
		.execute();
	return rows.map((r) => r.id);
}

/** A class of the course, taught by `instructorId` (made a member as instructor) when given. */
export async function newClass(
	db: Executor | Db,
	courseId: number,
	over: Partial<{
		name: string;
		term: string | null;
		instructorId: number;
		joinCode: string;
		timeZone: string;
	}> = {}
): Promise<{ id: number; joinCode: string }> {
	const i = next();
	// A real code (the join pages refuse malformed ones before looking them up).
	const joinCode = over.joinCode ?? generateJoinCode();
	const { id } = await db
		.insertInto('classes')
		.values({
			course_id: courseId,
			name: over.name ?? `Class ${i}`,
			term: over.term ?? null,
			join_code: joinCode,
			time_zone: over.timeZone ?? 'UTC',
			created_by: over.instructorId ?? null
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	if (over.instructorId !== undefined) await newMember(db, id, over.instructorId, 'instructor');
	return { id, joinCode };
}

export async function newMember(
	db: Executor | Db,
	classId: number,
	userId: number,
	role: ClassRole = 'student'
): Promise<void> {
	await db
		.insertInto('memberships')
		.values({ class_id: classId, user_id: userId, role })
		.onConflict((oc) => oc.columns(['class_id', 'user_id']).doUpdateSet({ role }))
		.execute();
}

/** An assignment of a lesson (the course's first unless given), due in a week unless given. */
export async function newAssignment(
	db: Executor | Db,
	classId: number,
	over: Partial<{
		kind: AssignmentKind;
		lessonId: number | null;
		title: string;
		instructions: string;
		opensAt: Date | null;
		dueAt: Date;
		createdBy: number | null;
		completion: CompletionRule;
	}> = {}
): Promise<number> {
	let lessonId = over.lessonId;
	if (lessonId === undefined && (over.kind ?? 'lesson') === 'lesson') {
		const cls = await db
			.selectFrom('classes')
			.select('course_id')
			.where('id', '=', classId)
			.executeTakeFirstOrThrow();
		lessonId = (await lessonIds(db, cls.course_id))[0];
	}
	const { id } = await db
		.insertInto('assignments')
		.values({
			class_id: classId,
			kind: over.kind ?? 'lesson',
			lesson_id: lessonId ?? null,
			title: over.title ?? `Assignment ${next()}`,
			instructions: over.instructions ?? '',
			opens_at: over.opensAt ?? null,
			due_at: over.dueAt ?? new Date(Date.now() + 7 * 24 * 3600 * 1000),
			completion: over.completion ?? 'marked',
			created_by: over.createdBy ?? null
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

/**
 * A quiz of the course: the given questions in order, or `draws` from the bank (by actor and/or
 * concern ids). Returns its id.
 */
export async function newQuiz(
	db: Executor | Db,
	courseId: number,
	over: Partial<{
		title: string;
		questionIds: number[];
		draws: { actorId?: number | null; concernId?: number | null; draw: number }[];
	}> = {}
): Promise<number> {
	const i = next();
	const { id } = await db
		.insertInto('quizzes')
		.values({
			course_id: courseId,
			position: 100 + i,
			slug: `quiz-${i}`,
			title: over.title ?? `Quiz ${i}`
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const slots = [
		...(over.questionIds ?? []).map((q) => ({ question_id: q, draw: 1 })),
		...(over.draws ?? []).map((d) => ({
			actor_id: d.actorId ?? null,
			concern_id: d.concernId ?? null,
			draw: d.draw
		}))
	];
	if (slots.length)
		await db
			.insertInto('quiz_slots')
			.values(slots.map((s, p) => ({ quiz_id: id, position: p + 1, ...s })))
			.execute();
	return id;
}

/** A quiz assignment with the default settings but those given, due in a week unless given. */
export async function newQuizAssignment(
	db: Executor | Db,
	classId: number,
	quizId: number,
	over: Partial<QuizSettingsInput & { opensAt: Date | null; dueAt: Date; title: string }> = {}
): Promise<number> {
	const { opensAt, dueAt, title, ...settings } = over;
	const { id } = await db
		.insertInto('assignments')
		.values({
			class_id: classId,
			kind: 'quiz',
			lesson_id: null,
			quiz_id: quizId,
			title: title ?? `Quiz assignment ${next()}`,
			opens_at: opensAt ?? null,
			due_at: dueAt ?? new Date(Date.now() + 7 * 24 * 3600 * 1000),
			...settingsColumns({ ...DEFAULT_QUIZ_SETTINGS, ...settings })
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

/**
 * A package for quiz tests: actors `state` and `firms`; questions q-tf (state, true), q-mc (state,
 * key "Yes"), q-short (firms, "privacy"), q-match (firms, two pairs), none a lesson check.
 */
export function quizPackage(slug = `quizzes-${next()}`): CoursePackage {
	const base = smallPackage(slug);
	const common = {
		cites: [1],
		title: null,
		explanation: 'Because [¶1].',
		line: 1,
		concern: null,
		category: null
	};
	return {
		...base,
		actors: [
			...base.actors,
			{
				slug: 'firms',
				name: 'Firms',
				short: 'Firms',
				stance: 'opposes',
				stance_label: 'Against',
				summary: '',
				cites: [2]
			}
		],
		lessons: base.lessons.map((l) => ({ ...l, check: [] })),
		questions: [
			{
				...common,
				id: 'q-tf',
				actor: 'state',
				prompt: 'The state supports it.',
				type: 'tf',
				answer: true,
				feedbackIfWrong: null,
				feedbackIfRight: null
			},
			{
				...common,
				id: 'q-mc',
				actor: 'state',
				prompt: 'Does the state want it?',
				type: 'mc',
				choices: [
					{ text: 'Yes', correct: true, feedback: null },
					{ text: 'No', correct: false, feedback: 'Read ¶1 again.' },
					{ text: 'It does not say', correct: false, feedback: null }
				]
			},
			{
				...common,
				id: 'q-short',
				actor: 'firms',
				prompt: 'What do firms fear for?',
				type: 'short',
				answers: ['privacy']
			},
			{
				...common,
				id: 'q-match',
				actor: 'firms',
				prompt: 'Match.',
				type: 'matching',
				pairs: [
					{ left: 'Wants it', right: 'The state' },
					{ left: 'Fears it', right: 'Firms' }
				]
			}
		]
	};
}
