import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/connect.ts';
import { checkLogin } from '../../src/lib/server/auth/login.ts';
import { findUserByEmail } from '../../src/lib/server/auth/users.ts';

const run = promisify(execFile);
const tsx = path.resolve('node_modules/.bin/tsx');

// The command-line tools, run as a person would, on an embedded database of their own.
describe('npm run db:migrate and npm run user', () => {
	test('migrate reports each step; user creates an account from --password or standard input', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
		const env = { ...process.env, PGLITE_DIR: path.join(dir, 'db'), DATABASE_URL: '' };
		try {
			const migrated = await run(tsx, ['scripts/migrate.ts'], { env });
			expect(migrated.stdout).toMatch(/migration 0001_accounts: applied/);
			expect(migrated.stdout).toMatch(/Database is up to date\./);

			const created = await run(
				tsx,
				[
					'scripts/user.ts',
					'create',
					'--email',
					'Teacher@Example.org',
					'--name',
					'Tess Teacher',
					'--role',
					'instructor',
					'--password',
					'a fine long passphrase'
				],
				{ env }
			);
			expect(created.stdout).toMatch(/Created instructor teacher@example.org/);

			// The password from standard input, as `echo … | npm run user -- set-password …`.
			const child = execFile(
				tsx,
				['scripts/user.ts', 'set-password', '--email', 'teacher@example.org'],
				{ env }
			);
			child.stdin!.end('another fine passphrase\n');
			const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
			expect(code).toBe(0);

			const refused = await run(
				tsx,
				[
					'scripts/user.ts',
					'create',
					'--email',
					'x@example.org',
					'--name',
					'X',
					'--password',
					'password123'
				],
				{ env }
			).catch((e) => e);
			expect(refused.code).toBe(2);
			expect(refused.stderr).toMatch(/too common/);

			const h = await openDatabase({ kind: 'pglite', dir: env.PGLITE_DIR });
			try {
				expect((await findUserByEmail(h.db, 'teacher@example.org'))?.role).toBe('instructor');
				const login = await checkLogin(h.db, {
					email: 'teacher@example.org',
					password: 'another fine passphrase',
					ip: '::1'
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
