/**
 * The authoring forms' fields, and the check every authoring load and action makes. Messages
 * are shown next to the field; the area module adds the ones that need the database.
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { idSchema, parseId } from '$lib/validation/ids';
import { decimalSchema } from '$lib/validation/numbers';
import { getDb } from '$lib/server/db';
import {
	findEditableCourse,
	isSlug,
	parseCites,
	slugify,
	type Deleted,
	type Saved
} from '$lib/server/courses/authoring';
import type { SessionUser } from '$lib/server/auth/session';
import { CONCERN_KINDS, STANCES } from '$lib/courses/package';
import { MAX_ARTICLE_PARAGRAPHS, parseArticle } from '$lib/courses/read';
import { failure, parseForm, type FieldErrors } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';

/** The course named in the URL, if `user` may edit it; 404 otherwise (not 403: a draft's
 * existence is nobody else's business). */
export async function editableCourse(event: Pick<RequestEvent, 'params'>, user: SessionUser) {
	const db = await getDb();
	const course = await findEditableCourse(db, user, event.params.course ?? '');
	if (!course) error(404, 'There is no such course.');
	return { db, course };
}

const LF = (s: string) => s.replace(/\r\n?/g, '\n');

export function required(what: string, max = 200) {
	return v.pipe(
		v.string(`Enter ${what}.`),
		v.trim(),
		v.nonEmpty(`Enter ${what}.`),
		v.maxLength(max, `Use at most ${max} characters.`)
	);
}

/** Empty becomes null, which the package writes as "unknown". */
export function optional(max = 200) {
	return v.pipe(
		v.optional(v.string(), ''),
		v.trim(),
		v.maxLength(max, `Use at most ${max} characters.`),
		v.transform((s) => (s === '' ? null : s))
	);
}

export function markdown(max = 20_000) {
	return v.pipe(
		v.optional(v.string(), ''),
		v.transform((s) => LF(s).trim()),
		v.maxLength(max, `Use at most ${max.toLocaleString('en')} characters.`)
	);
}

export function requiredMarkdown(what: string, max = 20_000) {
	return v.pipe(markdown(max), v.nonEmpty(`Write ${what}.`));
}

const SLUG_RULE = 'Use a–z, 0–9 and single hyphens, e.g. tech-firms.';

/** Empty: made from another field later (see withSlug). */
export const optionalSlug = v.pipe(
	v.optional(v.string(), ''),
	v.trim(),
	v.toLowerCase(),
	v.maxLength(60, 'Use at most 60 characters.'),
	v.check((s) => s === '' || isSlug(s), SLUG_RULE)
);

/** The slug typed, or one made from `from`; a field error when neither works. */
export function withSlug(slug: string, from: string, errors: FieldErrors): string | undefined {
	const made = slug || slugify(from);
	if (!made) errors.slug = 'Type an address: there are no letters a–z or digits to make one from.';
	return made || undefined;
}

export const citesField = v.pipe(
	v.optional(v.string(), ''),
	v.rawTransform(({ dataset, addIssue, NEVER }) => {
		const parsed = parseCites(dataset.value);
		if (parsed.ok) return parsed.cites;
		addIssue({ message: parsed.message });
		return NEVER;
	})
);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
function isRealDate(s: string): boolean {
	const m = DATE.exec(s);
	if (!m) return false;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return d.toISOString().slice(0, 10) === s;
}

export const dateField = v.pipe(
	v.optional(v.string(), ''),
	v.trim(),
	v.check(
		(s) => s === '' || isRealDate(s),
		'Write a real date as YYYY-MM-DD, e.g. 2024-08-01, or leave it empty when unknown.'
	),
	v.transform((s) => (s === '' ? null : s))
);

export const idField = idSchema('Unknown item.');

export const IdSchema = v.object({ id: idField });

