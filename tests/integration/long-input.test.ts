import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { readPackageDir } from '../../src/lib/courses/fs.ts';
import { MAX_ARTICLE_PARAGRAPHS, readPackage } from '../../src/lib/courses/read.ts';
import {
	createSession,
	generateSessionToken,
	validateSessionToken
} from '../../src/lib/server/auth/session.ts';
import {
	createCourseFromArticle,
	importCoursePackage,
	replaceParagraphs
} from '../../src/lib/server/courses/authoring/index.ts';
import type { Db } from '../../src/lib/server/db/index.ts';
import { useDatabase } from '../../src/lib/server/db/index.ts';
import { replaceSessions } from '../../src/lib/server/web/auth-flow.ts';
import { NewCourseSchema, ParagraphsSchema } from '../../src/routes/author/forms.server.ts';
import { actions as accountActions } from '../../src/routes/account/+page.server.ts';
import { asSessionUser, fakeEvent } from '../helpers/kit.ts';
import { testDb, testHandle } from '../helpers/db.ts';
import { newUser, TEST_PASSWORD } from '../helpers/factories.ts';

// Over 65,535 / 3 bind parameters: one insert statement of these failed with a 500.
const MANY = 22_000;
const article = (n: number) =>
	Array.from({ length: n }, (_, i) => `Paragraph ${i + 1}.`).join('\n\n');

async function paragraphCount(db: Db, courseId: number) {
	const row = await db
		.selectFrom('article_paragraphs')
		.select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.max('number').as('last')])
		.where('course_id', '=', courseId)
		.executeTakeFirstOrThrow();
	return { n: Number(row.n), last: Number(row.last) };
}

describe('very long articles', () => {
	test('a pasted article of 22,000 paragraphs is stored in batches, in order', async () => {
		const db = await testDb();
		const owner = await newUser(db, { role: 'instructor' });
		const made = await createCourseFromArticle(db, owner.id, {
			title: 'Long',
			slug: 'long',
			articleTitle: 'A long article',
			publisher: null,
			date: null,
			text: article(MANY)
		});
		expect(made.ok).toBe(true);
		if (!made.ok) return;
		expect(await paragraphCount(db, made.id)).toEqual({ n: MANY, last: MANY });
		const last = await db
			.selectFrom('article_paragraphs')
			.select('body')
			.where('course_id', '=', made.id)
			.where('number', '=', MANY)
			.executeTakeFirstOrThrow();
		expect(last.body).toBe(`Paragraph ${MANY}.`);

		const replaced = await replaceParagraphs(db, made.id, article(MANY + 500));
		expect(replaced).toEqual({ ok: true, count: MANY + 500 });
		expect(await paragraphCount(db, made.id)).toEqual({ n: MANY + 500, last: MANY + 500 });
	}, 120_000);

	test('a package with 22,000 paragraphs imports in batches', async () => {
		const db = await testDb();
		const owner = await newUser(db, { role: 'instructor' });
		const read = readPackage(readPackageDir('content/un-cybercrime-treaty'));
		expect(read.errors).toEqual([]);
		const pkg = { ...read.pkg!, paragraphs: article(MANY).split('\n\n') };
		const imported = await importCoursePackage(db, asSessionUser(owner), pkg, { replace: false });
		expect(imported.ok).toBe(true);
		if (!imported.ok) return;
		expect(await paragraphCount(db, imported.id)).toEqual({ n: MANY, last: MANY });
	}, 120_000);

	test('the forms refuse more than the maximum, with a message beside the field', () => {
		const base = {
			title: 'Long',
			slug: '',
			articleTitle: 'A long article',
			publisher: '',
			date: ''
		};
		const tooLong = article(MAX_ARTICLE_PARAGRAPHS + 1);
		const created = v.safeParse(NewCourseSchema, { ...base, text: tooLong });
		expect(created.success).toBe(false);
		expect(created.issues?.[0].path?.[0].key).toBe('text');
		expect(created.issues?.[0].message).toBe(
			'An article has at most 5,000 paragraphs (blocks separated by blank lines); this text has 5,001. Shorten it, or split it into several courses.'
		);
		expect(v.safeParse(ParagraphsSchema, { paragraphs: tooLong }).success).toBe(false);
		expect(
			v.safeParse(NewCourseSchema, { ...base, text: article(MAX_ARTICLE_PARAGRAPHS) }).success
		).toBe(true);
	});
});

describe('a password change replaces the session token', () => {
	test('replaceSessions ends every session, this one included, and starts a new one', async () => {
		const db = await testDb();
		const user = await newUser(db);
		const here = generateSessionToken();
		const elsewhere = generateSessionToken();
		await createSession(db, here, user.id);
		await createSession(db, elsewhere, user.id);
		const set: string[] = [];
		const event = {
			url: new URL('http://localhost/account'),
			cookies: { set: (_name: string, value: string) => set.push(value) }
		} as unknown as Parameters<typeof replaceSessions>[1];
		const setCookie = await replaceSessions(db, event, user.id);
		expect(set).toEqual([]); // only once the caller's transaction has committed
		setCookie();
		expect(set).toHaveLength(1);
		expect(set[0]).not.toBe(here);
		expect(await validateSessionToken(db, here)).toBeNull();
		expect(await validateSessionToken(db, elsewhere)).toBeNull();
		expect((await validateSessionToken(db, set[0]))?.user.id).toBe(user.id);
	});

	test('the account action: the old cookie stops working, the user stays signed in', async () => {
		useDatabase(await testHandle());
		const db = await testDb();
		const user = await newUser(db);
		const old = generateSessionToken();
		await createSession(db, old, user.id);
		const cookies = new Map<string, string>();
		const event = {
			...fakeEvent({
				user: asSessionUser(user),
				path: '/account',
				form: { current: TEST_PASSWORD, password: 'a brand new passphrase 42' }
			}),
			cookies: {
				get: (name: string) => cookies.get(name),
				set: (name: string, value: string) => cookies.set(name, value),
				delete: (name: string) => cookies.delete(name),
				getAll: () => [],
				serialize: () => ''
			}
		};
		const result = await (accountActions.password as (e: unknown) => Promise<unknown>)(event);
		expect(result).toMatchObject({ action: 'password' });
		expect(await validateSessionToken(db, old)).toBeNull();
		const fresh = cookies.get('session');
		expect(fresh).toBeTruthy();
		expect(fresh).not.toBe(old);
		expect((await validateSessionToken(db, fresh!))?.user.id).toBe(user.id);
	});
});
