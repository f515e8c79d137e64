import { describe, expect, test } from 'vitest';
import {
	countPromptPosts,
	createAssignment,
	deleteAssignment,
	findAssignment,
	listStudentAssignments
} from '../../src/lib/server/classes/assignments.ts';
import { classGradebook, cellText } from '../../src/lib/server/classes/gradebook.ts';
import {
	assignPromptActors,
	promptParticipation,
	setParticipationScore
} from '../../src/lib/server/discussion/participation.ts';
import { testDb } from '../helpers/db.ts';
import { newClass, newCourse, newMember, newUser } from '../helpers/factories.ts';

type Db = Awaited<ReturnType<typeof testDb>>;

async function post(
	db: Db,
	p: {
		classId: number;
		threadId: number;
		authorId: number;
		body: string;
		parentId?: number;
		status?: 'visible' | 'deleted';
		actorId?: number;
	}
): Promise<number> {
	const { id } = await db
		.insertInto('posts')
		.values({
			class_id: p.classId,
			thread_id: p.threadId,
			parent_id: p.parentId ?? null,
			path: 'tmp',
			author_id: p.authorId,
			body: p.body,
			status: p.status ?? 'visible',
			actor_id: p.actorId ?? null
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

describe('discussion prompts', () => {
	test('a prompt has its thread; a post makes it done; the participation score reaches the gradebook', async () => {
		const db = await testDb();
		const teacher = await newUser(db, { role: 'instructor' });
		const course = await newCourse(db, { ownerId: teacher.id });
		const classId = (await newClass(db, course.id, { instructorId: teacher.id })).id;
		const [ana, ben] = [await newUser(db, { name: 'Ana' }), await newUser(db, { name: 'Ben' })];
		await newMember(db, classId, ana.id);
		await newMember(db, classId, ben.id);
		const id = (await createAssignment(
			db,
			classId,
			{
				kind: 'discussion',
				lessonId: null,
				title: 'Whose side?',
				instructions: 'Argue it.',
				opensAt: null,
				dueAt: new Date(Date.now() + 864e5),
				discussion: { postFirst: true, anonymous: true, actorMode: 'assigned' }
			},
			teacher.id
		))!;
		const a = (await findAssignment(db, classId, id))!;
		expect(a).toMatchObject({
			kind: 'discussion',
			postFirst: true,
			anonymous: true,
			actorMode: 'assigned'
		});
		const thread = await db
			.selectFrom('threads')
			.selectAll()
			.where('id', '=', a.threadId!)
			.executeTakeFirstOrThrow();
		expect(thread).toMatchObject({ anchor: 'prompt', title: 'Whose side?', class_id: classId });
		expect(
			await db.selectFrom('events').select('kind').where('thread_id', '=', thread.id).execute()
		).toEqual([{ kind: 'thread' }]);

		const status = async (userId: number) =>
			(await listStudentAssignments(db, userId, { classId })).find((x) => x.id === id)!.status;
		expect(await status(ana.id)).toBe('not-started');
		// A post deleted by its author is no participation; a reply from Ben to Ana's post is.
		await post(db, {
			classId,
			threadId: thread.id,
			authorId: ana.id,
			body: 'Gone',
			status: 'deleted'
		});
		expect(await status(ana.id)).toBe('not-started');
		const actor = await db
			.selectFrom('actors')
			.select(['id', 'name'])
			.where('course_id', '=', course.id)
			.executeTakeFirstOrThrow();
		const first = await post(db, {
			classId,
			threadId: thread.id,
			authorId: ana.id,
			body: 'As ¶1 says [¶1], and [¶2].',
			actorId: actor.id
		});
		await post(db, {
			classId,
			threadId: thread.id,
			authorId: ben.id,
			body: 'No [¶2].',
			parentId: first
		});
		expect(await status(ana.id)).toBe('done');

		await assignPromptActors(db, classId, id, [
			{ userId: ana.id, actorId: actor.id },
			{ userId: teacher.id, actorId: actor.id },
			{ userId: ben.id, actorId: 999_999 }
		]);
		expect(
			await setParticipationScore(db, {
				classId,
				assignmentId: id,
				userId: ana.id,
				score: 0.8,
				comment: 'Good',
				by: teacher.id
			})
		).toBe(true);
		// Not a student of the class: nothing is written.
		expect(
			await setParticipationScore(db, {
				classId,
				assignmentId: id,
				userId: teacher.id,
				score: 1,
				comment: '',
				by: teacher.id
			})
		).toBe(false);

		const people = await promptParticipation(db, classId, id);
		expect(
			people.map((p) => [
				p.name,
				p.posts,
				p.repliesReceived,
				p.cited,
				p.actorsArgued,
				p.assignedActorId,
				p.score
			])
		).toEqual([
			['Ana', 1, 1, [1, 2], [actor.name], actor.id, 0.8],
			['Ben', 1, 0, [2], [], null, null]
		]);

		const book = await classGradebook(db, classId);
		const col = book.columns.find((c) => c.id === id)!;
		const cell = (userId: number) => book.rows.find((r) => r.userId === userId)!.cells[id];
		expect(cellText(col, cell(ana.id))).toBe('80%');
		expect(cellText(col, cell(ben.id))).toBe('done');
	});

	test('a prompt with posts cannot be deleted (its posts would go with it); an empty one can', async () => {
		const db = await testDb();
		const teacher = await newUser(db, { role: 'instructor' });
		const course = await newCourse(db, { ownerId: teacher.id });
		const classId = (await newClass(db, course.id, { instructorId: teacher.id })).id;
		const ana = await newUser(db, { name: 'Ana' });
		await newMember(db, classId, ana.id);
		const make = async () =>
			(await createAssignment(
				db,
				classId,
				{
					kind: 'discussion',
					lessonId: null,
					title: 'Prompt',
					instructions: 'Argue it.',
					opensAt: null,
					dueAt: new Date(Date.now() + 864e5)
				},
				teacher.id
			))!;
		const used = await make();
		const empty = await make();
		const thread = await db
			.selectFrom('threads')
			.select('id')
			.where('assignment_id', '=', used)
			.executeTakeFirstOrThrow();
		await post(db, { classId, threadId: thread.id, authorId: ana.id, body: 'My answer' });
		expect(await countPromptPosts(db, used)).toBe(1);
		expect(await deleteAssignment(db, classId, used)).toBe(false);
		expect(await findAssignment(db, classId, used)).toBeDefined();
		expect(await deleteAssignment(db, classId, empty)).toBe(true);
	});
});
