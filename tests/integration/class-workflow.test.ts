import { describe, expect, test } from 'vitest';
import {
	acceptInvitation,
	createInvitation,
	findInvitation
} from '../../src/lib/server/auth/invitations.ts';
import {
	createStudentPasswordReset,
	findPasswordReset
} from '../../src/lib/server/auth/password-reset.ts';
import { findUserByEmail } from '../../src/lib/server/auth/users.ts';
import { findClassForViewer, rotateJoinCode } from '../../src/lib/server/classes/classes.ts';
import { listStudentAssignments } from '../../src/lib/server/classes/assignments.ts';
import { dateFromForm } from '../../src/lib/server/web/dates.ts';
import { useDatabase } from '../../src/lib/server/db/index.ts';
import { testDb, testHandle } from '../helpers/db.ts';
import { asSessionUser, fakeEvent, outcome } from '../helpers/kit.ts';
import {
	newAssignment,
	newClass,
	newCourse,
	newMember,
	newUser,
	smallPackage
} from '../helpers/factories.ts';
import * as home from '../../src/routes/classes/[class]/+page.server.ts';
import * as roster from '../../src/routes/classes/[class]/roster/+page.server.ts';
import * as assignments from '../../src/routes/classes/[class]/assignments/+page.server.ts';
import * as assignmentPage from '../../src/routes/classes/[class]/assignments/[assignment]/+page.server.ts';
import * as admin from '../../src/routes/admin/users/+page.server.ts';
import * as joinLink from '../../src/routes/join/[code]/+page.server.ts';
import * as invite from '../../src/routes/invite/[token]/+page.server.ts';
import * as lesson from '../../src/routes/courses/[course]/lessons/[lesson]/+page.server.ts';

const HOUR = 3600000;

async function world(opts: { timeZone?: string } = {}) {
	const db = await testDb();
	useDatabase(await testHandle());
	const teacher = await newUser(db, { role: 'instructor', name: 'Teacher' });
	const course = await newCourse(db, { ownerId: teacher.id, pkg: smallPackage() });
	const classId = (
		await newClass(db, course.id, {
			instructorId: teacher.id,
			name: 'Civics A',
			timeZone: opts.timeZone
		})
	).id;
	const ana = await newUser(db, { name: 'Ana' });
	await newMember(db, classId, ana.id);
	return { db, teacher: asSessionUser(teacher), course, classId, ana: asSessionUser(ana) };
}

type W = Awaited<ReturnType<typeof world>>;
const call = (
	w: W,
	fn: unknown,
	form: Record<string, string>,
	params: Record<string, string> = {}
) =>
	outcome(
		fn,
		fakeEvent({ user: w.teacher, params: { class: String(w.classId), ...params }, form })
	);

describe('destructive actions ask first, and act only when confirmed', () => {
	test('deleting an assignment', async () => {
		const w = await world();
		const id = await newAssignment(w.db, w.classId, {
			lessonId: w.course.lesson.one,
			createdBy: w.teacher.id,
			title: 'Read one'
		});
		const asked = await call(w, assignments.actions.delete, { assignmentId: String(id) });
		expect(asked.data).toMatchObject({
			confirm: {
				action: '?/delete',
				fields: { assignmentId: String(id) },
				message: expect.stringContaining('Delete “Read one”?')
			}
		});
		expect(await w.db.selectFrom('assignments').select('id').execute()).toHaveLength(1);
		const done = await call(w, assignments.actions.delete, {
			assignmentId: String(id),
			confirmed: 'yes'
		});
		expect(done.data).toEqual({ deleted: true });
		expect(await w.db.selectFrom('assignments').select('id').execute()).toHaveLength(0);
	});

	test('removing a student', async () => {
		const w = await world();
		const asked = await call(w, roster.actions.remove, { userId: String(w.ana.id) });
		expect(asked.data).toMatchObject({
			confirm: { message: expect.stringContaining('Remove Ana from Civics A?') }
		});
		expect(await w.db.selectFrom('memberships').select('user_id').execute()).toHaveLength(2);
		await call(w, roster.actions.remove, { userId: String(w.ana.id), confirmed: 'yes' });
		expect(await w.db.selectFrom('memberships').select('user_id').execute()).toEqual([
			{ user_id: w.teacher.id }
		]);
	});

	test('archiving a class', async () => {
		const w = await world();
		const asked = await call(w, home.actions.archive, {});
		expect(asked.data).toMatchObject({ confirm: { action: '?/archive' } });
		const archived = async () =>
			(await findClassForViewer(w.db, w.classId, w.teacher))!.cls.archived;
		expect(await archived()).toBe(false);
		await call(w, home.actions.archive, { confirmed: 'yes' });
		expect(await archived()).toBe(true);
	});

	test('disabling a user', async () => {
		const w = await world();
		const root = asSessionUser(await newUser(w.db, { role: 'admin' }));
		const run = (form: Record<string, string>) =>
			outcome(admin.actions.disable, fakeEvent({ user: root, form }));
		const asked = await run({ userId: String(w.ana.id) });
		expect(asked.data).toMatchObject({
			confirm: { message: expect.stringContaining('Disable Ana') }
		});
		expect((await findUserByEmail(w.db, w.ana.email))!.disabled).toBe(false);
		await run({ userId: String(w.ana.id), confirmed: 'yes' });
		expect((await findUserByEmail(w.db, w.ana.email))!.disabled).toBe(true);
	});
});

