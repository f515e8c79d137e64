/**
 * A thread's tree as one viewer may see it: what a student is shown of held, hidden, removed and
 * deleted posts (a placeholder, never the text), names hidden in anonymous prompts, nothing of
 * classmates before a post-first prompt is answered; then sorted, paged by whole conversations, cut at a
 * readable depth ("continue this thread"), with unread markers.
 *
 * Two steps, so a page of a long thread never reads the text of posts it does not show:
 * `planThreadView` works on the whole tree's narrow rows (`threadTree`: ids, parents, authors,
 * statuses, votes, times) and names the posts the page shows; `fill` then takes those posts'
 * text and names (`threadPostDetails`). `buildThreadView` does both from full rows.
 */
import type { PostStatus } from '../db/types.ts';
import type { PostDetail, PostRow, TreeRow } from './posts.ts';
import type { ThreadDetail } from './threads.ts';
import { moderates, roleLabel, type Viewer } from './viewer.ts';

export type Sort = 'oldest' | 'newest' | 'top';
export const SORTS: Sort[] = ['oldest', 'newest', 'top'];
/**
 * A page holds whole conversations (a top-level post with the replies shown under it): at most
 * ROOTS_PER_PAGE of them, and no more than POSTS_PER_PAGE posts unless one conversation alone is
 * longer (it then has a page of its own). Twenty busy conversations were 70 posts and 150 KB.
 */
export const ROOTS_PER_PAGE = 20;
export const POSTS_PER_PAGE = 30;
/** How deep replies are indented before "continue this thread". */
export const SHOWN_DEPTH = 5;

export interface PostView {
	id: number;
	parentId: number | null;
	/** Indentation below the shown root (0 = top level). */
	depth: number;
	author: string;
	authorRole: string | null;
	mine: boolean;
	status: PostStatus;
	/** Shown to the author and moderators. */
	statusReason: string | null;
	/** The Markdown source: null when the viewer may not read it. */
	body: string | null;
	actor: string | null;
	concern: string | null;
	votes: number;
	voted: boolean;
	createdAt: Date;
	editedAt: Date | null;
	unread: boolean;
	/** Moderators: earlier versions kept, open flags. */
	revisions: number;
	openFlags: number;
	/** Replies deeper than shown: link to continue from this post. */
	continues: number;
	replies: number;
}

export interface ThreadView {
	posts: PostView[];
	page: number;
	pages: number;
	/**
	 * The first unread post the viewer can see, its page, and the post to continue from when it
	 * sits deeper than shown.
	 */
	firstUnread: { id: number; page: number; via: number | null } | null;
	unread: number;
	/** For a post-first prompt the viewer has not answered yet. */
	waitingForOwnPost: boolean;
	/** Set when showing one post's subtree. */
	root: { id: number; parentId: number | null } | null;
	/** Posts that speak for each actor, visible ones only. */
	voices: Map<number, number>;
}

interface Node {
	row: TreeRow;
	children: Node[];
}

/** A post the page shows, before its text and names are read. */
interface ShownPost {
	row: TreeRow;
	depth: number;
	unread: boolean;
	continues: number;
	replies: number;
}

export interface ThreadPlan extends Omit<ThreadView, 'posts'> {
	/** The posts the page shows, in order: read their details for `fill`. */
	shownIds: number[];
	/**
	 * The page's posts with their details. A post whose details are missing (moved to another
	 * thread between the two reads) is left out; what may be read of a post follows the status
	 * its details carry, the later read.
	 */
	fill(details: ReadonlyMap<number, PostDetail>): PostView[];
}

function compare(sort: Sort) {
	return (a: Node, b: Node): number => {
		if (sort === 'newest')
			return b.row.createdAt.getTime() - a.row.createdAt.getTime() || b.row.id - a.row.id;
		if (sort === 'top') return b.row.votes - a.row.votes || a.row.id - b.row.id;
		return a.row.id - b.row.id;
	};
}

