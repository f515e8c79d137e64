// The content of the shipped course, checked on its own: the files are parsed here directly rather
// than through readPackage, so that a bug in the validator cannot hide a fault in the course.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCitations } from '../../src/lib/citations/index.ts';
import { parseGift } from '../../src/lib/gift/index.ts';

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
			expect(parseCitations(q.explanation ?? '').length, q.id).toBeGreaterThan(0);
	});

	it('has the six actors of the article', () => {
		expect(actors.map((a) => a.slug)).toEqual(
			expect.arrayContaining([
				'us-administration',
				'russia',
				'tech-firms',
				'rights-groups',
				'budapest-critics',
				'un-member-nations'
			])
		);
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
