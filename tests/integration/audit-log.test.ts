import { describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { inTransaction, useDatabase, type Db } from '../../src/lib/server/db/index.ts';
import { changeUserRole } from '../../src/lib/server/auth/account-admin.ts';
import { findUserById } from '../../src/lib/server/auth/users.ts';
import {
	listLog,
	listLogFacets,
	logAction,
	logCsv,
	type LogEntryInput
} from '../../src/lib/server/moderation/log.ts';
import { testDb, testHandle } from '../helpers/db.ts';
import { countingHandle } from '../helpers/query-count.ts';
import { asSessionUser, fakeEvent, outcome } from '../helpers/kit.ts';
import { newClass, newCourse, newMember, newUser, smallPackage } from '../helpers/factories.ts';
import * as adminUsers from '../../src/routes/admin/users/+page.server.ts';
import * as adminLog from '../../src/routes/admin/log/+page.server.ts';
import * as adminLogCsv from '../../src/routes/admin/log.csv/+server.ts';
import * as roster from '../../src/routes/classes/[class]/roster/+page.server.ts';
import * as classLog from '../../src/routes/classes/[class]/moderation/log/+page.server.ts';
import * as classLogCsv from '../../src/routes/classes/[class]/moderation/log.csv/+server.ts';
import type { SessionUser } from '../../src/lib/server/auth/session.ts';

async function world() {
	const db = await testDb();
	useDatabase(await testHandle());
	const admin = asSessionUser(await newUser(db, { role: 'admin', name: 'Ada Admin' }));
	const teacher = asSessionUser(
		await newUser(db, { role: 'instructor', name: 'Teo Teacher', email: 'teo@example.org' })
	);
	const course = await newCourse(db, { ownerId: teacher.id, pkg: smallPackage() });
	const classId = (await newClass(db, course.id, { instructorId: teacher.id, name: 'Civics A' }))
		.id;
	const otherTeacher = asSessionUser(await newUser(db, { role: 'instructor', name: 'Otto' }));
	const otherClass = (await newClass(db, course.id, { instructorId: otherTeacher.id })).id;
	const ana = asSessionUser(await newUser(db, { name: 'Ana', email: 'ana@example.org' }));
	const bo = asSessionUser(await newUser(db, { name: 'Bo', email: 'bo@example.org' }));
	const outsider = asSessionUser(await newUser(db, { name: 'Out' }));
	await newMember(db, classId, ana.id);
	await newMember(db, classId, bo.id);
	await newMember(db, otherClass, outsider.id);
	return { db, admin, teacher, otherTeacher, classId, otherClass, ana, bo, outsider };
}
type W = Awaited<ReturnType<typeof world>>;

async function rows(db: Db) {
	return await db.selectFrom('moderation_log').selectAll().orderBy('id').execute();
}

function act(
	fn: unknown,
	user: SessionUser | null,
	form: Record<string, string>,
	classId?: number
) {
	return outcome(fn, fakeEvent({ user, form, params: classId ? { class: String(classId) } : {} }));
}

function classPage(w: W, user: SessionUser | null, query = '', classId = w.classId) {
	return outcome(
		classLog.load,
		fakeEvent({
			user,
			params: { class: String(classId) },
			path: `/classes/${classId}/moderation/log${query}`
		})
	);
}

type PageData = {
	entries: { action: string; targetLabel: string; actorName: string; reason: string }[];
	olderHref: string | null;
	facets: { actions: { action: string }[]; actors: { id: number; name: string }[] };
};

describe('administrators’ account actions are logged with the change', () => {
	test('role, disable, enable, reset link and invitation each leave exactly their row', async () => {
		const w = await world();
		const label = 'Ana <ana@example.org>';
		const steps: [unknown, Record<string, string>, string][] = [
			[adminUsers.actions.role, { userId: String(w.ana.id), role: 'instructor' }, 'account.role'],
			[adminUsers.actions.disable, { userId: String(w.ana.id) }, ''],
			[
				adminUsers.actions.disable,
				{ userId: String(w.ana.id), confirmed: 'yes' },
				'account.disable'
			],
			[adminUsers.actions.enable, { userId: String(w.ana.id) }, 'account.enable'],
			[adminUsers.actions.reset, { userId: String(w.ana.id) }, 'account.reset-link']
		];
		for (const [fn, form, action] of steps) {
			const before = (await rows(w.db)).length;
			expect((await act(fn, w.admin, form)).outcome).toBe('ok');
			const after = await rows(w.db);
			// The disable question (not yet confirmed) changes nothing and logs nothing.
			expect(after.length).toBe(before + (action ? 1 : 0));
			if (!action) continue;
			expect(after.at(-1)).toMatchObject({
				class_id: null,
				actor_id: w.admin.id,
				actor_name: 'Ada Admin',
				action,
				target_kind: 'account',
				target_id: w.ana.id,
				target_label: label,
				reason: ''
			});
		}
		expect((await rows(w.db))[0].details).toEqual({ from: 'student', to: 'instructor' });

		const invited = await act(adminUsers.actions.invite, w.admin, { email: 'New@Example.org' });
		const log = await rows(w.db);
		expect(log).toHaveLength(5);
		expect(log[4]).toMatchObject({
			class_id: null,
			actor_id: w.admin.id,
			action: 'account.invite',
			target_kind: 'invitation',
			target_label: 'new@example.org'
		});

		// Neither the reset link nor the invitation link is in the log.
		const reset = await act(adminUsers.actions.reset, w.admin, { userId: String(w.bo.id) });
		const links = [
			(reset.data as { resetLink: string }).resetLink,
			(invited.data as { inviteLink: string }).inviteLink
		];
		const everything = JSON.stringify(await rows(w.db));
		for (const link of links) {
			expect(link).toMatch(/\/(reset|invite)\/.{20,}$/);
			expect(everything).not.toContain(link.split('/').at(-1));
		}
	});

	test('a refused or failed action leaves no row, and a failed log undoes the change', async () => {
		const w = await world();
		// Refused: one's own account; an address that already has an account; a bad role.
		expect(
			(await act(adminUsers.actions.role, w.admin, { userId: String(w.admin.id), role: 'student' }))
				.outcome
		).toBe(400);
		expect(
			(await act(adminUsers.actions.invite, w.admin, { email: 'ana@example.org' })).data
		).toMatchObject({ status: 400 });
		expect(
			(await act(adminUsers.actions.role, w.admin, { userId: String(w.ana.id), role: 'root' })).data
		).toMatchObject({ status: 400 });
		expect(
			(await act(adminUsers.actions.role, w.teacher, { userId: String(w.ana.id), role: 'admin' }))
				.outcome
		).toBe(403);
		expect(await rows(w.db)).toHaveLength(0);

		// The change and its row are one transaction: when the surrounding one fails, neither stays…
		await expect(
			inTransaction(w.db, async (trx) => {
				await changeUserRole(trx, w.admin, w.ana.id, 'instructor');
				throw new Error('later step failed');
			})
		).rejects.toThrow('later step failed');
		expect(await rows(w.db)).toHaveLength(0);
		expect((await findUserById(w.db, w.ana.id))!.role).toBe('student');

		// …and when the row cannot be written, the change does not happen either.
		await expect(
			changeUserRole(w.db, { id: w.admin.id, name: null as unknown as string }, w.ana.id, 'admin')
		).rejects.toThrow();
		expect((await findUserById(w.db, w.ana.id))!.role).toBe('student');
		expect(await rows(w.db)).toHaveLength(0);
	});
});

describe('roster changes are logged in the class’s log', () => {
	test('moderator on and off, a student reset link and removal each leave exactly their row', async () => {
		const w = await world();
		const steps: [unknown, Record<string, string>, string | null][] = [
			[roster.actions.moderator, { userId: String(w.ana.id), on: 'true' }, 'roster.moderator-add'],
			[
				roster.actions.moderator,
				{ userId: String(w.ana.id), on: 'false' },
				'roster.moderator-remove'
			],
			// Already a student: nothing changes, so nothing is logged.
			[roster.actions.moderator, { userId: String(w.ana.id), on: 'false' }, null],
			[roster.actions.reset, { userId: String(w.ana.id) }, 'roster.reset-link'],
			[roster.actions.remove, { userId: String(w.bo.id) }, null],
			[roster.actions.remove, { userId: String(w.bo.id), confirmed: 'yes' }, 'roster.remove']
		];
		for (const [fn, form, action] of steps) {
			const before = (await rows(w.db)).length;
			const r = await act(fn, w.teacher, form, w.classId);
			expect(r.outcome).toBe('ok');
			const after = await rows(w.db);
			expect(after.length).toBe(before + (action ? 1 : 0));
			if (!action) continue;
			const who = form.userId === String(w.ana.id) ? w.ana : w.bo;
			expect(after.at(-1)).toMatchObject({
				class_id: w.classId,
				actor_id: w.teacher.id,
				actor_name: 'Teo Teacher',
				action,
				target_kind: 'account',
				target_id: who.id,
				target_label: `${who.name} <${who.email}>`,
				reason: ''
			});
		}
		expect(JSON.stringify(await rows(w.db))).not.toMatch(/\/reset\//);
	});

	test('refused roster changes leave no row', async () => {
		const w = await world();
		const tries: [unknown, Record<string, string>][] = [
			// An instructor is neither made a moderator nor removed here; a stranger is nobody's.
			[roster.actions.moderator, { userId: String(w.teacher.id), on: 'true' }],
			[roster.actions.remove, { userId: String(w.teacher.id), confirmed: 'yes' }],
			[roster.actions.remove, { userId: String(w.outsider.id), confirmed: 'yes' }],
			[roster.actions.reset, { userId: String(w.outsider.id) }],
			[roster.actions.moderator, { userId: String(w.outsider.id), on: 'true' }]
		];
		for (const [fn, form] of tries) {
			expect((await act(fn, w.teacher, form, w.classId)).data).toMatchObject({ status: 400 });
		}
		// A student of the class cannot act at all.
		expect(
			(
				await act(
					roster.actions.moderator,
					w.ana,
					{ userId: String(w.bo.id), on: 'true' },
					w.classId
				)
			).outcome
		).toBe(403);
		expect(await rows(w.db)).toHaveLength(0);
	});
});

describe('reading the log', () => {
	async function filled(w: W) {
		const base: Omit<LogEntryInput, 'action' | 'targetKind'> = {
			classId: w.classId,
			actor: w.teacher
		};
		await inTransaction(w.db, async (trx) => {
			for (let i = 0; i < 12; i++) {
				await logAction(trx, {
					...base,
					action: 'post.hide',
					targetKind: 'post',
					targetId: i + 1,
					targetLabel: `Post ${i + 1}`,
					reason: i === 3 ? 'Off topic, 100% spam' : 'Rude'
				});
			}
			await logAction(trx, {
				classId: w.classId,
				actor: w.ana,
				action: 'thread.lock',
				targetKind: 'thread',
				targetLabel: 'Treaty thread'
			});
			await logAction(trx, {
				classId: w.otherClass,
				actor: w.otherTeacher,
				action: 'thread.pin',
				targetKind: 'thread',
				targetLabel: 'Elsewhere'
			});
			await logAction(trx, {
				classId: null,
				actor: w.admin,
				action: 'account.disable',
				targetKind: 'account',
				targetLabel: 'Somebody <s@example.org>'
			});
		});
	}

	test('filters, keyset paging and the filter lists', async () => {
		const w = await world();
		await filled(w);
		const all = await listLog(w.db, { classId: w.classId, limit: 100 });
		expect(all.entries).toHaveLength(13);
		expect(all.entries[0]).toMatchObject({ action: 'thread.lock', actionLabel: 'Locked a thread' });
		expect(all.nextBefore).toBeNull();

		// Pages of five, newest first, each entry once.
		const seen: string[] = [];
		let before: string | undefined;
		for (let n = 0; n < 5; n++) {
			const page = await listLog(w.db, { classId: w.classId, limit: 5, before });
			seen.push(...page.entries.map((e) => e.id));
			if (!page.nextBefore) break;
			before = page.nextBefore;
		}
		expect(seen).toEqual(all.entries.map((e) => e.id));

		const by = async (f: Partial<Parameters<typeof listLog>[1]>) =>
			(await listLog(w.db, { classId: w.classId, limit: 100, ...f })).entries.map(
				(e) => e.targetLabel
			);
		expect(await by({ action: 'thread.lock' })).toEqual(['Treaty thread']);
		expect(await by({ actorId: w.ana.id })).toEqual(['Treaty thread']);
		expect(await by({ targetKind: 'post' })).toHaveLength(12);
		expect(await by({ q: 'POST 1' })).toEqual(['Post 12', 'Post 11', 'Post 10', 'Post 1']);
		// In the reason; and % is a character, not a wildcard.
		expect(await by({ q: '100%' })).toEqual(['Post 4']);
		expect(await by({ q: '1%0' })).toEqual([]);
		await sql`update moderation_log set created_at = '2026-03-10T12:00:00Z' where target_label = 'Post 1'`.execute(
			w.db
		);
		expect(
			await by({ from: new Date('2026-03-10T00:00:00Z'), to: new Date('2026-03-11T00:00:00Z') })
		).toEqual(['Post 1']);

		// One query for a page of entries, one for the filter lists.
		const { handle, counter } = countingHandle(await testHandle());
		await listLog(handle.db, { classId: w.classId, limit: 5, q: 'post', actorId: w.teacher.id });
		expect(counter.n).toBe(1);
		counter.n = 0;
		const facets = await listLogFacets(handle.db, w.classId);
		expect(counter.n).toBe(1);
		expect(facets.actions.map((a) => a.action).sort()).toEqual(['post.hide', 'thread.lock']);
		expect(facets.actors).toEqual([
			{ id: w.ana.id, name: 'Ana' },
			{ id: w.teacher.id, name: 'Teo Teacher' }
		]);
		expect(facets.targetKinds.map((k) => k.kind).sort()).toEqual(['post', 'thread']);
		expect((await listLogFacets(w.db, null)).actions.map((a) => a.action)).toEqual([
			'account.disable'
		]);
	});

	test('the page reads its filters from the query string, in the class’s days, and pages on', async () => {
		const w = await world();
		await filled(w);
		await sql`update moderation_log set created_at = '2026-03-10T12:00:00Z' where target_label = 'Post 2'`.execute(
			w.db
		);
		const page = (await classPage(w, w.teacher, '?action=post.hide&q=post')).data as PageData;
		expect(page.entries).toHaveLength(12);
		// Days are the class's: 12:00 UTC on 10 March is already 11 March in Auckland (UTC+13).
		await w.db
			.updateTable('classes')
			.set({ time_zone: 'Pacific/Auckland' })
			.where('id', '=', w.classId)
			.execute();
		const onDay = async (day: string) =>
			((await classPage(w, w.teacher, `?from=${day}&to=${day}`)).data as PageData).entries.map(
				(e) => e.targetLabel
			);
		expect(await onDay('2026-03-11')).toEqual(['Post 2']);
		expect(await onDay('2026-03-10')).toEqual([]);
		// Not a date: ignored, not an error.
		expect(
			((await classPage(w, w.teacher, '?from=2026-02-30&actor=x')).data as PageData).entries
		).toHaveLength(13);
		expect(
			((await classPage(w, w.teacher, `?actor=${w.ana.id}`)).data as PageData).entries
		).toHaveLength(1);

		// 60 entries: a page of 50 and a link to the older ones that keeps the filters.
		await inTransaction(w.db, async (trx) => {
			for (let i = 0; i < 48; i++)
				await logAction(trx, {
					classId: w.classId,
					actor: w.teacher,
					action: 'post.remove',
					targetKind: 'post',
					targetLabel: `Extra ${i}`
				});
		});
		const first = (await classPage(w, w.teacher, '?target=post')).data as PageData;
		expect(first.entries).toHaveLength(50);
		expect(first.olderHref).toMatch(/^\/classes\/\d+\/moderation\/log\?target=post&before=\d+$/);
		const older = (await classPage(w, w.teacher, first.olderHref!.split('log')[1]))
			.data as PageData;
		expect(older.entries).toHaveLength(10);
		expect(older.olderHref).toBeNull();
	});

	test('the class log shows only its class; the account log only account actions', async () => {
		const w = await world();
		await filled(w);
		const labels = ((await classPage(w, w.teacher)).data as PageData).entries.map(
			(e) => e.targetLabel
		);
		expect(labels).toHaveLength(13);
		expect(labels).not.toContain('Elsewhere');
		expect(labels).not.toContain('Somebody <s@example.org>');
		const adminPage = (
			await outcome(adminLog.load, fakeEvent({ user: w.admin, path: '/admin/log' }))
		).data as PageData;
		expect(adminPage.entries.map((e) => e.targetLabel)).toEqual(['Somebody <s@example.org>']);
		// Another class's id in the filters changes nothing.
		const other = (await classPage(w, w.teacher, `?actor=${w.otherTeacher.id}`)).data as PageData;
		expect(other.entries).toEqual([]);
	});

	test('who may read: the class’s moderators, instructors and admins; admins for the account log', async () => {
		const w = await world();
		await filled(w);
		const mod = asSessionUser(await newUser(w.db, { name: 'Mo' }));
		await newMember(w.db, w.classId, mod.id, 'moderator');
		expect((await classPage(w, null)).outcome).toBe('login');
		expect((await classPage(w, w.ana)).outcome).toBe(403);
		expect((await classPage(w, w.outsider)).outcome).toBe(404);
		expect((await classPage(w, w.otherTeacher)).outcome).toBe(404);
		for (const u of [mod, w.teacher, w.admin]) expect((await classPage(w, u)).outcome).toBe('ok');

		const csv = (user: SessionUser | null) =>
			outcome(
				classLogCsv.GET,
				fakeEvent({
					user,
					params: { class: String(w.classId) },
					path: `/classes/${w.classId}/moderation/log.csv`
				})
			);
		expect((await csv(w.ana)).outcome).toBe(403);
		expect((await csv(w.outsider)).outcome).toBe(404);
		expect((await csv(mod)).outcome).toBe('ok');

		for (const u of [w.ana, w.teacher]) {
			for (const fn of [adminLog.load, adminLogCsv.GET])
				expect((await outcome(fn, fakeEvent({ user: u, path: '/admin/log' }))).outcome).toBe(403);
		}
		expect(
			(await outcome(adminLog.load, fakeEvent({ user: null, path: '/admin/log' }))).outcome
		).toBe('login');
	});

	test('the CSV honours the filters and defuses formula-like cells', async () => {
		const w = await world();
		await inTransaction(w.db, async (trx) => {
			await logAction(trx, {
				classId: w.classId,
				actor: { id: w.teacher.id, name: '=cmd|calc' },
				action: 'post.hide',
				targetKind: 'post',
				targetLabel: '=HYPERLINK("http://evil.example","x")',
				reason: '+1, "quoted"\nsecond line'
			});
			await logAction(trx, {
				classId: w.classId,
				actor: w.teacher,
				action: 'thread.lock',
				targetKind: 'thread',
				targetLabel: 'Calm thread'
			});
		});
		const res = (
			await outcome(
				classLogCsv.GET,
				fakeEvent({
					user: w.teacher,
					params: { class: String(w.classId) },
					path: `/classes/${w.classId}/moderation/log.csv?action=post.hide`
				})
			)
		).data as Response;
		expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		// Decoded keeping the byte-order mark (Response.text() drops it), which Excel needs.
		const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
		expect(text).not.toContain('Calm thread');
		expect(text).toContain(`"'=cmd|calc"`);
		expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
		expect(text).toContain(`"'+1, ""quoted""\nsecond line"`);
		expect(text.split('\r\n')[0]).toBe(
			'\ufeff"Time (UTC)","Who","Action","Action code","Target kind","Target","Reason"'
		);
		// The same rows as the module's own CSV of the filtered entries.
		const { entries } = await listLog(w.db, { classId: w.classId, action: 'post.hide', limit: 10 });
		expect(text).toBe(logCsv(entries));
	});

	test('an empty log says so', async () => {
		const w = await world();
		const page = (await classPage(w, w.teacher)).data as PageData & { filtered: boolean };
		expect(page.entries).toEqual([]);
		expect(page.filtered).toBe(false);
		expect(page.olderHref).toBeNull();
	});
});
