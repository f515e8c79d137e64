import type { Executor } from '../../src/lib/server/db/connect.ts';
import type { CoursePackage } from '../../src/lib/courses/package.ts';
import type { ClassRole, CompletionRule } from '../../src/lib/server/db/types.ts';
import { importCourse } from '../../src/lib/server/courses/import-export.ts';
import { createClass } from '../../src/lib/server/classes/classes.ts';
import { createAssignment } from '../../src/lib/server/classes/assignments.ts';

// Small class-side test data: a two-lesson course with check questions (not the shipped course),
// a class, members and assignments. Users come from ./factories.ts (newUser).

let n = 0;

/** A tiny valid package: lessons `one` (checks q1, q2) and `two` (no checks), questions q1–q3. */
export function smallPackage(slug = `small-${++n}`): CoursePackage {
	const tf = (id: string, prompt: string, answer: boolean) => ({
		id,
		actor: null,
		concern: null,
		cites: [1],
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

export async function newCourse(
	db: Executor,
	over: { pkg?: CoursePackage; ownerId?: number | null } = {}
) {
	const pkg = over.pkg ?? smallPackage();
	const id = await importCourse(db, pkg, { ownerId: over.ownerId ?? null, status: 'published' });
	const lessons = await db
		.selectFrom('lessons')
		.select(['id', 'slug'])
		.where('course_id', '=', id)
		.execute();
	const questions = await db
		.selectFrom('questions')
		.select(['id', 'external_id'])
		.where('course_id', '=', id)
		.execute();
	return {
		id,
		slug: pkg.course.slug,
		pkg,
		lesson: Object.fromEntries(lessons.map((l) => [l.slug, l.id])) as Record<string, number>,
		question: Object.fromEntries(questions.map((q) => [q.external_id, q.id])) as Record<
			string,
			number
		>
	};
}

export async function newClass(
	db: Executor,
	over: { courseId: number; instructorId: number; name?: string; timeZone?: string }
): Promise<number> {
	return createClass(db, {
		courseId: over.courseId,
		name: over.name ?? `Class ${++n}`,
		term: null,
		instructorId: over.instructorId,
		timeZone: over.timeZone
	});
}

export async function newMember(
	db: Executor,
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

const DAY = 86400000;

export async function newAssignment(
	db: Executor,
	classId: number,
	over: {
		lessonId: number;
		createdBy: number;
		title?: string;
		instructions?: string;
		dueAt?: Date;
		opensAt?: Date | null;
		completion?: CompletionRule;
	}
): Promise<number> {
	const id = await createAssignment(
		db,
		classId,
		{
			kind: 'lesson',
			lessonId: over.lessonId,
			completion: over.completion ?? 'marked',
			title: over.title ?? `Assignment ${++n}`,
			instructions: over.instructions ?? '',
			opensAt: over.opensAt ?? null,
			dueAt: over.dueAt ?? new Date(Date.now() + DAY)
		},
		over.createdBy
	);
	if (!id) throw new Error('newAssignment: the lesson is not in the class’s course');
	return id;
}
