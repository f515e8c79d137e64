// `npm run user -- <command> [options]`: account administration from the shell.
//   create --email E --name N [--role student|instructor|admin] [--password P]
//   set-password --email E [--password P]
//   set-role --email E --role R
// Without --password the password is read from standard input (first line).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { databaseConfig } from '../src/lib/server/config.ts';
import { openDatabase } from '../src/lib/server/db/connect.ts';
import { migrateToLatest } from '../src/lib/server/db/migrate.ts';
import {
	createUser,
	findUserByEmail,
	ROLES,
	setPassword,
	setUserRole
} from '../src/lib/server/auth/users.ts';
import { passwordProblem } from '../src/lib/server/auth/password.ts';
import { invalidateUserSessions } from '../src/lib/server/auth/session.ts';
import type { Role } from '../src/lib/server/db/types.ts';

const USAGE = `usage:
  npm run user -- create --email EMAIL --name NAME [--role student|instructor|admin] [--password PASSWORD]
  npm run user -- set-password --email EMAIL [--password PASSWORD]
  npm run user -- set-role --email EMAIL --role student|instructor|admin
Without --password, the password is read from standard input.`;

function fail(message: string): never {
	console.error(message);
	process.exit(2);
}

async function readPassword(given: string | undefined): Promise<string> {
	if (given !== undefined) return given;
	if (process.stdin.isTTY) process.stderr.write('Password: ');
	const chunks: Buffer[] = [];
	for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

if (fs.existsSync('.env')) process.loadEnvFile('.env');

const { positionals, values } = parseArgs({
	allowPositionals: true,
	options: {
		email: { type: 'string' },
		name: { type: 'string' },
		role: { type: 'string' },
		password: { type: 'string' }
	}
});
const command = positionals[0];
if (!command || !['create', 'set-password', 'set-role'].includes(command)) fail(USAGE);
if (!values.email) fail(`--email is required.\n${USAGE}`);
const role = values.role as Role | undefined;
if (role && !ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}.`);

// For a new account the password is checked before the database is opened.
let newPassword: string | undefined;
if (command === 'create') {
	if (!values.name?.trim()) fail('--name is required.');
	newPassword = await readPassword(values.password);
	const problem = passwordProblem(newPassword, { email: values.email, name: values.name });
	if (problem) fail(`Password not accepted: ${problem}`);
}

let handle;
try {
	handle = await openDatabase(databaseConfig());
} catch (e) {
	fail(e instanceof Error ? e.message : String(e));
}
let code = 0;
try {
	await migrateToLatest(handle.db);
	const db = handle.db;
	if (command === 'create') {
		const user = await createUser(db, {
			email: values.email,
			name: values.name!,
			password: newPassword!,
			role
		});
		console.log(`Created ${user.role} ${user.email} (id ${user.id}).`);
	} else {
		const user = await findUserByEmail(db, values.email);
		if (!user) fail(`No user with the email ${values.email}.`);
		if (command === 'set-password') {
			const password = await readPassword(values.password);
			const problem = passwordProblem(password, { email: user.email, name: user.name });
			if (problem) fail(`Password not accepted: ${problem}`);
			await db.transaction().execute(async (trx) => {
				await setPassword(trx, user.id, password);
				await invalidateUserSessions(trx, user.id);
			});
			console.log(`Password of ${user.email} changed; their sessions were ended.`);
		} else {
			if (!role) fail('--role is required.');
			await setUserRole(db, user.id, role);
			console.log(`${user.email} is now ${role}.`);
		}
	}
} catch (e) {
	console.error(e instanceof Error ? e.message : String(e));
	code = 1;
} finally {
	await handle.close();
}
process.exit(code);
