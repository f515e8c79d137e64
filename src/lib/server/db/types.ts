import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<
	Date | null,
	Date | string | null | undefined,
	Date | string | null
>;

export type Role = 'student' | 'instructor' | 'admin';

export interface UsersTable {
	id: Generated<number>;
	email: string;
	name: string;
	password_hash: string;
	role: ColumnType<Role, Role | undefined, Role>;
	disabled_at: NullableTimestamp;
	created_at: Timestamp;
	last_seen_at: NullableTimestamp;
}

export interface SessionsTable {
	id: string;
	user_id: number;
	expires_at: Timestamp;
	created_at: Timestamp;
}

export interface LoginAttemptsTable {
	id: Generated<string>;
	email: string;
	ip: string;
	succeeded: boolean;
	created_at: Timestamp;
}

export interface PasswordResetsTable {
	id: string;
	user_id: number;
	created_by: number | null;
	expires_at: Timestamp;
	used_at: NullableTimestamp;
	created_at: Timestamp;
}

export interface Database {
	users: UsersTable;
	sessions: SessionsTable;
	login_attempts: LoginAttemptsTable;
	password_resets: PasswordResetsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