/** What of a post the viewer is shown; undefined: not even a placeholder. */
function readable(
	row: Pick<TreeRow, 'authorId' | 'status'>,
	viewer: Viewer
): 'full' | 'placeholder' | undefined {
	if (moderates(viewer)) return 'full';
	const mine = row.authorId === viewer.id;
	switch (row.status) {
		case 'visible':
			return 'full';
		case 'pending':
			return mine ? 'full' : 'placeholder';
		case 'hidden':
			return mine ? 'full' : 'placeholder';
		default:
			return 'placeholder';
	}
}

/** The view from full rows, in one step (the tree and the details are the same rows). */
export function buildThreadView(
	rows: PostRow[],
	thread: Pick<ThreadDetail, 'prompt'>,
	viewer: Viewer,
	opts: Parameters<typeof planThreadView>[3]
): ThreadView {
	const { shownIds: _ids, fill, ...plan } = planThreadView(rows, thread, viewer, opts);
	return { ...plan, posts: fill(new Map(rows.map((r) => [r.id, r]))) };
}

export function planThreadView(
	rows: TreeRow[],
	thread: Pick<ThreadDetail, 'prompt'>,
	viewer: Viewer,
	opts: {
		sort: Sort;
		page: number;
		rootId: number | null;
		readAt: Date | null;
		/** A post to show (from a search or a notification): its page is shown, whatever `page` says. */
		focusId?: number | null;
	}
): ThreadPlan {
	const mod = moderates(viewer);
	const anonymous = !mod && (thread.prompt?.anonymous ?? false);
	const waitingForOwnPost =
		!mod &&
		(thread.prompt?.postFirst ?? false) &&
		!rows.some((r) => r.authorId === viewer.id && r.status !== 'deleted' && r.status !== 'removed');

	const voices = new Map<number, number>();
	for (const r of rows) {
		if (r.status === 'visible' && r.actorId !== null) {
			voices.set(r.actorId, (voices.get(r.actorId) ?? 0) + 1);
		}
	}

	// Build the tree; a student's placeholders without anything readable below are dropped.
	const nodes = new Map<number, Node>();
	const tops: Node[] = [];
	for (const row of rows) {
		if (waitingForOwnPost && row.authorId !== viewer.id) continue;
		const node: Node = { row, children: [] };
		nodes.set(row.id, node);
		const parent = row.parentId === null ? undefined : nodes.get(row.parentId);
		if (parent) parent.children.push(node);
		else if (row.parentId === null || waitingForOwnPost) tops.push(node);
	}
	const keep = (n: Node): boolean => {
		n.children = n.children.filter(keep);
		const r = readable(n.row, viewer);
		if (r === 'full') return true;
		// Others' held posts are not shown at all unless replies hang from them.
		return n.children.length > 0 || (r === 'placeholder' && n.row.status !== 'pending');
	};
	let roots = tops.filter(keep);

	let root: ThreadView['root'] = null;
	if (opts.rootId !== null) {
		const n = nodes.get(opts.rootId);
		if (n && (mod || readable(n.row, viewer))) {
			roots = [n];
			root = { id: n.row.id, parentId: n.row.parentId };
		}
	}

	const order = compare(opts.sort);
	const sortTree = (list: Node[]) => {
		list.sort(order);
		for (const n of list) sortTree(n.children);
	};
	sortTree(roots);

	const isUnread = (r: TreeRow) =>
		r.status === 'visible' &&
		r.authorId !== viewer.id &&
		(opts.readAt === null || r.createdAt > opts.readAt);

	// Posts shown of a conversation: replies deeper than SHOWN_DEPTH sit behind "continue".
	const shownSize = (n: Node, depth: number): number =>
		depth >= SHOWN_DEPTH && n.children.length > 0
			? 1
			: n.children.reduce((sum, c) => sum + shownSize(c, depth + 1), 1);
	const pageOfRoot: number[] = [];
	let pages = 1;
	for (let i = 0, onPage = 0, postsOnPage = 0; i < roots.length; i++) {
		const size = shownSize(roots[i], 0);
		if (onPage > 0 && (onPage >= ROOTS_PER_PAGE || postsOnPage + size > POSTS_PER_PAGE)) {
			pages++;
			onPage = 0;
			postsOnPage = 0;
		}
		pageOfRoot.push(pages);
		onPage++;
		postsOnPage += size;
	}
	let firstUnread: ThreadView['firstUnread'] = null;
	let unread = 0;
	const names = new Map<number, string>();
	const nameOf = (r: TreeRow, authorName: string | null): string => {
		if (r.authorId === viewer.id) return 'You';
		if (r.authorId === null) return 'A former member';
		if (anonymous && r.authorRole === null) {
			let n = names.get(r.authorId);
			if (!n) names.set(r.authorId, (n = `Classmate ${names.size + 1}`));
			return n;
		}
		return authorName ?? 'A former member';
	};
	// Anonymous names are numbered in order of first post, whatever the sort.
	if (anonymous) for (const r of rows) if (nodes.has(r.id)) nameOf(r, null);

	let page = Math.min(Math.max(1, opts.page), pages);
	if (opts.focusId) {
		let top = nodes.get(opts.focusId)?.row;
		while (top?.parentId != null) top = nodes.get(top.parentId)?.row;
		const at = top ? roots.findIndex((n) => n.row.id === top.id) : -1;
		if (at >= 0) page = pageOfRoot[at];
	}
	const shown: ShownPost[] = [];
	const countAll = (n: Node): number => n.children.reduce((s, c) => s + 1 + countAll(c), 0);
	const walk = (n: Node, depth: number, pageOf: number) => {
		const r = n.row;
		const unreadHere = isUnread(r);
		if (unreadHere) {
			unread++;
			firstUnread ??= { id: r.id, page: pageOf, via: null };
		}
		const tooDeep = depth >= SHOWN_DEPTH && n.children.length > 0;
		if (pageOf === page) {
			const replies = countAll(n);
			shown.push({ row: r, depth, unread: unreadHere, continues: tooDeep ? replies : 0, replies });
		}
		if (tooDeep) {
			for (const c of n.children) countUnread(c, pageOf, r.id);
			return;
		}
		for (const c of n.children) walk(c, depth + 1, pageOf);
	};
	const countUnread = (n: Node, pageOf: number, via: number) => {
		if (isUnread(n.row)) {
			unread++;
			firstUnread ??= { id: n.row.id, page: pageOf, via };
		}
		for (const c of n.children) countUnread(c, pageOf, via);
	};
	roots.forEach((n, i) => walk(n, 0, pageOfRoot[i]));

	const fill = (details: ReadonlyMap<number, PostDetail>): PostView[] => {
		const posts: PostView[] = [];
		for (const s of shown) {
			const d = details.get(s.row.id);
			if (!d) continue;
			const r = { ...s.row, status: d.status };
			const full = readable(r, viewer) === 'full';
			const mine = r.authorId === viewer.id;
			posts.push({
				id: r.id,
				parentId: r.parentId,
				depth: s.depth,
				author: nameOf(r, d.authorName),
				authorRole: roleLabel(r.authorRole),
				mine,
				status: r.status,
				statusReason: mod || mine ? d.statusReason : null,
				body: full && r.status !== 'deleted' ? d.body : mod ? d.body : null,
				actor: full ? d.actorName : null,
				concern: full ? d.concernLabel : null,
				votes: r.votes,
				voted: d.voted,
				createdAt: r.createdAt,
				editedAt: full ? d.editedAt : null,
				unread: s.unread,
				revisions: mod ? d.revisions : 0,
				openFlags: mod ? d.openFlags : 0,
				continues: s.continues,
				replies: s.replies
			});
		}
		return posts;
	};
	const shownIds = shown.map((s) => s.row.id);
	return { shownIds, fill, page, pages, firstUnread, unread, waitingForOwnPost, root, voices };
}
