// `npm run user -- <command> [options]`: account administration from the shell.
//   create --email E --name N [--role student|instructor|admin] [--password P]
//   set-password --email E [--password P]
//   set-role --email E --role R
// Without --password the password is read from standard input (first line).
//
// `main(args, io)` does the work and returns the exit code, so tests run it in-process; the
// lines at the end run it when this file is the program.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { databaseConfig } from '../src/lib/server/config.ts';
import { openDatabase, type DatabaseHandle } from '../src/lib/server/db/connect.ts';
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

/** What the command talks to: its output, its input, and (for tests) the database to use. */
export interface CliIo {
	out(line: string): void;
	err(line: string): void;
	/** All of standard input. */
	readStdin(): Promise<string>;
	/** Whether standard input is a terminal (then the password is asked for). */
	interactive: boolean;
	/** A database already open (and left open); by default the environment's is opened here. */
	database?: DatabaseHandle;
}

/** Exit codes: 0 done, 1 the database failed, 2 the request was refused (usage, bad input). */
class Refused extends Error {}

export async function main(args: string[], io: CliIo): Promise<number> {
	try {
		return await run(args, io);
	} catch (e) {
		if (e instanceof Refused) {
			io.err(e.message);
			return 2;
		}
		io.err(e instanceof Error ? e.message : String(e));
		return 1;
	}
}

async function run(args: string[], io: CliIo): Promise<number> {
	const refuse = (message: string): never => {
		throw new Refused(message);
	};
	let parsed;
	try {
		parsed = parseArgs({
			args,
			allowPositionals: true,
			options: {
				email: { type: 'string' },
				name: { type: 'string' },
				role: { type: 'string' },
				password: { type: 'string' }
			}
		});
	} catch (e) {
		return refuse(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
	}
	const { positionals, values } = parsed;
	const command = positionals[0];
	if (!command || !['create', 'set-password', 'set-role'].includes(command)) refuse(USAGE);
	const email = values.email ?? refuse(`--email is required.\n${USAGE}`);
	const role = values.role as Role | undefined;
	if (role && !ROLES.includes(role)) refuse(`--role must be one of ${ROLES.join(', ')}.`);

	const readPassword = async (given: string | undefined) => {
		if (given !== undefined) return given;
		if (io.interactive) io.err('Password: ');
		return (await io.readStdin()).split(/\r?\n/)[0] ?? '';
	};

	// For a new account the password is checked before the database is opened.
	let newPassword: string | undefined;
	if (command === 'create') {
		if (!values.name?.trim()) refuse('--name is required.');
		newPassword = await readPassword(values.password);
		const problem = passwordProblem(newPassword, { email, name: values.name });
		if (problem) refuse(`Password not accepted: ${problem}`);
	}

	const handle = io.database ?? (await openDatabase(databaseConfig()));
	try {
		await migrateToLatest(handle.db);
		const db = handle.db;
		if (command === 'create') {
			const user = await createUser(db, {
				email,
				name: values.name!,
				password: newPassword!,
				role
			});
			io.out(`Created ${user.role} ${user.email} (id ${user.id}).`);
			return 0;
		}
		const user = (await findUserByEmail(db, email)) ?? refuse(`No user with the email ${email}.`);
		if (command === 'set-password') {
			const password = await readPassword(values.password);
			const problem = passwordProblem(password, { email: user.email, name: user.name });
			if (problem) refuse(`Password not accepted: ${problem}`);
			await db.transaction().execute(async (trx) => {
				await setPassword(trx, user.id, password);
				await invalidateUserSessions(trx, user.id);
			});
			io.out(`Password of ${user.email} changed; their sessions were ended.`);
		} else {
			if (!role) refuse('--role is required.');
			await setUserRole(db, user.id, role!);
			io.out(`${user.email} is now ${role}.`);
		}
		return 0;
	} finally {
		if (!io.database) await handle.close();
	}
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	if (fs.existsSync('.env')) process.loadEnvFile('.env');
	const code = await main(process.argv.slice(2), {
		out: (line) => console.log(line),
		err: (line) => process.stderr.write(line.endsWith(': ') ? line : `${line}\n`),
		readStdin: () => readAll(process.stdin),
		interactive: !!process.stdin.isTTY
	});
	process.exit(code);
}