/** Pasted article text: blocks separated by blank lines, at most MAX_ARTICLE_PARAGRAPHS of them. */
const articleText = (empty: string) =>
	v.pipe(
		markdown(200_000),
		v.nonEmpty(empty),
		v.rawCheck(({ dataset, addIssue }) => {
			if (!dataset.typed) return;
			const count = parseArticle(dataset.value).paragraphs.length;
			if (count > MAX_ARTICLE_PARAGRAPHS)
				addIssue({
					message:
						`An article has at most ${MAX_ARTICLE_PARAGRAPHS.toLocaleString('en')} paragraphs ` +
						`(blocks separated by blank lines); this text has ${count.toLocaleString('en')}. ` +
						'Shorten it, or split it into several courses.'
				});
		})
	);

export const NewCourseSchema = v.object({
	title: required('a title for the course'),
	slug: optionalSlug,
	articleTitle: required('the article’s title (or a descriptive one if it has none)', 300),
	publisher: optional(),
	date: dateField,
	text: articleText('Paste the text of the article.')
});

export const DetailsSchema = v.object({
	title: required('a title for the course'),
	summary: markdown(2_000),
	articleTitle: required('the article’s title (or a descriptive one if it has none)', 300),
	publisher: optional(),
	date: dateField,
	reference: optional(500),
	note: v.pipe(
		markdown(5_000),
		v.transform((s) => (s === '' ? null : s))
	)
});

export const ParagraphsSchema = v.object({
	paragraphs: articleText('The article needs at least one paragraph.')
});

export const ActorSchema = v.object({
	slug: optionalSlug,
	name: required('the actor’s name'),
	short: optional(60),
	stance: v.picklist(STANCES, 'Choose a stance.'),
	stanceLabel: optional(100),
	summary: requiredMarkdown('a summary of what the article says about this actor', 5_000),
	cites: citesField
});

export const ConcernSchema = v.object({
	slug: optionalSlug,
	label: required('a label'),
	description: requiredMarkdown('a description', 5_000)
});

export const HolderSchema = v.object({
	actor: idSchema('Choose an actor.'),
	kind: v.picklist(CONCERN_KINDS, 'Choose aim or fear.'),
	summary: requiredMarkdown('what the article says about this actor and concern', 5_000),
	cites: citesField
});

const lines = (s: string) =>
	s
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean);

export const LessonSchema = v.object({
	slug: optionalSlug,
	title: required('a title'),
	summary: required('a one-sentence summary', 500),
	keyPoints: v.pipe(markdown(10_000), v.transform(lines)),
	check: v.pipe(
		markdown(2_000),
		v.transform((s) => s.split(/[\s,]+/).filter(Boolean))
	),
	body: markdown(100_000)
});

export const NewLessonSchema = v.object({
	slug: optionalSlug,
	title: required('a title'),
	summary: required('a one-sentence summary', 500)
});

export const TermSchema = v.object({
	term: required('the term', 100),
	definition: requiredMarkdown('what the article says it means', 5_000),
	beyondNote: v.pipe(
		markdown(5_000),
		v.transform((s) => (s === '' ? null : s))
	),
	beyondSource: optional(300)
});

export const EventSchema = v.object({
	when: required('when it happened (a year, a date, or words)', 100),
	sort: decimalSchema('Enter a number to order events by, e.g. 2017 or 2017.5.'),
	event: requiredMarkdown('what happened', 5_000),
	cites: citesField
});

export const QuizSchema = v.object({
	slug: optionalSlug,
	title: required('a title for the quiz'),
	description: v.pipe(
		v.optional(v.string(), ''),
		v.transform((s) => LF(s).trim()),
		v.maxLength(1_000, 'Use at most 1,000 characters.')
	)
});

export const QuizQuestionSlotSchema = v.object({
	question: idSchema('Choose a question.')
});

/** Empty: any (actor, concern). */
const anyOrId = (message: string) =>
	v.union(
		[
			v.pipe(
				v.optional(v.literal(''), ''),
				v.transform(() => null)
			),
			idSchema(message)
		],
		message
	);

