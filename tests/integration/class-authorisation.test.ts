import { describe, expect, test } from 'vitest';
import {
	createClass,
	joinClassByCode,
	setModerator,
	findClassForViewer
} from '../../src/lib/server/classes/classes.ts';
import { createAssignment, lessonsForClass } from '../../src/lib/server/classes/assignments.ts';
import { useDatabase } from '../../src/lib/server/db/index.ts';
import { resetDb, testDb, testHandle } from '../helpers/db.ts';
import { newCourse, newUser } from '../helpers/factories.ts';
import { asSessionUser, fakeEvent, outcome, type Outcome } from '../helpers/kit.ts';
import * as home from '../../src/routes/classes/[class]/+page.server.ts';
import * as roster from '../../src/routes/classes/[class]/roster/+page.server.ts';
import * as assignments from '../../src/routes/classes/[class]/assignments/+page.server.ts';
import * as assignmentPage from '../../src/routes/classes/[class]/assignments/[assignment]/+page.server.ts';
import * as editAssignment from '../../src/routes/classes/[class]/assignments/[assignment]/edit/+page.server.ts';
import * as gradebook from '../../src/routes/classes/[class]/gradebook/+page.server.ts';
import * as mastery from '../../src/routes/classes/[class]/mastery/+page.server.ts';
import * as misattribution from '../../src/routes/classes/[class]/misattribution/+page.server.ts';
import type { SessionUser } from '../../src/lib/server/auth/session.ts';

// Every class route is run as each kind of viewer; the test states the exact set allowed in.
const VIEWERS = [
	'anonymous',
	'student',
	'otherStudent',
	'instructor',
	'otherInstructor',
	'moderator',
	'admin'
] as const;
type Viewer = (typeof VIEWERS)[number];

let users: Record<Viewer, SessionUser | null>;
let classId: number;
let assignmentId: number;

// The global beforeEach empties every table, so each test builds its small world with seed().
async function seed() {
	const db = await testDb();
	await resetDb(db);
	useDatabase(await testHandle());
	const course = await newCourse(db);
	const mk = async (role: 'student' | 'instructor' | 'admin') =>
		asSessionUser(await newUser(db, { role }));
	users = {
		anonymous: null,
		student: await mk('student'),
		otherStudent: await mk('student'),
		instructor: await mk('instructor'),
		otherInstructor: await mk('instructor'),
		moderator: await mk('student'),
		admin: await mk('admin')
	};
	classId = await createClass(db, {
		courseId: course.id,
		name: 'Civics A',
		term: null,
		instructorId: users.instructor!.id
	});
	const other = await createClass(db, {
		courseId: course.id,
		name: 'Civics B',
		term: null,
		instructorId: users.otherInstructor!.id
	});
	const code = (await findClassForViewer(db, classId, users.instructor!))!.cls.joinCode;
	const otherCode = (await findClassForViewer(db, other, users.otherInstructor!))!.cls.joinCode;
	await joinClassByCode(db, { code, userId: users.student!.id, ip: '::1' });
	await joinClassByCode(db, { code, userId: users.moderator!.id, ip: '::1' });
	await setModerator(db, classId, users.moderator!.id, true, users.instructor!);
	await joinClassByCode(db, { code: otherCode, userId: users.otherStudent!.id, ip: '::1' });
	const [lesson] = await lessonsForClass(db, classId);
	assignmentId = (await createAssignment(
		db,
		classId,
		{
			kind: 'lesson',
			lessonId: lesson.id,
			title: 'Read lesson 1',
			instructions: '',
			opensAt: null,
			dueAt: new Date(Date.now() + 86400000)
		},
		users.instructor!.id
	))!;
}

async function run(
	fn: unknown,
	viewer: Viewer,
	extra: { params?: Record<string, string>; form?: Record<string, string> } = {}
) {
	return outcome(
		fn,
		fakeEvent({
			user: users[viewer],
			params: { class: String(classId), ...extra.params },
			form: extra.form
		})
	);
}