describe('assigning warns first', () => {
	const form = (w: W, over: Record<string, string> = {}) => ({
		lesson: String(w.course.lesson.two),
		title: '',
		instructions: '',
		completion: 'marked',
		dueUtc: new Date(Date.now() + 48 * HOUR).toISOString(),
		...over
	});

	test('a lesson already assigned in the class, then "assign anyway"', async () => {
		const w = await world();
		expect((await call(w, assignments.actions.create, form(w))).data).toMatchObject({
			created: 'Lesson two',
			createdId: expect.any(Number)
		});
		const again = await call(w, assignments.actions.create, form(w, { title: 'Again' }));
		expect(again.data).toMatchObject({
			status: 409,
			data: {
				warnings: [expect.stringContaining('“Lesson two” is already assigned in this class')],
				values: { title: 'Again' }
			}
		});
		expect(await w.db.selectFrom('assignments').select('id').execute()).toHaveLength(1);
		const anyway = await call(w, assignments.actions.create, form(w, { anyway: 'yes' }));
		expect(anyway.data).toMatchObject({ created: 'Lesson two' });
		expect(await w.db.selectFrom('assignments').select('id').execute()).toHaveLength(2);
	});

	test('a due date in the past', async () => {
		const w = await world();
		const past = form(w, { dueUtc: new Date(Date.now() - HOUR).toISOString() });
		const r = await call(w, assignments.actions.create, past);
		expect(r.data).toMatchObject({
			status: 409,
			data: { warnings: [expect.stringContaining('is in the past')] }
		});
		expect(
			(await call(w, assignments.actions.create, { ...past, anyway: 'yes' })).data
		).toMatchObject({ created: 'Lesson two' });
	});

	test('"done when its checks are answered" needs a lesson with checks', async () => {
		const w = await world();
		const r = await call(w, assignments.actions.create, form(w, { completion: 'checks' }));
		expect(r.data).toMatchObject({
			status: 400,
			data: { errors: { completion: expect.stringContaining('no check questions') } }
		});
		const ok = await call(
			w,
			assignments.actions.create,
			form(w, { completion: 'checks', lesson: String(w.course.lesson.one) })
		);
		expect(ok.data).toMatchObject({ created: 'Lesson one' });
		const row = await w.db.selectFrom('assignments').select('completion').executeTakeFirstOrThrow();
		expect(row.completion).toBe('checks');
	});
});

