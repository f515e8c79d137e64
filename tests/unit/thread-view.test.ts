import { describe, expect, test } from 'vitest';
import {
	buildThreadView,
	planThreadView,
	POSTS_PER_PAGE,
	ROOTS_PER_PAGE,
	SHOWN_DEPTH
} from '../../src/lib/server/discussion/thread-view.ts';
import type { PostRow } from '../../src/lib/server/discussion/posts.ts';
import type { Viewer } from '../../src/lib/server/discussion/viewer.ts';

const student: Viewer = { id: 1, name: 'Me', access: 'student' };
let clock = Date.UTC(2026, 0, 1);

function row(id: number, parent: PostRow | null, over: Partial<PostRow> = {}): PostRow {
	const own = String(id).padStart(10, '0');
	return {
		id,
		parentId: parent?.id ?? null,
		path: parent ? `${parent.path}.${own}` : own,
		depth: parent ? parent.depth + 1 : 0,
		authorId: 2,
		authorName: 'Other',
		authorRole: null,
		body: `post ${id}`,
		actorId: null,
		actorName: null,
		concernId: null,
		concernLabel: null,
		status: 'visible',
		statusReason: null,
		votes: 0,
		voted: false,
		createdAt: new Date((clock += 60_000)),
		editedAt: null,
		revisions: 0,
		openFlags: 0,
		...over
	};
}

const opts = { sort: 'oldest' as const, page: 1, rootId: null, readAt: null };
const general = { prompt: null };

