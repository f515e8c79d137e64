import { sql } from 'kysely';
import type { Db } from '../../src/lib/server/db/connect.ts';
import { generateSessionToken, SESSION_LIFETIME_MS } from '../../src/lib/server/auth/session.ts';
import { hashToken } from '../../src/lib/server/auth/tokens.ts';
import { JOIN_ALPHABET, JOIN_CODE_LENGTH } from '../../src/lib/server/classes/codes.ts';
import {
	BIG_CLASS,
	classOfStudent,
	instructorOfClass,
	moderatorsOf,
	type Sizes
} from './layout.ts';

// Accounts, classes and rosters, each one INSERT … SELECT over generate_series. Names come from
// short lists combined by a hash of the id, so rosters read like rosters (and sort unevenly).

const FIRST = [
	'Amara',
	'Ben',
	'Chloé',
	'Daniel',
	'Elif',
	'Farah',
	'Gabriel',
	'Hana',
	'Ibrahim',
	'Jonas',
	'Keiko',
	'Leila',
	'Mateo',
	'Nia',
	'Oskar',
	'Priya',
	'Quentin',
	'Rosa',
	'Samuel',
	'Tariq',
	'Uma',
	'Valentina',
	'Wei',
	'Ximena',
	'Yusuf',
	'Zoë',
	'Aiden',
	'Bea',
	'Carlos',
	'Dana',
	'Emil',
	'Fatima',
	'Grace',
	'Hugo',
	'Iris',
	'Jamal',
	'Kira',
	'Liam',
	'Mei',
	'Noah'
];
const LAST = [
	'Abara',
	'Berger',
	'Castillo',
	'Dubois',
	'Eriksen',
	'Fischer',
	'García',
	'Haddad',
	'Ivanova',
	'Jensen',
	'Kowalski',
	'López',
	'Müller',
	'Nakamura',
	'Okafor',
	'Petrov',
	'Quinn',
	'Rossi',
	'Silva',
	'Tanaka',
	'Ueda',
	'Varga',
	'Wójcik',
	'Xu',
	'Yilmaz',
	'Zimmermann',
	'Ahmed',
	'Brown',
	'Chen',
	'Diallo',
	'Evans',
	'Flores',
	'Gupta',
	'Hoang',
	'Ito',
	'Johnson',
	'Kim',
	'Lee',
	'Mensah',
	'Nguyen',
	'Olsen',
	'Park',
	'Reyes',
	'Schmidt',
	'Torres',
	'Wang',
	'Young'
];

export const studentEmail = (n: number) => `student${n}@bench.example.org`;
export const instructorEmail = (n: number) => `instructor${n}@bench.example.org`;

/** Instructors 1..I, then students; one shared password hash. */
export async function insertUsers(db: Db, s: Sizes, passwordHash: string): Promise<number> {
	const r = await sql`
		insert into users (id, email, name, password_hash, role, created_at)
		select g,
			case when g <= ${s.instructors} then 'instructor' || g else 'student' || (g - ${s.instructors}) end
				|| '@bench.example.org',
			(${FIRST}::text[])[1 + abs(hashint4(g * 7)) % ${FIRST.length}] || ' ' ||
				(${LAST}::text[])[1 + abs(hashint4(g * 13)) % ${LAST.length}],
			${passwordHash},
			case when g <= ${s.instructors} then 'instructor' else 'student' end,
			now() - interval '200 days' + (g % 1000) * interval '1 minute'
		from generate_series(1, ${s.instructors + s.students}) g`.execute(db);
	await resetSequence(db, 'users');
	return Number(r.numAffectedRows ?? 0);
}

/** A distinct code per class: n scrambled (times a unit mod 31^8) and written in the alphabet. */
export function joinCode(n: number): string {
	const base = BigInt(JOIN_ALPHABET.length);
	const mod = base ** BigInt(JOIN_CODE_LENGTH);
	let v = (BigInt(n) * 7_919_000_003n + 123_456_789n) % mod;
	let code = '';
	for (let i = 0; i < JOIN_CODE_LENGTH; i++) {
		code += JOIN_ALPHABET[Number(v % base)];
		v /= base;
	}
	return code;
}

export async function insertClasses(db: Db, s: Sizes, courseId: number): Promise<number> {
	const ids = Array.from({ length: s.classes }, (_, i) => i + 1);
	const r = await sql`
		insert into classes (id, course_id, name, term, join_code, created_by, created_at, time_zone)
		select c.id, ${courseId},
			case when c.id = ${BIG_CLASS} then 'Global Governance — all sections'
				else (array['Civics', 'World Affairs', 'Digital Rights', 'Model UN', 'Law and Technology'])
					[1 + c.id % 5] || ' ' || (9 + c.id % 4) || '-' || (1 + c.id / 5 % 12) end,
			'2026 Autumn', c.code,
			c.created_by,
			now() - interval '120 days',
			(array['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Tokyo'])[1 + c.id % 4]
		from unnest(${ids}::int[], ${ids.map(joinCode)}::text[],
			${ids.map((c) => instructorOfClass(s, c))}::int[]) as c(id, code, created_by)`.execute(db);
	await resetSequence(db, 'classes');
	return Number(r.numAffectedRows ?? 0);
}

/** Students in their class (class 1's first two and every class's first are moderators), instructors in theirs. */
export async function insertMemberships(db: Db, s: Sizes, roster: number[][]): Promise<number> {
	const classIds: number[] = [];
	const userIds: number[] = [];
	const roles: string[] = [];
	for (let c = 1; c <= s.classes; c++) {
		const mods = new Set(moderatorsOf(roster[c], c));
		classIds.push(c);
		userIds.push(instructorOfClass(s, c));
		roles.push('instructor');
		for (const u of roster[c]) {
			classIds.push(c);
			userIds.push(u);
			roles.push(mods.has(u) ? 'moderator' : 'student');
		}
	}
	const r = await sql`
		insert into memberships (class_id, user_id, role, joined_at)
		select m.class_id, m.user_id, m.role,
			now() - interval '110 days' + (m.user_id % 500) * interval '1 minute'
		from unnest(${classIds}::int[], ${userIds}::int[], ${roles}::text[]) as m(class_id, user_id, role)`.execute(
		db
	);
	return Number(r.numAffectedRows ?? 0);
}

export { classOfStudent };

/** One session per listed user, inserted in bulk: the table holds the token's hash only. */
export async function insertSessions(db: Db, userIds: number[]): Promise<Map<number, string>> {
	const tokens = userIds.map(() => generateSessionToken());
	const expires = new Date(Date.now() + SESSION_LIFETIME_MS);
	await sql`
		insert into sessions (id, user_id, expires_at)
		select s.id, s.user_id, ${expires}
		from unnest(${tokens.map(hashToken)}::text[], ${userIds}::int[]) as s(id, user_id)`.execute(db);
	return new Map(userIds.map((u, i) => [u, tokens[i]]));
}

/** Explicit ids were inserted: the identity continues after the largest. */
export async function resetSequence(db: Db, table: string): Promise<void> {
	await sql`select setval(pg_get_serial_sequence(${table}, 'id'),
		greatest(1, (select coalesce(max(id), 0) from ${sql.table(table)})))`.execute(db);
}
