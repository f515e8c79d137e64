import { sql } from 'kysely';
import type { Db } from '../../src/lib/server/db/connect.ts';
import type { Plan } from './discussion-plan.ts';

// The discussions' rows: threads, posts (bodies assembled in SQL from a bank of sentences), votes,
// flags, the moderation log those flags and hidden posts imply, read markers and reply
// notifications. unnest of arrays, in chunks of CHUNK rows, or INSERT … SELECT from what is there.

const CHUNK = 50_000;

const TITLES = [
	'Does the treaty protect security researchers?',
	'Who decides what counts as a cybercrime?',
	'Budapest Convention vs. the new treaty',
	'Why did Russia push for this?',
	'Human-rights safeguards: enough or not?',
	'What the tech firms are actually afraid of',
	'Data sharing between police forces',
	'Is “serious crime” defined anywhere?',
	'Question about paragraph 4',
	'Reading notes for this week'
];

const SENTENCES = [
	'The article quotes the U.S. administration saying the treaty comes with safeguards.',
	'I am not convinced that the safeguards are binding on every signatory.',
	'Rights groups warn that the definitions are broad enough to cover journalism.',
	'Security researchers test systems without permission all the time, and they worry about that.',
	'Russia proposed the treaty, which is part of why critics are suspicious of it.',
	'The Budapest Convention already covers most of this, according to its defenders.',
	'**Who** gets to decide what “serious crime” means in practice?',
	'> The treaty would let police request data across borders.',
	'That is the part I found most worrying when I read it.',
	'I think the firms are mainly concerned about liability, not freedom.',
	'Can someone point me to the paragraph where this is discussed?',
	'Good point, but the article says the opposite a few lines later.',
	'Over 100 groups signed the letter, so it is not a fringe view.',
	'We discussed this in class: the answer depends on how each country implements it.',
	'I changed my mind after re-reading the second half of the article.',
	'The administration says critics misread the text; the critics say the text is the problem.',
	'It would help to compare this with how extradition treaties work.',
	'_Dual criminality_ is the key idea here, I think.',
	'Thanks, that clears it up.',
	'I disagree: the article never says the treaty is final.'
];

async function chunked(n: number, run: (from: number, to: number) => Promise<unknown>) {
	for (let from = 0; from < n; from += CHUNK) await run(from, Math.min(n, from + CHUNK));
}

const ts = (secs: number[]) => secs.map((x) => new Date(x * 1000).toISOString());
const tsOrNull = (secs: (number | null)[]) =>
	secs.map((x) => (x === null ? null : new Date(x * 1000).toISOString()));

export async function insertThreads(
	db: Db,
	plan: Plan,
	lessonIds: number[],
	actorIds: number[]
): Promise<number> {
	const t = plan.threads;
	await sql`
		insert into threads (id, class_id, title, anchor, lesson_id, actor_id, created_by, created_at,
			last_post_at, locked_at, pinned_at)
		select t.id, t.class_id,
			(${TITLES}::text[])[1 + t.id % ${TITLES.length}],
			t.anchor,
			case when t.anchor = 'lesson' then (${lessonIds}::int[])[1 + t.id % ${lessonIds.length}] end,
			case when t.anchor = 'actor' then (${actorIds}::int[])[1 + t.id % ${actorIds.length}] end,
			t.created_by, t.created_at, t.last_post_at,
			case when t.locked then t.last_post_at + interval '1 day' end,
			case when t.pinned then t.created_at + interval '1 hour' end
		from unnest(${t.id}::int[], ${t.classId}::int[], ${t.anchor}::text[], ${t.createdBy}::int[],
			${ts(t.createdAt)}::timestamptz[], ${ts(t.lastPostAt)}::timestamptz[], ${t.locked}::bool[],
			${t.pinned}::bool[]) as t(id, class_id, anchor, created_by, created_at, last_post_at, locked, pinned)`.execute(
		db
	);
	await sql`select setval(pg_get_serial_sequence('threads', 'id'), ${t.id.length})`.execute(db);
	return t.id.length;
}

export async function insertPosts(db: Db, plan: Plan): Promise<number> {
	const p = plan.posts;
	await chunked(p.id.length, (a, b) =>
		sql`
		insert into posts (id, class_id, thread_id, parent_id, path, depth, author_id, body, status,
			status_reason, votes, created_at)
		select p.id, p.class_id, p.thread_id, p.parent_id, p.path, p.depth, p.author_id,
			array_to_string(array(
				select (${SENTENCES}::text[])[1 + abs(hashint4(p.id * 31 + g)) % ${SENTENCES.length}]
				from generate_series(1, 1 + abs(hashint4(p.id)) % 5) g), ' ')
				|| case when p.id % 4 = 0 then E'\n\n' || (${SENTENCES}::text[])[1 + p.id % ${SENTENCES.length}] else '' end,
			p.status, p.reason, p.votes, p.created_at
		from unnest(${p.id.slice(a, b)}::int[], ${p.classId.slice(a, b)}::int[],
			${p.threadId.slice(a, b)}::int[], ${p.parentId.slice(a, b)}::int[], ${p.path.slice(a, b)}::text[],
			${p.depth.slice(a, b)}::int[], ${p.authorId.slice(a, b)}::int[], ${p.status.slice(a, b)}::text[],
			${p.reason.slice(a, b)}::text[], ${p.votes.slice(a, b)}::int[], ${ts(p.createdAt.slice(a, b))}::timestamptz[])
			as p(id, class_id, thread_id, parent_id, path, depth, author_id, status, reason, votes, created_at)`.execute(
			db
		)
	);
	await sql`select setval(pg_get_serial_sequence('posts', 'id'), ${p.id.length})`.execute(db);
	return p.id.length;
}

