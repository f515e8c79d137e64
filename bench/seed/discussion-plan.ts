import { BIG_CLASS, instructorOfClass, moderatorsOf, rng, type Sizes } from './layout.ts';

// The shape of the discussions, worked out in memory: which class each thread is in, how many
// posts it has, and each post's parent, path (as posts.ts writes it), author, time and status.
// Hidden, removed, pending and deleted posts are never replied to, as the app would not allow.

export interface ThreadPlan {
	id: number[];
	classId: number[];
	anchor: string[];
	createdBy: number[];
	createdAt: number[];
	lastPostAt: number[];
	locked: boolean[];
	pinned: boolean[];
	posts: number[];
}

export interface PostPlan {
	id: number[];
	threadId: number[];
	classId: number[];
	parentId: (number | null)[];
	path: string[];
	depth: number[];
	authorId: number[];
	createdAt: number[];
	status: string[];
	reason: (string | null)[];
	votes: number[];
}

export interface Plan {
	threads: ThreadPlan;
	posts: PostPlan;
	votes: { postId: number[]; userId: number[] };
	flags: {
		postId: number[];
		classId: number[];
		userId: number[];
		reason: string[];
		createdAt: number[];
		resolvedAt: (number | null)[];
		resolvedBy: (number | null)[];
		outcome: (string | null)[];
	};
}

const FLAG_REASONS = ['Disrespectful or abusive', 'Misrepresents the article', 'Off topic', 'Spam'];
const HIDE_REASONS = ['Off topic', 'Personal remarks about a classmate', 'Misquotes the article'];
const DAY = 86_400;

/** How many posts each thread has: the fixed threads, some long ones (500–900), the rest skewed. */
function threadSizes(s: Sizes, random: () => number): number[] {
	const sizes = [...s.fixedThreads];
	const rest = s.threads - sizes.length;
	const long = Math.min(Math.floor(s.threads / 250), Math.floor((s.posts - sum(sizes)) / 2000));
	for (let i = 0; i < long; i++) sizes.push(500 + Math.floor(random() * 400));
	const left = s.posts - sum(sizes);
	const n = rest - long;
	const weights = Array.from({ length: n }, () => -Math.log(1 - random()) + 0.15);
	const total = sum(weights);
	const small = weights.map((w) => Math.max(1, Math.floor((left * w) / total)));
	let over = sum(small) - left;
	for (let i = 0; over !== 0; i = (i + 1) % n) {
		if (over > 0 && small[i] > 1) {
			small[i]--;
			over--;
		} else if (over < 0) {
			small[i]++;
			over++;
		}
	}
	// Long threads spread through the list rather than all in one class.
	const out = sizes.slice(0, s.fixedThreads.length);
	const longs = sizes.slice(s.fixedThreads.length);
	const every = Math.max(1, Math.floor(n / Math.max(1, longs.length)));
	small.forEach((v, i) => {
		if (i % every === 0 && longs.length) out.push(longs.shift()!);
		out.push(v);
	});
	out.push(...longs);
	return out;
}

function sum(xs: number[]): number {
	return xs.reduce((a, b) => a + b, 0);
}

