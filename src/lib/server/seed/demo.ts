import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Executor } from '../db/index.ts';
import type { Role } from '../db/types.ts';
import { countUsers, createUser } from '../auth/users.ts';

export interface DemoAccount {
	role: Role;
	name: string;
	email: string;
	password: string;
}

const PEOPLE: { role: Role; name: string; email: string }[] = [
	{ role: 'admin', name: 'Ada Admin', email: 'admin@example.org' },
	{ role: 'instructor', name: 'Ines Instructor', email: 'instructor@example.org' },
	{ role: 'student', name: 'Sam Student', email: 'student1@example.org' },
	{ role: 'student', name: 'Tara Student', email: 'student2@example.org' },
	{ role: 'student', name: 'Uma Student', email: 'student3@example.org' }
];

function randomPassword(): string {
	const bytes = new Uint8Array(10);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes); // 16 characters, 80 bits
}

/**
 * On an empty database, creates one admin, one instructor and three students with fresh random
 * passwords, and returns them so they can be printed once. Does nothing when any user exists.
 */
export async function seedDemoAccounts(db: Executor): Promise<DemoAccount[]> {
	if ((await countUsers(db)) > 0) return [];
	const made: DemoAccount[] = [];
	for (const p of PEOPLE) {
		const password = randomPassword();
		await createUser(db, { ...p, password });
		made.push({ ...p, password });
	}
	return made;
}

export function formatDemoAccounts(accounts: DemoAccount[]): string {
	const lines = [
		'Demo accounts (passwords are shown only this once; reset one with',
		'  npm run user -- set-password --email EMAIL):'
	];
	for (const a of accounts) {
		lines.push(`  ${a.role.padEnd(10)} ${a.email.padEnd(24)} ${a.password}`);
	}
	return lines.join('\n');
}