describe('the assignment page', () => {
	test('shows class, dates and the instructions as Markdown with raw HTML escaped', async () => {
		const w = await world({ timeZone: 'Europe/Berlin' });
		const id = await newAssignment(w.db, w.classId, {
			lessonId: w.course.lesson.one,
			createdBy: w.teacher.id,
			instructions: 'Read **closely**, then [see this](https://example.org). <script>x</script>'
		});
		const r = await outcome(
			assignmentPage.load,
			fakeEvent({ user: w.ana, params: { class: String(w.classId), assignment: String(id) } })
		);
		const data = r.data as {
			cls: { name: string; timeZone: string };
			assignment: { instructions: string; lessonHref: string };
			progress: { status: string };
		};
		expect(data.cls).toMatchObject({ name: 'Civics A', timeZone: 'Europe/Berlin' });
		expect(data.assignment.instructions).toContain('<strong>closely</strong>');
		expect(data.assignment.instructions).toContain('href="https://example.org"');
		expect(data.assignment.instructions).not.toContain('<script>');
		expect(data.assignment.lessonHref).toBe(`/courses/${w.course.slug}/lessons/one`);
		expect(data.progress.status).toBe('not-started');
	});
});

describe('lesson checks are recorded for the progress model', () => {
	test('answering a check on the lesson page counts toward a "checks" assignment', async () => {
		const w = await world();
		await newAssignment(w.db, w.classId, {
			lessonId: w.course.lesson.one,
			createdBy: w.teacher.id,
			completion: 'checks'
		});
		const answer = (questionId: number, value: string) =>
			outcome(
				lesson.actions.check,
				fakeEvent({
					user: w.ana,
					params: { course: w.course.slug, lesson: 'one' },
					form: { questionId: String(questionId), answer: value }
				})
			);
		await answer(w.course.question.q1, 'true');
		expect((await listStudentAssignments(w.db, w.ana.id))[0].status).toBe('in-progress');
		await answer(w.course.question.q2, 'true'); // wrong: q2 is false
		const [a] = await listStudentAssignments(w.db, w.ana.id);
		expect([a.status, a.score]).toEqual(['done', 0.5]);
	});
});

describe('join codes that changed', () => {
	test('an old link says the code has changed, not that nothing is there', async () => {
		const w = await world();
		const old = (await findClassForViewer(w.db, w.classId, w.teacher))!.cls.joinCode;
		await rotateJoinCode(w.db, w.classId);
		const stranger = asSessionUser(await newUser(w.db));
		let caught: unknown;
		try {
			await joinLink.load(
				fakeEvent({ user: stranger, params: { code: old } }) as unknown as Parameters<
					typeof joinLink.load
				>[0]
			);
		} catch (e) {
			caught = e;
		}
		expect(caught).toMatchObject({
			status: 410,
			body: { message: 'This class’s code has changed; ask your instructor for the new one.' }
		});
	});
});

describe('time zones', () => {
	test('a date typed without the browser’s zone is read in the class’s zone', () => {
		const form = new FormData();
		form.set('due', '2027-01-15T09:00');
		expect(dateFromForm(form, 'due', 'Europe/Berlin')).toEqual(new Date('2027-01-15T08:00:00Z'));
		expect(dateFromForm(form, 'due', 'America/New_York')).toEqual(new Date('2027-01-15T14:00:00Z'));
		expect(dateFromForm(form, 'due')).toEqual(new Date('2027-01-15T09:00:00Z'));
		// Summer time, and the browser's own UTC value wins when it sends one.
		form.set('due', '2027-07-15T09:00');
		expect(dateFromForm(form, 'due', 'Europe/Berlin')).toEqual(new Date('2027-07-15T07:00:00Z'));
		form.set('dueUtc', '2027-07-15T10:00:00.000Z');
		expect(dateFromForm(form, 'due', 'Europe/Berlin')).toEqual(new Date('2027-07-15T10:00:00Z'));
	});

	test('the class’s zone is chosen from the IANA list, and used when assigning without JavaScript', async () => {
		const w = await world();
		const bad = await call(w, home.actions.settings, { name: 'Civics A', timeZone: 'Mars/Base' });
		expect(bad.data).toMatchObject({
			status: 400,
			data: { action: 'settings', errors: { timeZone: 'Choose a time zone from the list.' } }
		});
		await call(w, home.actions.settings, { name: 'Civics A', timeZone: 'Asia/Tokyo' });
		expect((await findClassForViewer(w.db, w.classId, w.teacher))!.cls.timeZone).toBe('Asia/Tokyo');
		await call(w, assignments.actions.create, {
			lesson: String(w.course.lesson.two),
			completion: 'marked',
			due: '2030-03-01T09:00'
		});
		const row = await w.db.selectFrom('assignments').select('due_at').executeTakeFirstOrThrow();
		expect(row.due_at).toEqual(new Date('2030-03-01T00:00:00Z'));
	});
});

