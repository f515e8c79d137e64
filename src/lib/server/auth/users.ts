import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import type { Role } from '../db/types.ts';
import { hashPassword } from './password.ts';

/** A user as the rest of the app sees one: never the password hash. */
export interface User {
	id: number;
	email: string;
	name: string;
	role: Role;
	disabled: boolean;
	createdAt: Date;
	lastSeenAt: Date | null;
}

export const ROLES: readonly Role[] = ['student', 'instructor', 'admin'];

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

const userColumns = [
	'id',
	'email',
	'name',
	'role',
	'disabled_at',
	'created_at',
	'last_seen_at'
] as const;

function toUser(row: {
	id: number;
	email: string;
	name: string;
	role: Role;
	disabled_at: Date | null;
	created_at: Date;
	last_seen_at: Date | null;
}): User {
	return {
		id: row.id,
		email: row.email,
		name: row.name,
		role: row.role,
		disabled: row.disabled_at !== null,
		createdAt: row.created_at,
		lastSeenAt: row.last_seen_at
	};
}

export class EmailTakenError extends Error {
	constructor() {
		super('An account with this email already exists.');
	}
}

export async function createUser(
	db: Executor,
	input: { email: string; name: string; password: string; role?: Role }
): Promise<User> {
	const passwordHash = await hashPassword(input.password);
	const row = await db
		.insertInto('users')
		.values({
			email: normaliseEmail(input.email),
			name: input.name.trim(),
			password_hash: passwordHash,
			role: input.role ?? 'student'
		})
		.onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
		.returning(userColumns)
		.executeTakeFirst();
	if (!row) throw new EmailTakenError();
	return toUser(row);
}

export async function findUserById(db: Executor, id: number): Promise<User | undefined> {
	const row = await db
		.selectFrom('users')
		.select(userColumns)
		.where('id', '=', id)
		.executeTakeFirst();
	return row && toUser(row);
}

export async function findUserByEmail(db: Executor, email: string): Promise<User | undefined> {
	const row = await db
		.selectFrom('users')
		.select(userColumns)
		.where(sql<string>`lower(email)`, '=', normaliseEmail(email))
		.executeTakeFirst();
	return row && toUser(row);
}

/** For logging in only: the hash never leaves the auth area. */
export async function findCredentials(
	db: Executor,
	email: string
): Promise<{ user: User; passwordHash: string } | undefined> {
	const row = await db
		.selectFrom('users')
		.select([...userColumns, 'password_hash'])
		.where(sql<string>`lower(email)`, '=', normaliseEmail(email))
		.executeTakeFirst();
	return row && { user: toUser(row), passwordHash: row.password_hash };
}

export async function findPasswordHash(db: Executor, userId: number): Promise<string | undefined> {
	const row = await db
		.selectFrom('users')
		.select('password_hash')
		.where('id', '=', userId)
		.executeTakeFirst();
	return row?.password_hash;
}

export async function setPassword(db: Executor, userId: number, password: string): Promise<void> {
	const passwordHash = await hashPassword(password);
	await db
		.updateTable('users')
		.set({ password_hash: passwordHash })
		.where('id', '=', userId)
		.execute();
}

export async function renameUser(db: Executor, userId: number, name: string): Promise<void> {
	await db.updateTable('users').set({ name: name.trim() }).where('id', '=', userId).execute();
}

export async function setUserRole(db: Executor, userId: number, role: Role): Promise<void> {
	await db.updateTable('users').set({ role }).where('id', '=', userId).execute();
}

/** Disabling also ends every session of the user, in the same transaction when given one. */
export async function setUserDisabled(
	db: Executor,
	userId: number,
	disabled: boolean
): Promise<void> {
	await db
		.updateTable('users')
		.set({ disabled_at: disabled ? new Date() : null })
		.where('id', '=', userId)
		.execute();
	if (disabled) await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function countUsers(db: Executor): Promise<number> {
	const { n } = await db
		.selectFrom('users')
		.select((eb) => eb.fn.countAll<string>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(n);
}

export interface UserPage {
	users: User[];
	total: number;
}

/** One query: the page of users matching `search` (name or email) and the total count. */
export async function listUsers(
	db: Executor,
	opts: { search?: string; role?: Role; limit?: number; offset?: number } = {}
): Promise<UserPage> {
	const limit = opts.limit ?? 50;
	let q = db.selectFrom('users');
	const search = opts.search?.trim();
	if (search) {
		const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		q = q.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('email', 'ilike', pattern)]));
	}
	if (opts.role) q = q.where('role', '=', opts.role);
	const rows = await q
		.select([...userColumns, sql<string>`count(*) over ()`.as('total')])
		.orderBy('name')
		.orderBy('id')
		.limit(limit)
		.offset(opts.offset ?? 0)
		.execute();
	return { users: rows.map(toUser), total: rows.length ? Number(rows[0].total) : 0 };
}