export function planDiscussions(s: Sizes, roster: number[][], now: number): Plan {
	const random = rng(20261202);
	const sizes = threadSizes(s, random);
	const threads: ThreadPlan = {
		id: [],
		classId: [],
		anchor: [],
		createdBy: [],
		createdAt: [],
		lastPostAt: [],
		locked: [],
		pinned: [],
		posts: []
	};
	const posts: PostPlan = {
		id: [],
		threadId: [],
		classId: [],
		parentId: [],
		path: [],
		depth: [],
		authorId: [],
		createdAt: [],
		status: [],
		reason: [],
		votes: []
	};
	const votes = { postId: [] as number[], userId: [] as number[] };
	const flags: Plan['flags'] = {
		postId: [],
		classId: [],
		userId: [],
		reason: [],
		createdAt: [],
		resolvedAt: [],
		resolvedBy: [],
		outcome: []
	};
	const fixed = s.fixedThreads.length;
	let postId = 0;
	sizes.forEach((n, i) => {
		const id = i + 1;
		const classId = id <= fixed ? BIG_CLASS : 1 + ((id - fixed - 1) % s.classes);
		const members = roster[classId];
		const instructor = instructorOfClass(s, classId);
		const mods = moderatorsOf(members, classId);
		const author = () =>
			random() < 0.04 ? instructor : members[Math.floor(random() * members.length)];
		const age = (5 + random() * 85) * DAY;
		const start = now - age;
		const span = age * (0.3 + random() * 0.65);
		const mine: { id: number; path: string; depth: number; visible: boolean }[] = [];
		let last = start;
		for (let k = 0; k < n; k++) {
			const pid = ++postId;
			const at = start + (span * k) / Math.max(1, n - 1) + random() * 60;
			let parent: (typeof mine)[number] | undefined;
			if (k > 0 && random() > 0.3) {
				const recent = mine.slice(-12).filter((p) => p.visible && p.depth < 8);
				parent = recent[Math.floor(random() * recent.length)];
			}
			const who = k === 0 ? (random() < 0.3 ? instructor : author()) : author();
			const r = k === 0 ? 1 : random();
			const status =
				r < 0.01
					? 'hidden'
					: r < 0.015
						? 'removed'
						: r < 0.02
							? 'deleted'
							: r < 0.027
								? 'pending'
								: 'visible';
			const path = (parent ? `${parent.path}.` : '') + String(pid).padStart(10, '0');
			const depth = parent ? parent.depth + 1 : 0;
			mine.push({ id: pid, path, depth, visible: status === 'visible' });
			let v = 0;
			if (status === 'visible' && random() < 0.15) {
				const voters = new Set<number>();
				const want = 1 + Math.floor(random() * 4);
				for (let t = 0; t < want * 2 && voters.size < want; t++) {
					const u = members[Math.floor(random() * members.length)];
					if (u !== who) voters.add(u);
				}
				for (const u of voters) {
					votes.postId.push(pid);
					votes.userId.push(u);
				}
				v = voters.size;
			}
			posts.id.push(pid);
			posts.threadId.push(id);
			posts.classId.push(classId);
			posts.parentId.push(parent?.id ?? null);
			posts.path.push(path);
			posts.depth.push(depth);
			posts.authorId.push(who);
			posts.createdAt.push(at);
			posts.status.push(status);
			posts.reason.push(
				status === 'pending'
					? 'Pre-moderation'
					: status === 'hidden' || status === 'removed'
						? HIDE_REASONS[pid % HIDE_REASONS.length]
						: null
			);
			posts.votes.push(v);
			if (status === 'visible' || status === 'hidden' || status === 'removed') {
				const flagged = status === 'visible' ? random() < 0.02 : random() < 0.7;
				if (flagged) {
					const open = status === 'visible' && random() < 0.3;
					const by = new Set<number>();
					for (let t = 0, want = 1 + Math.floor(random() * 3); t < 6 && by.size < want; t++) {
						const u = members[Math.floor(random() * members.length)];
						if (u !== who) by.add(u);
					}
					const resolver = mods.length && random() < 0.5 ? mods[0] : instructor;
					for (const u of by) {
						flags.postId.push(pid);
						flags.classId.push(classId);
						flags.userId.push(u);
						flags.reason.push(FLAG_REASONS[(pid + u) % FLAG_REASONS.length]);
						flags.createdAt.push(at + 600 + random() * DAY);
						flags.resolvedAt.push(open ? null : at + DAY * 1.5);
						flags.resolvedBy.push(open ? null : resolver);
						flags.outcome.push(open ? null : status === 'visible' ? 'dismissed' : status);
					}
				}
			}
			last = Math.max(last, at);
		}
		threads.id.push(id);
		threads.classId.push(classId);
		threads.anchor.push(
			id <= fixed ? 'general' : ['general', 'general', 'general', 'lesson', 'actor'][id % 5]
		);
		threads.createdBy.push(posts.authorId[postId - n]);
		threads.createdAt.push(start);
		threads.lastPostAt.push(last);
		threads.locked.push(id > fixed && id % 97 === 0);
		threads.pinned.push(id > fixed && id % 53 === 0);
		threads.posts.push(n);
	});
	return { threads, posts, votes, flags };
}
