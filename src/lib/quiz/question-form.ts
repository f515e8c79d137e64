/**
 * The answer part of the question editor's form, read into a GiftAnswer and written back into
 * form values, for every type. Browser-safe: the editor's live preview runs the same reading as
 * the server, so what the preview shows is what a save would store.
 *
 * Repeated rows are numbered fields (`opt-0-text`, `pair-2-left`, `item-1`, `accept-3`); the
 * form shows a few empty rows after the filled ones, and an empty row is not an answer. Errors
 * are keyed by the field they belong to, so each shows next to its own input.
 */
import type { GiftAnswer, GiftQuestionType } from '../gift/index.ts';
import { parseDecimal } from '../validation/numbers.ts';

export type FormValues = Record<string, string>;
export type FieldErrors = Record<string, string>;

export const QUESTION_TYPES: { type: GiftQuestionType; label: string; hint: string }[] = [
	{ type: 'mc', label: 'Single choice', hint: 'One right option among several.' },
	{
		type: 'multi',
		label: 'Multiple response',
		hint: 'Several right options; wrong picks take marks away, never below zero.'
	},
	{ type: 'tf', label: 'True or false', hint: 'A statement the student judges.' },
	{
		type: 'matching',
		label: 'Matching',
		hint: 'Pairs, e.g. a concern and the actor who holds it.'
	},
	{ type: 'ordering', label: 'Ordering', hint: 'Items to put in order, e.g. a timeline.' },
	{
		type: 'short',
		label: 'Short answer',
		hint: 'Typed words; case, spacing and final punctuation do not matter.'
	},
	{ type: 'numerical', label: 'Numerical', hint: 'A number, exact or within a tolerance.' }
];

export const isQuestionType = (t: unknown): t is GiftQuestionType =>
	QUESTION_TYPES.some((q) => q.type === t);

/** As many as the GIFT parser takes (MAX_ANSWERS), so every saved question exports. */
export const MAX_ROWS = 100;
export const MAX_OPTION = 1_000;
export const MAX_FEEDBACK = 2_000;
/** Blank rows shown after the filled ones. */
export const SPARE_ROWS = 2;

/** Sequences GIFT cannot write inside an answer (see gift/serialize.ts). */
function unwritable(text: string, matchingLeft = false): string | null {
	if (text.includes('->'))
		return matchingLeft
			? 'The left side cannot contain “->”.'
			: 'An answer cannot contain “->” (the file format reads it as a matching pair).';
	if (/^%-?\d/.test(text)) return 'An answer cannot start with “%” and a number.';
	return null;
}

const clean = (s: string | undefined) => (s ?? '').replace(/\r\n?/g, '\n').trim();

/** The row numbers that have a field with `prefix`, in order (`opt-3-text` → 3). */
function rowNumbers(values: FormValues, pattern: RegExp): number[] {
	const rows = new Set<number>();
	for (const k of Object.keys(values)) {
		const m = pattern.exec(k);
		if (m) rows.add(Number(m[1]));
	}
	return [...rows].filter((n) => n < 1_000).sort((a, b) => a - b);
}

function text(
	values: FormValues,
	key: string,
	errors: FieldErrors,
	max: number,
	what: string
): string {
	const s = clean(values[key]);
	if (s.length > max) errors[key] = `Use at most ${max.toLocaleString('en')} characters ${what}.`;
	return s;
}

function tooMany(errors: FieldErrors, key: string, count: number, what: string) {
	if (count > MAX_ROWS)
		errors[key] = `A question takes at most ${MAX_ROWS} ${what}; this has ${count}.`;
}

/**
 * The answer the form describes, or the field errors that keep it from being one. `answerKey`
 * is where errors about the whole answer go (e.g. "mark one option right").
 */
export function answerFromForm(
	type: GiftQuestionType,
	values: FormValues,
	answerKey = 'answer'
): { ok: true; answer: GiftAnswer } | { ok: false; errors: FieldErrors } {
	const errors: FieldErrors = {};
	const answer = readAnswer(type, values, errors, answerKey);
	return Object.keys(errors).length || !answer ? { ok: false, errors } : { ok: true, answer };
}

