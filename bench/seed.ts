// npm run bench:seed [-- --scale k] [--quick] [--pglite <dir>] [--reset]
//
// Fills a database with a realistic district for the benchmarks (issue 10): accounts, classes,
// the shipped course loaded as the app loads it at start-up, quizzes with finished attempts and
// their answers, discussions with flags and a moderation history; then writes
// bench/.data/manifest.json for bench/run.js, bench/exam and bench/growth.ts. Bulk SQL only: one
// INSERT … SELECT (generate_series, unnest) per table, each step in its own transaction.
//
// Safety: it fills an empty database or one it made itself (marked by a `bench_seed` table) and
// refuses anything else unless --reset is given. DATABASE_URL defaults to the bench database.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { Db } from '../src/lib/server/db/connect.ts';
import { hashPassword } from '../src/lib/server/auth/password.ts';
import { prepareDatabase } from '../src/lib/server/startup.ts';
import {
	claim,
	DEFAULT_URL,
	describe,
	markFinished,
	markStarted,
	openTarget,
	type Target
} from './seed/target.ts';
import { rosters, sizesFor } from './seed/layout.ts';
import { insertClasses, insertMemberships, insertUsers } from './seed/people.ts';
import {
	dropWorkTables,
	insertAssignments,
	insertAttemptAnswers,
	insertAttemptQuestions,
	insertAttempts,
	insertQuizzes,
	insertTemplates,
	planAttempts
} from './seed/quizzes.ts';
import { planDiscussions } from './seed/discussion-plan.ts';
import {
	insertFlags,
	insertModerationLog,
	insertNotifications,
	insertPosts,
	insertThreadReads,
	insertThreads,
	insertVotes
} from './seed/discussion.ts';
import { rescoreSample } from './seed/check.ts';
import { dropChecks, restoreChecks } from './seed/bulk.ts';
import { buildManifest, MANIFEST_PATH, writeManifest } from './seed/manifest.ts';

/** Every seeded account signs in with this (it is in the manifest; the database is a bench's). */
export const BENCH_PASSWORD = 'bench-district-password';

const { values: args } = parseArgs({
	options: {
		scale: { type: 'string', default: '1' },
		quick: { type: 'boolean', default: false },
		pglite: { type: 'string' },
		reset: { type: 'boolean', default: false },
		manifest: { type: 'string', default: MANIFEST_PATH }
	}
});

const scale = Number(args.scale);
if (!(scale > 0 && scale <= 64)) throw new Error('--scale takes a number between 0 and 64.');
const target: Target = args.pglite
	? { kind: 'pglite', dir: args.pglite }
	: { kind: 'postgres', url: process.env.DATABASE_URL?.trim() || DEFAULT_URL };

const timings: Record<string, number> = {};
const log = (line: string) => console.log(line);

/** Runs one step in a transaction and prints how long it took and how many rows it made. */
async function step<T>(db: Db, name: string, fn: (trx: Db) => Promise<T>): Promise<T> {
	const t0 = performance.now();
	const out = await db.transaction().execute((trx) => fn(trx as unknown as Db));
	const secs = (performance.now() - t0) / 1000;
	timings[name] = Math.round(secs * 100) / 100;
	const rows = typeof out === 'number' ? `${out.toLocaleString('en')} rows` : '';
	console.log(`  ${name.padEnd(20)} ${rows.padStart(16)} ${secs.toFixed(2).padStart(8)} s`);
	return out;
}

async function count(db: Db, query: ReturnType<typeof sql<{ n: number }>>): Promise<number> {
	return Number((await query.execute(db)).rows[0].n);
}