export const QuizDrawSlotSchema = v.object({
	actor: anyOrId('Choose an actor, or any actor.'),
	concern: anyOrId('Choose a concern, or any concern.'),
	draw: v.pipe(
		v.optional(v.string(), ''),
		v.trim(),
		v.nonEmpty('Enter how many questions to draw.'),
		v.regex(/^\d{1,3}$/, 'Enter a whole number from 1 to 100.'),
		v.transform(Number),
		v.minValue(1, 'Draw at least 1 question.'),
		v.maxValue(100, 'Draw at most 100 questions.')
	)
});

export const QuizSlotSchema = v.object({
	position: idSchema('Unknown place.'),
	direction: v.optional(v.picklist(['up', 'down'], 'Up or down?'))
});

/** The `id` field of an item form: null for a new item; NaN when it is not an id at all. */
export function itemId(form: FormData): number | null {
	const raw = form.get('id');
	if (raw === null || raw === '') return null;
	return parseId(raw) ?? NaN;
}

/**
 * One row of a repeated group (fields named `<row>.<field>`), parsed with `schema`; errors keyed
 * `<row>.<field>` so that each shows next to its own input.
 */
export function parseRow<S extends v.GenericSchema<Record<string, unknown>, unknown>>(
	schema: S,
	form: FormData,
	row: string
): { ok: true; data: v.InferOutput<S> } | { ok: false; errors: FieldErrors } {
	const raw: Record<string, unknown> = {};
	if ('entries' in schema)
		for (const k of Object.keys(schema.entries as object)) raw[k] = undefined;
	for (const [k, val] of form)
		if (typeof val === 'string' && k.startsWith(`${row}.`)) raw[k.slice(row.length + 1)] = val;
	const result = v.safeParse(schema, raw);
	if (result.success) return { ok: true, data: result.output };
	const errors: FieldErrors = {};
	for (const issue of result.issues) {
		const key = `${row}.${issue.path?.map((p) => String(p.key)).join('.') ?? 'form'}`;
		errors[key] ??= issue.message;
	}
	return { ok: false, errors };
}

type Db = Awaited<ReturnType<typeof getDb>>;

/**
 * The `save` and `delete` actions of a list page (actors, glossary, timeline): guard, read the
 * item id, validate, call the area module, and answer in the shape the list pages show: the
 * saved item is `item` (null for the add form), failures are `failure()`s.
 */
export function listItemActions<T>(opts: {
	noun: string;
	schema: v.GenericSchema<Record<string, unknown>, T>;
	save: (db: Db, courseId: number, id: number | null, data: T) => Promise<Saved<{ id: number }>>;
	remove: (db: Db, courseId: number, id: number) => Promise<Deleted>;
	savedMessage: (data: T, added: boolean) => string;
	deletedMessage: string;
}) {
	return {
		save: async (event: RequestEvent) => {
			const user = requireRole(event, 'instructor');
			const { db, course } = await editableCourse(event, user);
			const form = await event.request.formData();
			const id = itemId(form);
			if (Number.isNaN(id))
				return failure(400, {
					action: 'save',
					item: null,
					errors: { form: `Unknown ${opts.noun}.` },
					values: form
				});
			const parsed = parseForm(opts.schema, form);
			if (!parsed.ok)
				return failure(400, { action: 'save', item: id, errors: parsed.errors, values: form });
			const saved = await opts.save(db, course.id, id, parsed.data);
			if (!saved.ok)
				return failure(400, {
					action: 'save',
					item: id,
					errors: saved.errors,
					problems: saved.problems,
					values: form
				});
			return {
				action: 'save',
				item: id,
				saved: opts.savedMessage(parsed.data, id === null)
			};
		},
		delete: async (event: RequestEvent) => {
			const user = requireRole(event, 'instructor');
			const { db, course } = await editableCourse(event, user);
			const id = itemId(await event.request.formData());
			const done = id ? await opts.remove(db, course.id, id) : undefined;
			if (!done?.ok)
				return failure(done ? 409 : 400, {
					action: 'delete',
					item: id,
					message: done?.errors.form ?? `That ${opts.noun} no longer exists.`,
					problems: done?.problems
				});
			return { action: 'delete', item: id, saved: opts.deletedMessage };
		}
	};
}
