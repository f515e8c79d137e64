// The exam-day fixture: on PostgreSQL, the shipped course loaded as the app loads it at start, one
// class of N students and an instructor, and a 16-question quiz (12 single choice, 2 true/false,
// 1 matching, 1 short answer, from the shipped bank) assigned to it, two questions a page. The
// students are signed in beforehand: their sessions are inserted in bulk (the table holds the
// SHA-256 of each token), and one argon2 hash of the shared password serves every account.
//
// Our own database (the default) is copied from a template each run, so every run starts from
// the same empty state in a second. A DATABASE_URL given (a seeded district, say) is used as it
// is: the run adds its own class and quiz beside what is there, under a fresh tag.
import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../../src/lib/server/db/connect.ts';
import { prepareDatabase } from '../../src/lib/server/startup.ts';
import { hashPassword } from '../../src/lib/server/auth/password.ts';
import { generateToken, hashToken } from '../../src/lib/server/auth/tokens.ts';

// The bench makes its own accounts; the demo ones would only sit beside them.
process.env.SEED_DEMO = '0';

export const DEFAULT_DATABASE = 'postgres://postgres@127.0.0.1:5432/exam_bench';
/** The same database through the local server's Unix socket (`--socket`). */
export const SOCKET_DATABASE =
	'postgres://postgres@localhost/exam_bench?host=%2Fvar%2Frun%2Fpostgresql';

/** How the app reaches the database: "Unix socket" when the URL names a socket directory. */
export function transportOf(url: string): string {
	const host = new URL(url).searchParams.get('host');
	return host?.startsWith('/') ? `Unix socket (${host})` : 'TCP';
}
const PASSWORD = 'exam-day-password';

/** What the load generator needs of a question: enough to send a well-formed answer. */
export interface ExamQuestion {
	position: number;
	type: 'mc' | 'tf' | 'matching' | 'short';
	/** mc: how many options the page shows. */
	options: number;
	/** matching: the left-hand items (one select each) and the answers offered. */
	lefts: number;
	rights: string[];
}

export interface ExamFixture {
	database: string;
	tag: string;
	classId: number;
	assignmentId: number;
	password: string;
	questions: ExamQuestion[];
	students: { id: number; email: string; token: string }[];
	instructor: { id: number; email: string; token: string };
	seconds: number;
}

/** The mix of the published Moodle test, in the order the pages show them. */
const MIX: ExamQuestion['type'][] = [
	'mc', 'mc', 'mc', 'tf', 'mc', 'mc', 'mc', 'matching',
	'mc', 'mc', 'mc', 'tf', 'mc', 'mc', 'mc', 'short'
]; // prettier-ignore

function psql(url: URL, statement: string): void {
	const admin = new URL(url);
	admin.pathname = '/postgres';
	execFileSync('psql', [admin.toString(), '-qAtc', statement], { stdio: 'pipe' });
}

