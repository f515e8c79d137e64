/**
 * A stored question's answer (its `type` column and its `data` JSON) read back into the
 * GiftAnswer it was written from, checked rather than cast, so that a row the code does not
 * expect fails here, at the area boundary, and not in a page.
 */
import * as v from 'valibot';
import type { GiftAnswer } from '../../gift/index.ts';

const text = v.string();
const feedback = v.nullable(v.string());
const num = v.number();

const AnswerSchema = v.variant('type', [
	v.object({
		type: v.literal('mc'),
		choices: v.array(v.object({ text, correct: v.boolean(), feedback }))
	}),
	v.object({
		type: v.literal('multi'),
		options: v.array(v.object({ text, weight: num, feedback }))
	}),
	v.object({
		type: v.literal('tf'),
		answer: v.boolean(),
		feedbackIfWrong: feedback,
		feedbackIfRight: feedback
	}),
	v.object({ type: v.literal('short'), answers: v.array(text) }),
	v.object({ type: v.literal('matching'), pairs: v.array(v.object({ left: text, right: text })) }),
	v.object({ type: v.literal('ordering'), items: v.array(text) }),
	v.object({
		type: v.literal('numerical'),
		answer: v.variant('kind', [
			v.object({ kind: v.literal('exact'), value: num, tolerance: num }),
			v.object({ kind: v.literal('range'), min: num, max: num })
		])
	})
]) satisfies v.GenericSchema<unknown, GiftAnswer>;

export class StoredQuestionError extends Error {}

/** The answer of a stored question; throws when the row does not hold one. */
export function storedAnswer(type: string, data: unknown): GiftAnswer {
	const parsed = v.safeParse(AnswerSchema, { ...(typeof data === 'object' ? data : {}), type });
	if (!parsed.success)
		throw new StoredQuestionError(
			`stored question data of type ${type} is not valid: ${parsed.issues[0].message}`
		);
	return parsed.output;
}