describe('the thread view', () => {
	test('replies deeper than shown end in "continue this thread", whose view starts there', () => {
		const rows: PostRow[] = [row(1, null)];
		for (let i = 2; i <= SHOWN_DEPTH + 4; i++) rows.push(row(i, rows[rows.length - 1]));
		const view = buildThreadView(rows, general, student, opts);
		expect(view.posts.map((p) => p.depth)).toEqual(
			Array.from({ length: SHOWN_DEPTH + 1 }, (_, i) => i)
		);
		const last = view.posts.at(-1)!;
		expect(last.continues).toBe(3);
		const deeper = buildThreadView(rows, general, student, { ...opts, rootId: last.id });
		expect(deeper.root).toEqual({ id: last.id, parentId: last.parentId });
		expect(deeper.posts.map((p) => [p.id, p.depth])).toEqual([
			[last.id, 0],
			[last.id + 1, 1],
			[last.id + 2, 2],
			[last.id + 3, 3]
		]);
	});

	test('pages by top-level post; the first unread post and its page are found', () => {
		const rows = Array.from({ length: ROOTS_PER_PAGE + 5 }, (_, i) => row(100 + i, null));
		const readAt = rows[ROOTS_PER_PAGE + 1].createdAt;
		const view = buildThreadView(rows, general, student, { ...opts, readAt });
		expect(view.pages).toBe(2);
		expect(view.posts).toHaveLength(ROOTS_PER_PAGE);
		expect(view.unread).toBe(3);
		expect(view.firstUnread).toEqual({ id: rows[ROOTS_PER_PAGE + 2].id, page: 2, via: null });
		const two = buildThreadView(rows, general, student, { ...opts, page: 2 });
		expect(two.posts.map((p) => p.id)).toEqual(rows.slice(ROOTS_PER_PAGE).map((r) => r.id));
		// A post asked for by id brings its page.
		const focused = buildThreadView(rows, general, student, { ...opts, focusId: rows.at(-1)!.id });
		expect(focused.page).toBe(2);
	});

	test('a page holds whole conversations up to a budget of posts; a longer one has a page of its own', () => {
		// Conversations of 10 posts (a post and 9 replies under it), then one of 40, then one post.
		const rows: PostRow[] = [];
		const conversation = (replies: number) => {
			const top = row(rows.length + 1, null);
			rows.push(top);
			for (let i = 0; i < replies; i++) rows.push(row(rows.length + 1, top));
			return top.id;
		};
		const tens = [conversation(9), conversation(9), conversation(9), conversation(9)];
		const long = conversation(POSTS_PER_PAGE + 9);
		const single = conversation(0);
		const view = buildThreadView(rows, general, student, opts);
		// Three of ten fit in thirty; the fourth starts page 2, the long one has page 3 to itself.
		expect(view.pages).toBe(4);
		expect(view.posts.filter((p) => p.depth === 0).map((p) => p.id)).toEqual(tens.slice(0, 3));
		expect(view.posts).toHaveLength(30);
		const page = (n: number) =>
			buildThreadView(rows, general, student, { ...opts, page: n })
				.posts.filter((p) => p.depth === 0)
				.map((p) => p.id);
		expect([page(2), page(3), page(4)]).toEqual([[tens[3]], [long], [single]]);
		// A reply asked for by id brings its conversation's page.
		const focused = buildThreadView(rows, general, student, { ...opts, focusId: long + 5 });
		expect(focused.page).toBe(3);
	});

	test('newest first sorts siblings, not the tree away from its parents', () => {
		const a = row(1, null);
		const b = row(2, null);
		const a1 = row(3, a);
		const a2 = row(4, a);
		const view = buildThreadView([a, a1, a2, b], general, student, { ...opts, sort: 'newest' });
		expect(view.posts.map((p) => p.id)).toEqual([2, 1, 4, 3]);
	});

	test('others’ held posts are left out, hidden ones are placeholders without text', () => {
		const a = row(1, null);
		const held = row(2, a, { status: 'pending' });
		const hidden = row(3, a, { status: 'hidden', statusReason: 'rude' });
		const mine = row(4, a, { status: 'hidden', statusReason: 'rude', authorId: student.id });
		const view = buildThreadView([a, held, hidden, mine], general, student, opts);
		expect(view.posts.map((p) => [p.id, p.body, p.statusReason])).toEqual([
			[1, 'post 1', null],
			[3, null, null],
			[4, 'post 4', 'rude']
		]);
		const mod = buildThreadView(
			[a, held, hidden, mine],
			general,
			{ ...student, access: 'moderator' },
			opts
		);
		expect(mod.posts.map((p) => p.body)).toEqual(['post 1', 'post 2', 'post 3', 'post 4']);
	});

	test('anonymous prompts number classmates by first post; staff keep their names', () => {
		const prompt = {
			prompt: {
				instructions: '',
				opensAt: null,
				postFirst: false,
				anonymous: true,
				actorMode: 'none' as const
			}
		};
		const rows = [
			row(1, null, { authorId: 7, authorName: 'Zed' }),
			row(2, null, { authorId: 8, authorName: 'Yan' }),
			row(3, null, { authorId: 7, authorName: 'Zed' }),
			row(4, null, { authorId: 9, authorName: 'Tess', authorRole: 'instructor' }),
			row(5, null, { authorId: student.id, authorName: 'Me' })
		];
		const view = buildThreadView(rows, prompt, student, { ...opts, sort: 'newest' });
		expect(view.posts.map((p) => p.author)).toEqual([
			'You',
			'Tess',
			'Classmate 1',
			'Classmate 2',
			'Classmate 1'
		]);
	});

	test('a page takes its posts’ text from a second read: a post moved away meanwhile is left out, one hidden meanwhile shows no text', () => {
		const a = row(1, null);
		const b = row(2, a);
		const c = row(3, a);
		const plan = planThreadView([a, b, c], general, student, opts);
		expect(plan.shownIds).toEqual([1, 2, 3]);
		const details = new Map([
			[1, a],
			[3, { ...c, status: 'hidden' as const }]
		]);
		const posts = plan.fill(details);
		expect(posts.map((p) => [p.id, p.status, p.body])).toEqual([
			[1, 'visible', 'post 1'],
			[3, 'hidden', null]
		]);
	});
});