function dbName(url: URL): string {
	return decodeURIComponent(url.pathname.replace(/^\//, ''));
}

/** Drops and re-creates our own database from a template that holds the migrated schema and the course. */
async function freshOwnDatabase(url: string): Promise<void> {
	const u = new URL(url);
	const name = dbName(u);
	const template = `${name}_template`;
	const exists = (db: string) => {
		const admin = new URL(u);
		admin.pathname = '/postgres';
		return (
			execFileSync('psql', [
				admin.toString(),
				'-qAtc',
				`select 1 from pg_database where datname = '${db}'`
			])
				.toString()
				.trim() === '1'
		);
	};
	if (!exists(template)) {
		psql(u, `create database "${template}"`);
		const t = new URL(u);
		t.pathname = `/${template}`;
		await withDb(t.toString(), (db) => prepareDatabase(db, () => {}));
	}
	psql(u, `drop database if exists "${name}" with (force)`);
	psql(u, `create database "${name}" template "${template}"`);
}

async function withDb<T>(url: string, fn: (db: Db) => Promise<T>): Promise<T> {
	const h = await openDatabase({ kind: 'postgres', url });
	try {
		return await fn(h.db);
	} finally {
		await h.close();
	}
}

/** Picks the quiz's 16 questions from the bank: the first cited ones of each type, by position. */
async function pickQuestions(db: Db, courseId: number) {
	const rows = await db
		.selectFrom('questions')
		.select(['id', 'type', 'data'])
		.where('course_id', '=', courseId)
		.where('cites', '!=', sql<number[]>`'{}'`)
		.where('type', 'in', ['mc', 'tf', 'matching', 'short'])
		.orderBy('position')
		.execute();
	const byType = new Map<string, typeof rows>();
	for (const r of rows) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
	return MIX.map((type, i) => {
		const q = byType.get(type)?.shift();
		if (!q) throw new Error(`The shipped bank has too few ${type} questions for the exam quiz.`);
		const data = q.data as {
			choices?: unknown[];
			pairs?: { left: string; right: string }[];
		};
		const question: ExamQuestion = {
			position: i + 1,
			type,
			options: data.choices?.length ?? 0,
			lefts: data.pairs?.length ?? 0,
			rights: [...new Set((data.pairs ?? []).map((p) => p.right))]
		};
		return { id: q.id, question };
	});
}

export async function prepareExam(opts: {
	/** A database to add to as it is; without it, our own (`ownUrl`) is made afresh. */
	databaseUrl?: string;
	ownUrl?: string;
	students: number;
	questionsPerPage?: number;
}): Promise<ExamFixture> {
	const began = performance.now();
	const database = opts.databaseUrl ?? opts.ownUrl ?? DEFAULT_DATABASE;
	if (!opts.databaseUrl) await freshOwnDatabase(database);
	const tag = `${Date.now().toString(36)}`;
	const passwordHash = await hashPassword(PASSWORD);
	return await withDb(database, async (db) => {
		// As the app does at start: migrations, then the shipped course if it is missing.
		await prepareDatabase(db, () => {});
		const course = await db
			.selectFrom('courses')
			.select('id')
			.where('slug', '=', 'un-cybercrime-treaty')
			.executeTakeFirstOrThrow();
		const picked = await pickQuestions(db, course.id);
		return await db.transaction().execute(async (trx) => {
			const n = opts.students;
			const emails = Array.from({ length: n }, (_, i) => `exam-${tag}-s${i + 1}@exam.test`);
			const names = emails.map((_, i) => `Exam student ${i + 1}`);
			const instructorEmail = `exam-${tag}-instructor@exam.test`;
			const { rows: users } = await sql<{ id: number; email: string }>`
				insert into users (email, name, password_hash, role)
				select e, nm, ${passwordHash}, r from unnest(
					${[instructorEmail, ...emails]}::text[],
					${['Exam instructor', ...names]}::text[],
					${['instructor', ...emails.map(() => 'student')]}::text[]
				) with ordinality as u(e, nm, r, i)
				order by i returning id, email`.execute(trx);
			const ids = new Map(users.map((u) => [u.email, u.id]));
			const instructorId = ids.get(instructorEmail)!;
			const cls = await trx
				.insertInto('classes')
				.values({
					course_id: course.id,
					name: `Exam day ${tag}`,
					join_code: `EX${tag.toUpperCase()}`.slice(0, 12),
					created_by: instructorId
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await sql`insert into memberships (class_id, user_id, role)
				select ${cls.id}, u, r from unnest(
					${[instructorId, ...emails.map((e) => ids.get(e)!)]}::int[],
					${['instructor', ...emails.map(() => 'student')]}::text[]) as m(u, r)`.execute(trx);
			const quiz = await trx
				.insertInto('quizzes')
				.values({
					course_id: course.id,
					position: 1000 + (Number.parseInt(tag, 36) % 1_000_000),
					slug: `exam-${tag}`,
					title: 'Exam: who wants what',
					description: 'The exam-day bench quiz: 16 questions on 8 pages.'
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx
				.insertInto('quiz_slots')
				.values(picked.map((p, i) => ({ quiz_id: quiz.id, position: i + 1, question_id: p.id })))
				.execute();
			const now = Date.now();
			const assignment = await trx
				.insertInto('assignments')
				.values({
					class_id: cls.id,
					kind: 'quiz',
					title: 'Exam: who wants what',
					quiz_id: quiz.id,
					due_at: new Date(now + 7 * 24 * 3600_000),
					created_by: instructorId,
					attempts_allowed: 1,
					time_limit_seconds: 3 * 3600,
					// The order is fixed so the generator knows each position's type; the options
					// are still shuffled per attempt, as in a real exam.
					shuffle_questions: false,
					shuffle_options: true,
					questions_per_page: opts.questionsPerPage ?? 2
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			const tokens = users.map(() => generateToken());
			await sql`insert into sessions (id, user_id, expires_at)
				select h, u, ${new Date(now + 29 * 24 * 3600_000)} from unnest(
					${tokens.map(hashToken)}::text[], ${users.map((u) => u.id)}::int[]) as s(h, u)`.execute(trx);
			// Signed in just before the exam, as students are: the first session check of the exam
			// finds them seen minutes ago and writes nothing (a check that does write last_seen_at
			// does it in its own statement since 2026-12-07, but the figures before then assumed this).
			await sql`update users set last_seen_at = now() where id = any(${users.map((u) => u.id)}::int[])`.execute(
				trx
			);
			const tokenOf = new Map(users.map((u, i) => [u.email, tokens[i]]));
			return {
				database: redact(database),
				tag,
				classId: cls.id,
				assignmentId: assignment.id,
				password: PASSWORD,
				questions: picked.map((p) => p.question),
				students: emails.map((email) => ({
					id: ids.get(email)!,
					email,
					token: tokenOf.get(email)!
				})),
				instructor: {
					id: instructorId,
					email: instructorEmail,
					token: tokenOf.get(instructorEmail)!
				},
				seconds: (performance.now() - began) / 1000
			};
		});
	});
}

export function redact(url: string): string {
	const u = new URL(url);
	if (u.password) u.password = '***';
	return u.toString();
}
