// The content of the shipped course, checked on its own: the files are parsed here directly rather
// than through readPackage, so that a bug in the validator cannot hide a fault in the course.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCitations } from '../../src/lib/citations/index.ts';
import { parseGift } from '../../src/lib/gift/index.ts';
import { scoreResponse } from '../../src/lib/quiz/score.ts';

const DIR = 'content/un-cybercrime-treaty';
const read = (file: string) => readFileSync(join(DIR, file), 'utf8');

interface Holder {
	actor: string;
	summary: string;
	cites: number[];
}
interface Concern {
	slug: string;
	held_by: Holder[];
}

const course = parse(read('course.yaml'));
const actors: { slug: string; cites: number[] }[] = parse(read('actors.yaml'));
const concerns: Concern[] = parse(read('concerns.yaml'));
const glossary: { term: string }[] = parse(read('glossary.yaml'));
const timeline: unknown[] = parse(read('timeline.yaml'));

const paragraphs = read('article.txt')
	.split(/\n\s*\n/)
	.map((p) => p.trim())
	.filter((p) => p !== '');

const lessons = readdirSync(join(DIR, 'lessons'))
	.filter((f) => f.endsWith('.md'))
	.sort()
	.map((file) => {
		const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(read(`lessons/${file}`));
		if (!m) throw new Error(`${file} has no front matter`);
		return { file, front: parse(m[1]), body: m[2] };
	});

const gift = parseGift(read('questions.gift'));