function readAnswer(
	type: GiftQuestionType,
	values: FormValues,
	errors: FieldErrors,
	answerKey: string
): GiftAnswer | null {
	switch (type) {
		case 'mc':
		case 'multi': {
			const rows = rowNumbers(values, /^opt-(\d+)-text$/);
			const options: { row: number; text: string; feedback: string | null; weight: number }[] = [];
			for (const row of rows) {
				const key = `opt-${row}-text`;
				const t = text(values, key, errors, MAX_OPTION, 'in an option');
				const fb = text(values, `opt-${row}-feedback`, errors, MAX_FEEDBACK, 'of feedback');
				const w = clean(values[`opt-${row}-weight`]);
				if (t === '') {
					if (fb !== '' || (type === 'multi' && w !== ''))
						errors[key] = 'Write the option, or clear its other fields.';
					continue;
				}
				const bad = unwritable(t);
				if (bad) errors[key] = bad;
				let weight = 0;
				if (type === 'multi') {
					const n = w === '' ? 0 : parseDecimal(w);
					if (n === null || n < -100 || n > 100)
						errors[`opt-${row}-weight`] = 'Write a percentage from −100 to 100, e.g. 50 or -50.';
					else weight = n;
				}
				options.push({ row, text: t, feedback: fb === '' ? null : fb, weight });
			}
			tooMany(errors, answerKey, options.length, 'options');
			if (options.length < 2) {
				errors[answerKey] = 'Write at least two options.';
				return null;
			}
			const seen = new Map<string, number>();
			for (const o of options) {
				const k = o.text.toLowerCase();
				if (seen.has(k)) errors[`opt-${o.row}-text`] = 'This option is already in the list.';
				seen.set(k, o.row);
			}
			if (type === 'mc') {
				const right = values.right ?? '';
				const chosen = options.find((o) => String(o.row) === right);
				if (!chosen) {
					errors[answerKey] = 'Mark the right option.';
					return null;
				}
				return {
					type: 'mc',
					choices: options.map((o) => ({
						text: o.text,
						correct: o === chosen,
						feedback: o.feedback
					}))
				};
			}
			const positive = options.filter((o) => o.weight > 0);
			const sum = positive.reduce((s, o) => s + o.weight, 0);
			if (!positive.length)
				errors[answerKey] =
					'Give each right option a positive weight (the right ones add up to 100).';
			else if (Math.abs(sum - 100) > 0.5)
				errors[answerKey] =
					`The right options’ weights add up to ${round(sum)}%; make them add up to 100%.`;
			return {
				type: 'multi',
				options: options.map((o) => ({ text: o.text, weight: o.weight, feedback: o.feedback }))
			};
		}
		case 'tf': {
			const v = values.truth;
			if (v !== 'true' && v !== 'false') {
				errors.truth = 'Say whether the statement is true or false.';
				return null;
			}
			const wrong = text(values, 'feedbackIfWrong', errors, MAX_FEEDBACK, 'of feedback');
			const right = text(values, 'feedbackIfRight', errors, MAX_FEEDBACK, 'of feedback');
			return {
				type: 'tf',
				answer: v === 'true',
				feedbackIfWrong: wrong === '' ? null : wrong,
				feedbackIfRight: right === '' ? null : right
			};
		}
		case 'short': {
			const answers: string[] = [];
			for (const row of rowNumbers(values, /^accept-(\d+)$/)) {
				const key = `accept-${row}`;
				const t = text(values, key, errors, MAX_OPTION, 'in an answer');
				if (t === '') continue;
				const bad = unwritable(t);
				if (bad) errors[key] = bad;
				if (answers.some((a) => a.toLowerCase() === t.toLowerCase()))
					errors[key] = 'This answer is already in the list.';
				answers.push(t);
			}
			tooMany(errors, answerKey, answers.length, 'accepted answers');
			if (!answers.length) {
				errors[answerKey] = 'Write at least one accepted answer.';
				return null;
			}
			return { type: 'short', answers };
		}
		case 'matching': {
			const pairs: { left: string; right: string }[] = [];
			for (const row of rowNumbers(values, /^pair-(\d+)-(?:left|right)$/)) {
				const lk = `pair-${row}-left`;
				const rk = `pair-${row}-right`;
				const left = text(values, lk, errors, MAX_OPTION, 'on a side');
				const right = text(values, rk, errors, MAX_OPTION, 'on a side');
				if (left === '' && right === '') continue;
				if (left === '') errors[lk] = 'Write what this pair starts from.';
				if (right === '') errors[rk] = 'Write what it matches.';
				const badLeft = unwritable(left, true);
				if (badLeft) errors[lk] = badLeft;
				if (/^%-?\d/.test(right)) errors[rk] = 'A side cannot start with “%” and a number.';
				if (pairs.some((p) => p.left.toLowerCase() === left.toLowerCase()) && left !== '')
					errors[lk] = 'This item is already in the list.';
				pairs.push({ left, right });
			}
			tooMany(errors, answerKey, pairs.length, 'pairs');
			if (pairs.length < 2) {
				errors[answerKey] = 'Write at least two pairs.';
				return null;
			}
			return { type: 'matching', pairs };
		}
		case 'ordering': {
			const items: string[] = [];
			for (const row of rowNumbers(values, /^item-(\d+)$/)) {
				const key = `item-${row}`;
				const t = text(values, key, errors, MAX_OPTION, 'in an item');
				if (t === '') continue;
				const bad = unwritable(t);
				if (bad) errors[key] = bad;
				if (items.some((i) => i.toLowerCase() === t.toLowerCase()))
					errors[key] = 'This item is already in the list.';
				items.push(t);
			}
			tooMany(errors, answerKey, items.length, 'items');
			if (items.length < 2) {
				errors[answerKey] = 'Write at least two items, in their right order.';
				return null;
			}
			return { type: 'ordering', items };
		}
		case 'numerical': {
			if (values.numKind === 'range') {
				const min = parseDecimal(values.numMin ?? '');
				const max = parseDecimal(values.numMax ?? '');
				if (min === null) errors.numMin = 'Write the lowest accepted number, e.g. 2016.';
				if (max === null) errors.numMax = 'Write the highest accepted number, e.g. 2018.';
				if (min === null || max === null) return null;
				if (max < min) {
					errors.numMax = 'The highest accepted number is below the lowest.';
					return null;
				}
				return { type: 'numerical', answer: { kind: 'range', min, max } };
			}
			const value = parseDecimal(values.numValue ?? '');
			const tolText = clean(values.numTolerance);
			const tolerance = tolText === '' ? 0 : parseDecimal(tolText);
			if (value === null) errors.numValue = 'Write the right number, e.g. 2017.';
			if (tolerance === null || (tolerance !== null && tolerance < 0))
				errors.numTolerance = 'Write how far off an answer may be (0 or more), or leave it empty.';
			if (value === null || tolerance === null || tolerance < 0) return null;
			return { type: 'numerical', answer: { kind: 'exact', value, tolerance } };
		}
	}
}

