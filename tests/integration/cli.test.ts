import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { main, type CliIo } from '../../scripts/user.ts';
import { openDatabase } from '../../src/lib/server/db/connect.ts';
import { checkLogin } from '../../src/lib/server/auth/login.ts';
import {
	createSession,
	generateSessionToken,
	validateSessionToken
} from '../../src/lib/server/auth/session.ts';
import { findUserByEmail } from '../../src/lib/server/auth/users.ts';
import { testDb, testHandle } from '../helpers/db.ts';

/** Runs `npm run user -- …args` in-process on the test database; stdin is `input`. */
async function user(args: string[], input = '') {
	const out: string[] = [];
	const err: string[] = [];
	const io: CliIo = {
		out: (l) => out.push(l),
		err: (l) => err.push(l),
		readStdin: async () => input,
		interactive: false,
		database: await testHandle()
	};
	const code = await main(args, io);
	return { code, out: out.join('\n'), err: err.join('\n') };
}

const ip = '::1';

describe('npm run user, in-process', () => {
	test('create makes an account from --password, with its role and a normalised email', async () => {
		const db = await testDb();
		const created = await user([
			'create',
			'--email',
			'Teacher@Example.org',
			'--name',
			'Tess Teacher',
			'--role',
			'instructor',
			'--password',
			'a fine long passphrase'
		]);
		expect(created).toMatchObject({ code: 0, err: '' });
		expect(created.out).toMatch(/^Created instructor teacher@example.org \(id \d+\)\.$/);
		expect((await findUserByEmail(db, 'teacher@example.org'))?.role).toBe('instructor');
		const again = await user(
			['create', '--email', 'teacher@example.org', '--name', 'T'],
			'x y z w v u'
		);
		expect(again.code).toBe(1);
		expect(again.err).toMatch(/already exists/);
	});

	test('set-password reads standard input, and ends the user’s sessions', async () => {
		const db = await testDb();
		await user(
			['create', '--email', 'sam@example.org', '--name', 'Sam'],
			'first fine passphrase\n'
		);
		const sam = (await findUserByEmail(db, 'sam@example.org'))!;
		const token = generateSessionToken();
		await createSession(db, token, sam.id);
		expect(await validateSessionToken(db, token)).not.toBeNull();

		const changed = await user(
			['set-password', '--email', 'sam@example.org'],
			'another fine passphrase\nignored second line\n'
		);
		expect(changed).toMatchObject({ code: 0 });
		expect(changed.out).toMatch(/Password of sam@example.org changed/);
		expect(await validateSessionToken(db, token)).toBeNull();
		const login = await checkLogin(db, {
			email: 'sam@example.org',
			password: 'another fine passphrase',
			ip
		});
		expect(login.ok).toBe(true);
	});

	test('set-role changes the role; bad requests exit 2 with the reason', async () => {
		const db = await testDb();
		await user([
			'create',
			'--email',
			'r@example.org',
			'--name',
			'R',
			'--password',
			'a fine long passphrase'
		]);
		expect(await user(['set-role', '--email', 'r@example.org', '--role', 'admin'])).toMatchObject({
			code: 0,
			out: 'r@example.org is now admin.'
		});
		expect((await findUserByEmail(db, 'r@example.org'))?.role).toBe('admin');

		const cases: [string[], RegExp][] = [
			[[], /^usage:/],
			[['delete', '--email', 'r@example.org'], /^usage:/],
			[['create', '--name', 'X'], /--email is required/],
			[['create', '--email', 'x@example.org'], /--name is required/],
			[
				['create', '--email', 'x@example.org', '--name', 'X', '--password', 'password123'],
				/too common/
			],
			[['set-role', '--email', 'r@example.org', '--role', 'king'], /--role must be one of/],
			[['set-role', '--email', 'r@example.org'], /--role is required/],
			[['set-role', '--email', 'nobody@example.org', '--role', 'admin'], /No user with the email/],
			[['create', '--bogus'], /Unknown option/]
		];
		for (const [args, message] of cases) {
			const r = await user(args);
			expect(r.code, args.join(' ')).toBe(2);
			expect(r.err, args.join(' ')).toMatch(message);
		}
		expect(await findUserByEmail(db, 'x@example.org')).toBeUndefined();
	});
});

describe('npm run user, as a program', () => {
	// One real process: the entry point, the environment, standard input and the exit code.
	test('creates an account on a fresh embedded database from a piped password', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
		const env = { ...process.env, PGLITE_DIR: path.join(dir, 'db'), DATABASE_URL: '' };
		try {
			const child = execFile(
				path.resolve('node_modules/.bin/tsx'),
				['scripts/user.ts', 'create', '--email', 'Pipe@Example.org', '--name', 'Pip'],
				{ env }
			);
			let stdout = '';
			child.stdout!.on('data', (d) => (stdout += d));
			child.stdin!.end('a piped fine passphrase\n');
			const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
			expect(code).toBe(0);
			expect(stdout).toMatch(/Created student pipe@example.org/);

			const h = await openDatabase({ kind: 'pglite', dir: env.PGLITE_DIR });
			try {
				const login = await checkLogin(h.db, {
					email: 'pipe@example.org',
					password: 'a piped fine passphrase',
					ip
				});
				expect(login.ok).toBe(true);
			} finally {
				await h.close();
			}
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}, 120000);
});