/** Every string under `value`, with where it is, for messages. */
function strings(value: unknown, where: string): { where: string; text: string }[] {
	if (typeof value === 'string') return [{ where, text: value }];
	if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${where}[${i}]`));
	if (value && typeof value === 'object')
		return Object.entries(value).flatMap(([k, item]) => strings(item, `${where}.${k}`));
	return [];
}

/** Every `cites` list under `value`. */
function citesLists(value: unknown, where: string): { where: string; cites: unknown }[] {
	if (Array.isArray(value)) return value.flatMap((item, i) => citesLists(item, `${where}[${i}]`));
	if (value && typeof value === 'object')
		return Object.entries(value).flatMap(([k, item]) =>
			k === 'cites' ? [{ where: `${where}.cites`, cites: item }] : citesLists(item, `${where}.${k}`)
		);
	return [];
}

describe('the shipped course: UN cybercrime treaty', () => {
	it('has a four-paragraph article and no reference', () => {
		expect(paragraphs).toHaveLength(4);
		expect(read('article.txt')).not.toMatch(/^Reference:/im);
		expect(course.article.reference).toBeNull();
	});

	it('parses its question bank without errors', () => {
		expect(gift.errors).toEqual([]);
		expect(gift.questions.length).toBeGreaterThan(0);
	});

	it('cites only paragraphs that exist, in every prose field and every cites list', () => {
		const prose = [
			...strings(course, 'course.yaml'),
			...strings(actors, 'actors.yaml'),
			...strings(concerns, 'concerns.yaml'),
			...strings(glossary, 'glossary.yaml'),
			...strings(timeline, 'timeline.yaml'),
			...lessons.flatMap((l) => [
				...strings(l.front, l.file),
				{ where: `${l.file} body`, text: l.body }
			]),
			...gift.questions.flatMap((q) => strings(q, `question ${q.id}`))
		];
		const lists = [
			...citesLists(actors, 'actors.yaml'),
			...citesLists(concerns, 'concerns.yaml'),
			...citesLists(timeline, 'timeline.yaml'),
			...gift.questions.map((q) => ({ where: `question ${q.id}`, cites: q.cites }))
		];
		expect(prose.filter((p) => parseCitations(p.text).length > 0).length).toBeGreaterThan(50);

		const exists = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 4;
		const bad = [
			...prose.flatMap((p) =>
				parseCitations(p.text)
					.filter((n) => !exists(n))
					.map((n) => `${p.where} cites ¶${n}`)
			),
			...lists.flatMap((l) =>
				Array.isArray(l.cites)
					? l.cites.filter((n) => !exists(n)).map((n) => `${l.where} lists ${n}`)
					: [`${l.where} is not a list`]
			)
		];
		expect(bad).toEqual([]);
	});

	it('uses every question type', () => {
		expect(new Set(gift.questions.map((q) => q.type))).toEqual(
			new Set(['mc', 'multi', 'tf', 'short', 'matching', 'numerical', 'ordering'])
		);
	});

	it('has every actor hold at least one concern', () => {
		const held = new Set(concerns.flatMap((c) => c.held_by.map((h) => h.actor)));
		expect(actors.map((a) => a.slug).filter((slug) => !held.has(slug))).toEqual([]);
	});

	it('has every concern held, each holder citing at least one paragraph', () => {
		const slugs = new Set(actors.map((a) => a.slug));
		for (const c of concerns) {
			expect(c.held_by.length, c.slug).toBeGreaterThan(0);
			for (const h of c.held_by) {
				expect(slugs.has(h.actor), `${c.slug}: ${h.actor}`).toBe(true);
				expect(h.cites.length, `${c.slug}: ${h.actor}`).toBeGreaterThan(0);
			}
		}
	});

	it('has at least five lessons, each citing the article', () => {
		expect(lessons.length).toBeGreaterThanOrEqual(5);
		for (const l of lessons) expect(parseCitations(l.body).length, l.file).toBeGreaterThan(0);
	});

	it('has question explanations that cite the article', () => {
		for (const q of gift.questions)
			expect(parseCitations(q.explanation ?? '').length, q.id ?? undefined).toBeGreaterThan(0);
	});

	it('has the five actors with a view of their own', () => {
		expect(actors.map((a) => a.slug).sort()).toEqual(
			['budapest-critics', 'russia', 'rights-groups', 'tech-firms', 'us-administration'].sort()
		);
	});

	it('gives the appeal to member nations to the groups who made it: member nations are addressed', () => {
		// ¶3: "over 100 groups urged member nations to reject the treaty unless significant changes
		// are made". The member nations hold no view in the article.
		const holders = concerns.flatMap((c) => c.held_by.map((h) => ({ concern: c.slug, ...h })));
		expect(holders.filter((h) => h.actor === 'un-member-nations')).toEqual([]);
		const appeal = concerns.find((c) => c.slug === 'conditional-rejection');
		expect(appeal?.held_by.map((h) => h.actor)).toEqual(['rights-groups']);
		const question = gift.questions.find((q) => q.id === 'q-member-nations');
		expect([question?.actor, question?.concern]).toEqual([
			'rights-groups',
			'conditional-rejection'
		]);
		const stances = gift.questions.find((q) => q.id === 'q-actor-stance-match');
		expect(stances?.type === 'matching' && stances.pairs.map((p) => p.left)).not.toContain(
			'Member nations'
		);
	});

	it('keeps the "some critics" of ¶4 apart from the "many" who feel existing agreements would do better', () => {
		const critics = concerns.flatMap((c) =>
			c.held_by.filter((h) => h.actor === 'budapest-critics').map((h) => h.summary)
		);
		expect(critics.length).toBeGreaterThan(0);
		for (const summary of critics) expect(summary).not.toMatch(/\bmany\b/i);
		for (const id of ['q-budapest-alternative', 'q-critics-provisions'])
			expect(gift.questions.find((q) => q.id === id)?.actor ?? null, id).toBeNull();
		const match = gift.questions.find((q) => q.id === 'q-actor-concern-match');
		if (match?.type !== 'matching') throw new Error('q-actor-concern-match is a matching question');
		for (const pair of match.pairs) expect(pair.right).not.toMatch(/\bmany\b/i);
	});

	it("keeps the firms' online freedom (¶1) and the groups' online activism (¶3) as two concerns", () => {
		const holdersOf = (slug: string) =>
			concerns.find((c) => c.slug === slug)?.held_by.map((h) => [h.actor, h.cites]);
		expect(holdersOf('online-freedom')).toEqual([['tech-firms', [1]]]);
		expect(holdersOf('online-activism')).toEqual([['rights-groups', [3]]]);
	});

	it('cites in the course summary only the paragraph that names the human rights groups', () => {
		expect(course.summary).toMatch(/human rights groups \[¶3\]\./);
		expect(paragraphs[3]).not.toMatch(/human rights/i);
	});

	it('accepts the natural short answers', () => {
		const accepts = (id: string, text: string) => {
			const q = gift.questions.find((x) => x.id === id);
			if (!q) throw new Error(`no question ${id}`);
			return scoreResponse(q, { type: 'short', text }).correct;
		};
		for (const text of ['surveillance powers', 'Police surveillance powers', 'surveillance'])
			expect(accepts('q-surveillance-short', text), text).toBe(true);
		for (const text of ['Budapest', 'the Budapest Convention.', 'budapest convention'])
			expect(accepts('q-budapest-short', text), text).toBe(true);
		expect(accepts('q-budapest-short', 'Geneva Convention')).toBe(false);
	});

	it('never makes a single-choice key recognisable as the longest option', () => {
		for (const q of gift.questions) {
			if (q.type !== 'mc') continue;
			const key = q.choices.find((c) => c.correct);
			const longestOther = Math.max(
				...q.choices.filter((c) => !c.correct).map((c) => c.text.length)
			);
			expect(key?.text.length, q.id ?? undefined).toBeLessThanOrEqual(longestOther);
		}
	});

	it('speaks to students, not about how the course was put together', () => {
		const studentText = [
			...strings(actors, 'actors.yaml'),
			...strings(concerns, 'concerns.yaml'),
			...lessons.map((l) => ({ where: l.file, text: l.body })),
			...gift.questions.map((q) => ({ where: q.id ?? '', text: JSON.stringify(q) }))
		];
		for (const { where, text } of studentText)
			expect(text, where).not.toMatch(/this course groups|under this actor/i);
	});

	it('shows the firms and the rights groups sharing the fear for security research', () => {
		const concern = concerns.find((c) => c.slug === 'security-research');
		expect(concern?.held_by.map((h) => h.actor)).toEqual(
			expect.arrayContaining(['tech-firms', 'rights-groups'])
		);
	});

	it('explains the Budapest Convention in the glossary', () => {
		expect(glossary.map((t) => t.term)).toContain('Budapest Convention');
	});
});

describe('the shipped bank’s feedback never contradicts its verdict', () => {
	it('no wrong option’s feedback says it is right, no right option’s says it is wrong', () => {
		const agrees = (text: string | null, right: boolean) =>
			!text || (right ? !/^(No|Not|Wrong)\b/.test(text) : !/^(Yes|Right|Correct)\b/.test(text));
		const clashes: string[] = [];
		for (const q of gift.questions) {
			if (q.type === 'mc')
				for (const c of q.choices)
					if (!agrees(c.feedback, c.correct)) clashes.push(`${q.id}: ${c.text}`);
			if (q.type === 'multi')
				for (const o of q.options)
					if (!agrees(o.feedback, o.weight > 0)) clashes.push(`${q.id}: ${o.text}`);
			if (q.type === 'tf') {
				if (!agrees(q.feedbackIfRight, true)) clashes.push(`${q.id}: if right`);
				if (!agrees(q.feedbackIfWrong, false)) clashes.push(`${q.id}: if wrong`);
			}
		}
		expect(clashes).toEqual([]);
	});
});
