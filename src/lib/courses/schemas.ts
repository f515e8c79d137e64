import * as v from 'valibot';
import { CONCERN_KINDS, STANCES } from './package.ts';

// The shape of each YAML file of a package (docs/course-packages.md). Messages are written for
// authors: read.ts prefixes them with the field name and reports them at the field's line.

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

type Issue = v.BaseIssue<unknown>;

function describe(issue: Issue): string {
	return issue.received === 'undefined' ? 'nothing' : issue.received;
}

// A misspelt optional field would otherwise be dropped without a word, hence strict objects.
function fields<const E extends v.ObjectEntries>(entries: E, what = 'a set of fields') {
	return v.strictObject(entries, (issue) => {
		const key = issue.path?.at(-1)?.key;
		if (issue.expected === 'never') return `unknown field "${String(key)}"`;
		if (typeof key === 'string' && issue.input === undefined) return `missing field "${key}"`;
		return `must be ${what} (key: value lines), not ${describe(issue)}`;
	});
}

function list<const T extends v.GenericSchema>(item: T, example: string) {
	return v.array(item, (issue) => `must be a list (${example}), not ${describe(issue)}`);
}

const text = v.pipe(
	v.string((issue) => `must be text, not ${describe(issue)}`),
	v.check((s) => s.trim() !== '', 'must not be empty')
);

const optionalText = v.optional(v.nullable(text), null);

const slug = v.pipe(
	v.string((issue) => `must be a slug, not ${describe(issue)}`),
	v.regex(SLUG, (issue) => `${issue.received} is not a slug (a-z, 0-9 and single hyphens)`)
);

const paragraph = v.pipe(
	v.number((issue) => `must be a paragraph number, not ${describe(issue)}`),
	v.integer('must be a whole paragraph number'),
	v.minValue(1, 'paragraph numbers start at 1')
);

const cites = list(paragraph, 'e.g. [1, 4]');

const isoDate = v.pipe(
	v.string((issue) => `must be a date written YYYY-MM-DD, or null; not ${describe(issue)}`),
	v.check((s) => {
		const m = DATE.exec(s);
		if (!m) return false;
		const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
		return d.toISOString().slice(0, 10) === s;
	}, 'must be a real date written YYYY-MM-DD, or null')
);

export const courseSchema = fields({
	slug,
	title: text,
	summary: text,
	article: fields({
		title: text,
		publisher: optionalText,
		date: v.optional(v.nullable(isoDate), null),
		reference: optionalText,
		note: optionalText
	})
});

export const actorsSchema = list(
	fields({
		slug,
		name: text,
		short: text,
		stance: v.picklist(STANCES, `must be one of ${STANCES.join(', ')}`),
		stance_label: text,
		summary: text,
		cites
	}),
	'one "- slug: …" entry per actor'
);

export const concernsSchema = list(
	fields({
		slug,
		label: text,
		description: text,
		held_by: v.pipe(
			list(
				fields({
					actor: slug,
					kind: v.picklist(CONCERN_KINDS, `must be one of ${CONCERN_KINDS.join(', ')}`),
					summary: text,
					cites: v.pipe(
						cites,
						v.minLength(1, 'every held_by entry cites at least one paragraph, e.g. [1]')
					)
				}),
				'one "- actor: …" entry per actor holding the concern'
			),
			v.minLength(1, 'every concern is held by at least one actor')
		)
	}),
	'one "- slug: …" entry per concern'
);

export const glossarySchema = list(
	fields({
		term: text,
		definition: text,
		beyond_article: v.optional(
			v.nullable(
				v.strictObject({ note: text, source: text }, (issue) => {
					if (issue.expected === 'never')
						return `unknown field "${String(issue.path?.at(-1)?.key)}" in beyond_article (it takes a note and a source)`;
					if (issue.input === undefined) return 'beyond_article needs both a note and a source';
					return `must be a note and a source, not ${describe(issue)}`;
				})
			),
			null
		)
	}),
	'one "- term: …" entry per term'
);

export const timelineSchema = list(
	fields({
		when: text,
		sort: v.pipe(
			v.number((issue) => `must be a number used for ordering, not ${describe(issue)}`),
			v.finite('must be a finite number')
		),
		event: text,
		cites
	}),
	'one "- when: …" entry per event'
);

const SLOT_FORMS = 'each slot is a question id (e.g. q-us-why) or a draw (draw: 2, actor: russia)';

const questionSlot = v.pipe(
	v.string(),
	v.check((s) => s.trim() !== '', 'a question id must not be empty')
);

const drawSlot = fields(
	{
		draw: v.pipe(
			v.number((issue) => `draw must be a number of questions, not ${describe(issue)}`),
			v.integer('draw must be a whole number of questions'),
			v.minValue(1, 'draw at least 1 question'),
			v.maxValue(100, 'draw at most 100 questions')
		),
		actor: v.optional(v.nullable(slug), null),
		concern: v.optional(v.nullable(slug), null)
	},
	'a draw (draw: N, with actor: and/or concern:)'
);

// Chosen by the input's shape, so a misspelt field of a draw is named rather than lost in "one
// of two forms".
const quizSlot = v.lazy((input) =>
	typeof input === 'string'
		? questionSlot
		: typeof input === 'object' && input !== null && !Array.isArray(input)
			? drawSlot
			: v.never((issue) => `${SLOT_FORMS}, not ${describe(issue)}`)
);

export const quizzesSchema = list(
	fields({
		slug,
		title: text,
		description: v.optional(
			v.string((issue) => `must be text, not ${describe(issue)}`),
			''
		),
		questions: v.pipe(
			list(quizSlot, 'one "- q-id" or "- draw: N" line per slot'),
			v.maxLength(100, 'a quiz has at most 100 slots')
		)
	}),
	'one "- slug: …" entry per quiz'
);

export const lessonSchema = fields(
	{
		slug,
		title: text,
		summary: text,
		actors: v.optional(list(slug, 'e.g. [tech-firms, rights-groups]'), () => []),
		key_points: v.optional(list(text, 'one "- …" line per point'), () => []),
		check: v.optional(list(text, 'e.g. [q-us-why, q-us-pledge]'), () => [])
	},
	'front matter with key: value lines'
);
