import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../src/lib/server/db/connect.ts';
import { SESSION_COOKIE } from '../../src/lib/server/web/session-cookie.ts';
import { BIG_CLASS, assignmentId, classOfStudent, studentUserId, type Sizes } from './layout.ts';
import { instructorEmail, insertSessions, studentEmail } from './people.ts';

// bench/.data/manifest.json: what the bench and exam scripts need to find their way in the seeded
// district (see /work/helper/common.md for the contract: fields are added, never renamed).

export const MANIFEST_PATH = path.join('bench', '.data', 'manifest.json');

export interface ManifestInput {
	sizes: Sizes;
	database: string;
	seedSeconds: number;
	password: string;
	courseSlug: string;
	lessonSlug: string;
	counts: Record<string, number>;
	timings: Record<string, number>;
}

export async function buildManifest(db: Db, m: ManifestInput) {
	const s = m.sizes;
	const numbers = Array.from({ length: s.manifestStudents }, (_, i) => i + 1);
	const userIds = numbers.map((n) => studentUserId(s, n));
	const instructor = 1; // teaches class 1
	const tokens = await insertSessions(db, [instructor, ...userIds]);
	const { rows } = await sql<{ user_id: number; open_id: number | null; done_id: number | null }>`
		select u.id as user_id,
			(select t.id from attempts t where t.user_id = u.id and t.status = 'in-progress'
				and not t.practice order by t.id limit 1) as open_id,
			(select t.id from attempts t where t.user_id = u.id and t.status = 'submitted'
				and not t.practice order by t.id desc limit 1) as done_id
		from unnest(${userIds}::int[]) as u(id)`.execute(db);
	const byUser = new Map(rows.map((r) => [r.user_id, r]));
	const students = numbers.flatMap((n) => {
		const userId = studentUserId(s, n);
		const r = byUser.get(userId);
		if (!r?.open_id || !r.done_id) return [];
		const classId = classOfStudent(s, n);
		return [
			{
				email: studentEmail(n),
				userId,
				session: tokens.get(userId)!,
				classId,
				inBigClass: classId === BIG_CLASS,
				attempt: `/classes/${classId}/attempts/${r.open_id}`,
				attemptId: r.open_id,
				review: `/classes/${classId}/attempts/${r.done_id}`,
				reviewId: r.done_id
			}
		];
	});
	// The last past assignment: every student has had their go at it.
	const statsAssignment = assignmentId(s, BIG_CLASS, s.assignmentsPerClass - 2);
	const classPages = (classId: number, students: number) => ({
		classId,
		students,
		gradebook: `/classes/${classId}/gradebook`,
		statistics: `/classes/${classId}/assignments/${assignmentId(s, classId, s.assignmentsPerClass - 2)}/statistics`
	});
	return {
		version: 1,
		scale: s.scale,
		quick: s.quick,
		database: m.database,
		seededAt: new Date().toISOString(),
		seedSeconds: m.seedSeconds,
		counts: m.counts,
		timings: m.timings,
		cookie: SESSION_COOKIE,
		password: m.password,
		pages: {
			lesson: `/courses/${m.courseSlug}/lessons/${m.lessonSlug}`,
			article: `/courses/${m.courseSlug}/article`,
			map: `/courses/${m.courseSlug}/map`,
			overview: `/courses/${m.courseSlug}`
		},
		instructor: {
			email: instructorEmail(instructor),
			userId: instructor,
			session: tokens.get(instructor)!
		},
		bigClass: {
			id: BIG_CLASS,
			students: s.bigClassStudents,
			quizzes: s.assignmentsPerClass,
			gradebook: `/classes/${BIG_CLASS}/gradebook`,
			statistics: `/classes/${BIG_CLASS}/assignments/${statsAssignment}/statistics`,
			statisticsAssignmentId: statsAssignment,
			moderation: `/classes/${BIG_CLASS}/moderation`,
			thread: `/classes/${BIG_CLASS}/discussions/1`,
			threadId: 1,
			threadPosts: s.fixedThreads[0]
		},
		// Same kind of object at ¼, 1 and 4× the scenario's size (bench/growth.ts); all in classes
		// the instructor above teaches.
		growth: {
			classes: s.fixedClasses.map((n, i) => classPages(i + 1, n)),
			threads: s.fixedThreads.map((n, i) => ({
				threadId: i + 1,
				posts: n,
				path: `/classes/${BIG_CLASS}/discussions/${i + 1}`
			}))
		},
		students
	};
}

export function writeManifest(manifest: unknown, file = MANIFEST_PATH): void {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, JSON.stringify(manifest, null, '\t') + '\n');
}