export async function insertVotes(db: Db, plan: Plan): Promise<number> {
	const v = plan.votes;
	await chunked(v.postId.length, (a, b) =>
		sql`insert into post_votes (post_id, user_id, created_at)
			select v.post_id, v.user_id, p.created_at + interval '2 hours'
			from unnest(${v.postId.slice(a, b)}::int[], ${v.userId.slice(a, b)}::int[]) as v(post_id, user_id)
			join posts p on p.id = v.post_id`.execute(db)
	);
	return v.postId.length;
}

export async function insertFlags(db: Db, plan: Plan): Promise<number> {
	const f = plan.flags;
	await sql`
		insert into flags (class_id, post_id, user_id, reason, created_at, resolved_at, resolved_by, outcome)
		select * from unnest(${f.classId}::int[], ${f.postId}::int[], ${f.userId}::int[], ${f.reason}::text[],
			${ts(f.createdAt)}::timestamptz[], ${tsOrNull(f.resolvedAt)}::timestamptz[],
			${f.resolvedBy}::int[], ${f.outcome}::text[])`.execute(db);
	return f.postId.length;
}

/**
 * What moderatePost and dismissFlags would have logged: a hide or remove per such post, a dismissal
 * per post whose flags were dismissed, an approval per post that was once held, lock and pin.
 */
export async function insertModerationLog(db: Db): Promise<number> {
	const r = await sql`
		insert into moderation_log (class_id, actor_id, actor_name, action, target_kind, target_id,
			target_label, reason, details, created_at)
		select p.class_id, m.id, m.name, 'post.' || case p.status when 'hidden' then 'hide' else 'remove' end,
			'post', p.id,
			coalesce(a.name, 'A former member') || ': “' || left(regexp_replace(p.body, '\\s+', ' ', 'g'), 79)
				|| '…” in “' || t.title || '”',
			p.status_reason, jsonb_build_object('from', 'visible', 'to', p.status),
			p.created_at + interval '1 day 12 hours'
		from posts p
		join threads t on t.id = p.thread_id
		join classes k on k.id = p.class_id
		join users m on m.id = k.created_by
		left join users a on a.id = p.author_id
		where p.status in ('hidden', 'removed')
		union all
		select f.class_id, u.id, u.name, 'flag.dismiss', 'post', f.post_id, 'Post ' || f.post_id, '',
			jsonb_build_object('flags', count(*)), max(f.resolved_at)
		from flags f join users u on u.id = f.resolved_by
		where f.outcome = 'dismissed'
		group by f.class_id, u.id, u.name, f.post_id
		union all
		select p.class_id, m.id, m.name, 'post.approve', 'post', p.id,
			coalesce(a.name, 'A former member') || ': “' || left(regexp_replace(p.body, '\\s+', ' ', 'g'), 79)
				|| '…” in “' || t.title || '”',
			'', jsonb_build_object('from', 'pending', 'to', 'visible'), p.created_at + interval '3 hours'
		from posts p
		join threads t on t.id = p.thread_id
		join classes k on k.id = p.class_id
		join users m on m.id = k.created_by
		left join users a on a.id = p.author_id
		where p.status = 'visible' and p.id % 61 = 0
		union all
		select t.class_id, m.id, m.name, x.action, 'thread', t.id, t.title, '', '{}'::jsonb, x.at
		from threads t
		join classes k on k.id = t.class_id
		join users m on m.id = k.created_by
		cross join lateral (values ('thread.lock', t.locked_at), ('thread.pin', t.pinned_at)) x(action, at)
		where x.at is not null
		order by 10`.execute(db);
	return Number(r.numAffectedRows ?? 0);
}

/** About two in five members have opened each thread of their class; some have not read its end. */
export async function insertThreadReads(db: Db): Promise<number> {
	const r = await sql`
		insert into thread_reads (thread_id, user_id, read_at)
		select t.id, m.user_id,
			case when abs(hashint8(t.id::bigint * 7919 + m.user_id)) % 4 = 0
				then t.created_at + (t.last_post_at - t.created_at) / 2
				else t.last_post_at + interval '1 hour' end
		from threads t
		join memberships m on m.class_id = t.class_id
		where abs(hashint8(t.id::bigint * 104729 + m.user_id)) % 100 < 40`.execute(db);
	return Number(r.numAffectedRows ?? 0);
}

/** A reply notification for each visible reply to someone else's post; the older ones read. */
export async function insertNotifications(db: Db): Promise<number> {
	const r = await sql`
		insert into notifications (user_id, class_id, kind, post_id, thread_id, message, created_at, read_at)
		select parent.author_id, p.class_id, 'reply', p.id, p.thread_id,
			coalesce(u.name, 'Someone') || ' replied to your post in “' || t.title || '”.',
			p.created_at,
			case when p.created_at < now() - interval '3 days' then p.created_at + interval '5 hours' end
		from posts p
		join posts parent on parent.id = p.parent_id
		join threads t on t.id = p.thread_id
		left join users u on u.id = p.author_id
		where p.status = 'visible' and parent.status <> 'deleted'
			and parent.author_id is not null and parent.author_id is distinct from p.author_id
		order by p.id`.execute(db);
	return Number(r.numAffectedRows ?? 0);
}