async function main() {
	const sizes = sizesFor(scale, args.quick);
	const started = performance.now();
	log(`Seeding ${describe(target)} (scale ${scale}${args.quick ? ', quick' : ''}).`);
	const handle = await openTarget(target, log);
	const db = handle.db;
	try {
		await claim(db, args.reset, log);
		await markStarted(db, scale, args.quick);
		process.env.SEED_DEMO = '0';
		let t0 = performance.now();
		await prepareDatabase(db, () => {});
		timings['migrations+course'] = Math.round((performance.now() - t0) / 10) / 100;
		log(
			`  ${'migrations+course'.padEnd(20)} ${''.padStart(16)} ${timings['migrations+course'].toFixed(2).padStart(8)} s`
		);
		const course = await db
			.selectFrom('courses')
			.select(['id', 'slug'])
			.orderBy('id')
			.executeTakeFirstOrThrow();
		const lessons = await db
			.selectFrom('lessons')
			.select(['id', 'slug'])
			.where('course_id', '=', course.id)
			.orderBy('position')
			.execute();
		const actors = await db
			.selectFrom('actors')
			.select('id')
			.where('course_id', '=', course.id)
			.orderBy('position')
			.execute();

		t0 = performance.now();
		const passwordHash = await hashPassword(BENCH_PASSWORD);
		timings.argon2 = Math.round((performance.now() - t0) / 10) / 100;
		const roster = rosters(sizes);

		await step(db, 'users', (trx) => insertUsers(trx, sizes, passwordHash));
		await step(db, 'classes', (trx) => insertClasses(trx, sizes, course.id));
		await step(db, 'memberships', (trx) => insertMemberships(trx, sizes, roster));
		const quizIds = await step(db, 'quizzes', (trx) => insertQuizzes(trx, sizes, course.id));
		await step(db, 'quiz templates', (trx) => insertTemplates(trx, course.id, quizIds));
		await step(db, 'assignments', (trx) => insertAssignments(trx, sizes, quizIds));
		await step(db, 'attempt plan', (trx) => planAttempts(trx, sizes));
		const attemptChecks = await dropChecks(db, [
			'attempts',
			'attempt_questions',
			'attempt_answers'
		]);
		await step(db, 'attempts', (trx) => insertAttempts(trx));
		await step(db, 'attempt_questions', (trx) => insertAttemptQuestions(trx));
		await step(db, 'attempt_answers', (trx) => insertAttemptAnswers(trx));
		await step(db, 'attempt indexes+keys', (trx) => restoreChecks(trx, attemptChecks));
		await step(db, 'drop work tables', async (trx) => (await dropWorkTables(trx), 0));

		t0 = performance.now();
		const plan = planDiscussions(sizes, roster, Date.now() / 1000);
		timings['discussion plan'] = Math.round((performance.now() - t0) / 10) / 100;
		await step(db, 'threads', (trx) =>
			insertThreads(
				trx,
				plan,
				lessons.map((l) => l.id),
				actors.map((a) => a.id)
			)
		);
		const postChecks = await dropChecks(db, ['posts']);
		await step(db, 'posts', (trx) => insertPosts(trx, plan));
		await step(db, 'post indexes+keys', (trx) => restoreChecks(trx, postChecks));
		await step(db, 'post_votes', (trx) => insertVotes(trx, plan));
		await step(db, 'flags', (trx) => insertFlags(trx, plan));
		await step(db, 'moderation_log', (trx) => insertModerationLog(trx));
		await step(db, 'thread_reads', (trx) => insertThreadReads(trx));
		await step(db, 'notifications', (trx) => insertNotifications(trx));

		t0 = performance.now();
		await sql`vacuum analyze`.execute(db);
		timings['vacuum analyze'] = Math.round((performance.now() - t0) / 10) / 100;
		log(
			`  ${'vacuum analyze'.padEnd(20)} ${''.padStart(16)} ${timings['vacuum analyze'].toFixed(2).padStart(8)} s`
		);
		await step(db, 'rescore sample', (trx) => rescoreSample(trx));

		const counts = {
			students: await count(db, sql`select count(*)::int as n from users where role = 'student'`),
			classes: await count(db, sql`select count(*)::int as n from classes`),
			instructors: await count(
				db,
				sql`select count(*)::int as n from users where role = 'instructor'`
			),
			quizzes: await count(db, sql`select count(*)::int as n from quizzes`),
			attempts: await count(
				db,
				sql`select count(*)::int as n from attempts where status = 'submitted'`
			),
			openAttempts: await count(
				db,
				sql`select count(*)::int as n from attempts where status = 'in-progress'`
			),
			answers: await count(db, sql`select count(*)::int as n from attempt_answers`),
			threads: await count(db, sql`select count(*)::int as n from threads`),
			posts: await count(db, sql`select count(*)::int as n from posts`),
			flags: await count(db, sql`select count(*)::int as n from flags`),
			openFlags: await count(
				db,
				sql`select count(*)::int as n from flags where resolved_at is null`
			),
			moderationActions: await count(db, sql`select count(*)::int as n from moderation_log`),
			threadReads: await count(db, sql`select count(*)::int as n from thread_reads`),
			notifications: await count(db, sql`select count(*)::int as n from notifications`)
		};
		const seedSeconds = Math.round((performance.now() - started) / 100) / 10;
		const manifest = await step(db, 'sessions+manifest', (trx) =>
			buildManifest(trx, {
				sizes,
				database: describe(target),
				seedSeconds,
				password: BENCH_PASSWORD,
				courseSlug: course.slug,
				lessonSlug: lessons[0].slug,
				counts,
				timings
			})
		);
		await markFinished(db, counts);
		writeManifest(manifest, args.manifest);
		log(
			`  ${'total'.padEnd(20)} ${''.padStart(16)} ${((performance.now() - started) / 1000).toFixed(2).padStart(8)} s`
		);
		log(`Counts: ${JSON.stringify(counts)}`);
		log(`Manifest: ${args.manifest} (${manifest.students.length} students with sessions).`);
	} finally {
		await handle.close();
	}
}

main().catch((e) => {
	console.error(e instanceof Error ? e.message : e);
	process.exit(1);
});