const MEMBERS: Viewer[] = ['student', 'instructor', 'moderator', 'admin'];
const STAFF: Viewer[] = ['instructor', 'admin'];

function expected(viewer: Viewer, allowed: Viewer[]): Outcome[] {
	if (allowed.includes(viewer)) return ['ok'];
	if (viewer === 'anonymous') return ['login'];
	// Outsiders learn nothing (404); members without the role are told no (403).
	return MEMBERS.includes(viewer) ? [403] : [404];
}

describe('who may open each class page (load = page and its __data.json)', () => {
	const pages: [string, unknown, Viewer[], Record<string, string>?][] = [
		['class home', home.load, MEMBERS],
		['assignments', assignments.load, MEMBERS],
		['roster', roster.load, STAFF],
		['gradebook', gradebook.load, STAFF],
		['mastery by actor', mastery.load, STAFF],
		['misattribution', misattribution.load, STAFF],
		['assignment page', assignmentPage.load, MEMBERS, { assignment: 'ASSIGNMENT' }],
		['edit assignment', editAssignment.load, STAFF, { assignment: 'ASSIGNMENT' }]
	];
	test.each(pages)('%s', async (_name, load, allowed, params) => {
		await seed();
		const p = params ? { assignment: String(assignmentId) } : undefined;
		const got: Record<string, Outcome> = {};
		const want: Record<string, Outcome> = {};
		for (const v of VIEWERS) {
			const r = await run(load, v, { params: p });
			got[v] = r.outcome;
			want[v] = expected(v, allowed)[0];
			if (r.outcome === 'ok') {
				const json = JSON.stringify(r.data);
				// Nobody but staff sees the join code; nobody sees password hashes.
				const code = (await findClassForViewer(await testDb(), classId, users.instructor!))!.cls
					.joinCode;
				if (!STAFF.includes(v)) expect(json, `${v} sees the join code`).not.toContain(code);
				expect(json).not.toContain('argon2');
			}
		}
		expect(got).toEqual(want);
	});
});

describe('who may change a class (actions)', () => {
	const actions: [string, unknown, Record<string, string>][] = [
		['rotate code', home.actions.rotate, {}],
		['turn joining off', home.actions.joining, { open: 'false' }],
		['remove member', roster.actions.remove, { userId: 'STUDENT' }],
		['make moderator', roster.actions.moderator, { userId: 'STUDENT', on: 'true' }],
		['add co-teacher', roster.actions.instructor, { email: 'nobody@example.org' }],
		['create assignment', assignments.actions.create, {}],
		['delete assignment', assignments.actions.delete, { assignmentId: 'ASSIGNMENT' }],
		['archive', home.actions.archive, {}],
		['class settings', home.actions.settings, { name: 'X', timeZone: 'UTC' }],
		['student reset link', roster.actions.reset, { userId: 'STUDENT' }],
		['save assignment', editAssignment.actions.default, {}],
		['accommodations', roster.actions.accommodate, { userId: 'STUDENT', extraMinutes: '10' }]
	];
	test.each(actions)(
		'%s is for the class’s instructors and admins only',
		async (_name, action, form) => {
			await seed();
			const fill = (f: Record<string, string>) =>
				Object.fromEntries(
					Object.entries(f).map(([k, v]) => [
						k,
						v === 'STUDENT'
							? String(users.student!.id)
							: v === 'ASSIGNMENT'
								? String(assignmentId)
								: v
					])
				);
			const got: Record<string, Outcome> = {};
			const want: Record<string, Outcome> = {};
			for (const v of VIEWERS.filter((x) => !STAFF.includes(x))) {
				got[v] = (
					await run(action, v, { form: fill(form), params: { assignment: String(assignmentId) } })
				).outcome;
				want[v] = expected(v, STAFF)[0];
			}
			expect(got).toEqual(want);
			// And the class's instructor gets through (the change may still be refused as bad input).
			const r = await run(action, 'instructor', {
				form: fill(form),
				params: { assignment: String(assignmentId) }
			});
			expect(r.outcome).toBe('ok');
		}
	);
});
