import type { Executor } from '../db/index.ts';
import type { PoolQuestion, QuizSlot } from '../../quiz/draw.ts';
import { questionPool, quizSlots } from './quizzes.ts';
import { storedOrNewVersions, type QuestionVersions } from './question-versions.ts';

/**
 * What a start draws from, kept in memory per course content version: the course's question
 * pool, the stored version (id and points) of each pool question, and each quiz's slots.
 *
 * At an exam's start every student of a school asks for the same three reads in the same second;
 * kept, a start is two queries shorter (the pool, the slots and the versions are read once per
 * course version). The version is the one `courseVersion` read with the start's assignment,
 * and every authoring change to questions or quizzes updates the course row in the transaction
 * that makes it (touchCourse; an import updates the row too), so an edit is seen by the next
 * start on this instance and on any other: nothing here is invalidated in process. Versions are
 * kept only when they are committed rows: stored before the start read them, or inserted by a
 * start outside any transaction (never rows a caller's transaction inserted and could still roll
 * back).
 */

export interface DrawKit {
	pool: PoolQuestion[];
	versions: QuestionVersions;
	slots: Map<number, QuizSlot[]>;
}

/** Courses kept; the least recently used goes first. */
export const MAX_COURSES = 100;

const kits = new Map<number, { version: string; kit: DrawKit }>();

function remember(courseId: number, version: string, kit: DrawKit) {
	kits.delete(courseId);
	kits.set(courseId, { version, kit });
	while (kits.size > MAX_COURSES) kits.delete(kits.keys().next().value as number);
}

/**
 * The slots of `quizId`, the course's pool and the versions of the pool's questions, for a start
 * that read `version` as the course's: from memory when kept at that version, else
 * read (and kept when every version was already stored).
 */
export async function drawKit(
	trx: Executor,
	opts: { courseId: number; quizId: number; version: string }
): Promise<{ slots: QuizSlot[]; pool: PoolQuestion[]; versions: DrawKit['versions'] }> {
	const kept = kits.get(opts.courseId);
	if (kept && kept.version === opts.version) {
		remember(opts.courseId, kept.version, kept.kit);
		let slots = kept.kit.slots.get(opts.quizId);
		if (!slots) {
			slots = (await quizSlots(trx, [opts.quizId])).get(opts.quizId) ?? [];
			kept.kit.slots.set(opts.quizId, slots);
		}
		return { slots, pool: kept.kit.pool, versions: kept.kit.versions };
	}
	const [slotsByQuiz, pool] = await Promise.all([
		quizSlots(trx, [opts.quizId]),
		questionPool(trx, opts.courseId)
	]);
	const slots = slotsByQuiz.get(opts.quizId) ?? [];
	const { versions, inserted } = await storedOrNewVersions(
		trx,
		pool.map((q) => q.id)
	);
	if (!inserted || !trx.isTransaction)
		remember(opts.courseId, opts.version, {
			pool,
			versions,
			slots: new Map([[opts.quizId, slots]])
		});
	return { slots, pool, versions };
}

/** Empties the cache (tests). */
export function clearDrawCache(): void {
	kits.clear();
}