describe('password recovery in a school', () => {
	test('an instructor issues a reset link for a student of their class, and for nobody else', async () => {
		const w = await world();
		const link = await createStudentPasswordReset(w.db, {
			classId: w.classId,
			studentId: w.ana.id,
			issuedBy: w.teacher
		});
		expect(link).toMatchObject({ name: 'Ana' });
		expect(await findPasswordReset(w.db, link!.token)).toMatchObject({ userId: w.ana.id });

		// Not a co-teacher, not an instructor account sitting in as a student, not another class's student.
		const co = await newUser(w.db, { role: 'instructor' });
		await newMember(w.db, w.classId, co.id, 'instructor');
		const sitter = await newUser(w.db, { role: 'instructor' });
		await newMember(w.db, w.classId, sitter.id, 'student');
		const elsewhere = await newUser(w.db);
		for (const studentId of [co.id, sitter.id, elsewhere.id, w.teacher.id]) {
			expect(
				await createStudentPasswordReset(w.db, {
					classId: w.classId,
					studentId,
					issuedBy: w.teacher
				})
			).toBeUndefined();
		}
		const r = await call(w, roster.actions.reset, { userId: String(sitter.id) });
		expect(r.data).toMatchObject({ status: 400 });
		const ok = await call(w, roster.actions.reset, { userId: String(w.ana.id) });
		expect((ok.data as { resetLink: string }).resetLink).toMatch(/\/reset\/[A-Za-z0-9]+$/);
	});
});

describe('instructor invitations', () => {
	test('a one-time link creates an instructor account for the invited address', async () => {
		const w = await world();
		const root = asSessionUser(await newUser(w.db, { role: 'admin' }));
		const made = await outcome(
			admin.actions.invite,
			fakeEvent({ user: root, form: { email: 'New.Teacher@School.example' } })
		);
		const inviteLink = (made.data as { inviteLink: string }).inviteLink;
		const token = inviteLink.split('/invite/')[1];
		expect(await findInvitation(w.db, token)).toMatchObject({
			email: 'new.teacher@school.example'
		});
		// Only the hash is stored.
		const stored = await w.db.selectFrom('instructor_invitations').select('id').execute();
		expect(stored.map((r) => r.id)).not.toContain(token);

		const accepted = await outcome(
			invite.actions.default,
			fakeEvent({
				user: null,
				params: { token },
				form: { name: 'New Teacher', password: 'a long enough sentence here' }
			})
		);
		expect(accepted.outcome).toBe(303);
		const user = await findUserByEmail(w.db, 'new.teacher@school.example');
		expect(user).toMatchObject({ role: 'instructor', name: 'New Teacher' });
		// Once only.
		expect(await findInvitation(w.db, token)).toBeUndefined();
		expect(
			await acceptInvitation(w.db, token, { name: 'Again', password: 'another long sentence' })
		).toBeUndefined();
		const gone = await outcome(invite.load, fakeEvent({ user: null, params: { token } }));
		expect(gone.outcome).toBe(410);
	});

	test('an address that has an account is refused; an expired invitation does not work', async () => {
		const w = await world();
		expect(await createInvitation(w.db, { email: w.ana.email, createdBy: w.teacher.id })).toEqual({
			ok: false,
			message: expect.stringContaining('Ana already has an account')
		});
		const made = await createInvitation(w.db, {
			email: 'late@school.example',
			createdBy: w.teacher.id
		});
		if (!made.ok) throw new Error('expected an invitation');
		await w.db
			.updateTable('instructor_invitations')
			.set({ expires_at: new Date(Date.now() - 1000) })
			.execute();
		expect(await findInvitation(w.db, made.token)).toBeUndefined();
	});
});