const round = (n: number) => Math.round(n * 100) / 100;

/** The form values that show `answer` in the editor (the inverse of answerFromForm). */
export function formValuesOfAnswer(answer: GiftAnswer): FormValues {
	const values: FormValues = { type: answer.type };
	switch (answer.type) {
		case 'mc':
			answer.choices.forEach((c, i) => {
				values[`opt-${i}-text`] = c.text;
				values[`opt-${i}-feedback`] = c.feedback ?? '';
				if (c.correct) values.right = String(i);
			});
			break;
		case 'multi':
			answer.options.forEach((o, i) => {
				values[`opt-${i}-text`] = o.text;
				values[`opt-${i}-feedback`] = o.feedback ?? '';
				values[`opt-${i}-weight`] = String(o.weight);
			});
			break;
		case 'tf':
			values.truth = String(answer.answer);
			values.feedbackIfWrong = answer.feedbackIfWrong ?? '';
			values.feedbackIfRight = answer.feedbackIfRight ?? '';
			break;
		case 'short':
			answer.answers.forEach((a, i) => (values[`accept-${i}`] = a));
			break;
		case 'matching':
			answer.pairs.forEach((p, i) => {
				values[`pair-${i}-left`] = p.left;
				values[`pair-${i}-right`] = p.right;
			});
			break;
		case 'ordering':
			answer.items.forEach((t, i) => (values[`item-${i}`] = t));
			break;
		case 'numerical':
			if (answer.answer.kind === 'range') {
				values.numKind = 'range';
				values.numMin = String(answer.answer.min);
				values.numMax = String(answer.answer.max);
			} else {
				values.numKind = 'exact';
				values.numValue = String(answer.answer.value);
				values.numTolerance = answer.answer.tolerance ? String(answer.answer.tolerance) : '';
			}
	}
	return values;
}

/**
 * How many rows of each repeated group the form shows for `values`: the highest filled row plus
 * a few empty ones (at least `min` in all), so a form without JavaScript always has room to add.
 */
export function rowsToShow(values: FormValues, pattern: RegExp, min: number): number {
	let last = -1;
	for (const [k, v] of Object.entries(values)) {
		const m = pattern.exec(k);
		if (m && v.trim() !== '') last = Math.max(last, Number(m[1]));
	}
	return Math.min(MAX_ROWS + SPARE_ROWS, Math.max(min, last + 1 + SPARE_ROWS));
}

/** The key change that matters to scores: everything but feedback and wording of feedback. */
export function sameKey(a: GiftAnswer, b: GiftAnswer): boolean {
	if (a.type !== b.type) return false;
	switch (a.type) {
		case 'mc':
			return (
				JSON.stringify(a.choices.map((c) => c.correct)) ===
				JSON.stringify((b as typeof a).choices.map((c) => c.correct))
			);
		case 'multi':
			return (
				JSON.stringify(a.options.map((o) => o.weight)) ===
				JSON.stringify((b as typeof a).options.map((o) => o.weight))
			);
		case 'tf':
			return a.answer === (b as typeof a).answer;
		default:
			return JSON.stringify(a) === JSON.stringify(b);
	}
}

/**
 * What the preview shows while the form is being written: the answer when it is complete, else
 * the options as they stand (a choice question before its right option is marked, a
 * multiple-response one before its weights add up), and whether the key is complete.
 */
export function previewOf(
	type: GiftQuestionType,
	values: FormValues
): { answer: GiftAnswer | null; complete: boolean } {
	const full = answerFromForm(type, values);
	if (full.ok) return { answer: full.answer, complete: true };
	if (type !== 'mc' && type !== 'multi') return { answer: null, complete: false };
	const rows = rowNumbers(values, /^opt-(\d+)-text$/).filter((r) => clean(values[`opt-${r}-text`]));
	if (!rows.length) return { answer: null, complete: false };
	const stand: FormValues = { ...values, right: String(rows[0]) };
	if (type === 'multi')
		for (const r of rows) stand[`opt-${r}-weight`] = r === rows[0] ? '100' : '0';
	const partial = answerFromForm(type, stand);
	return { answer: partial.ok ? partial.answer : null, complete: false };
}
