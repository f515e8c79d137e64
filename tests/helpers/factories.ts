import type { Db, Executor } from '../../src/lib/server/db/connect.ts';
import { createUser, type User } from '../../src/lib/server/auth/users.ts';
import type { Role } from '../../src/lib/server/db/types.ts';

let n = 0;

export const TEST_PASSWORD = 'correct horse battery staple';

/** A user with a unique email; password TEST_PASSWORD unless given. */
export async function newUser(
	db: Executor | Db,
	over: Partial<{ email: string; name: string; role: Role; password: string }> = {}
): Promise<User> {
	n += 1;
	return createUser(db, {
		email: over.email ?? `user${n}-${Date.now()}@example.org`,
		name: over.name ?? `Test User ${n}`,
		password: over.password ?? TEST_PASSWORD,
		role: over.role
	});
}
