/**
 * The moderation queue of a class: posts with open flags (each flag's reason and who raised it)
 * and posts held for review, oldest first; and each member's flag history (flags raised and how
 * they ended, flags received, restrictions). Both are read a page at a time, with the total in the
 * same statement (a window count), so a page costs the same whether 20 or 2,000 posts await review
 * and whether the class has 30 members or 300. The histories count each table once per class
 * (grouped), not once per member in correlated subqueries.
 */
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Executor } from '../db/index.ts';
import type { PostStatus } from '../db/types.ts';
import { pageOf, type Paged } from '../db/paging.ts';

export interface QueueItem {
	postId: number;
	threadId: number;
	threadTitle: string;
	authorId: number | null;
	author: string | null;
	body: string;
	status: PostStatus;
	statusReason: string | null;
	createdAt: Date;
	flags: { by: string | null; reason: string; at: Date }[];
}

export interface MemberHistory {
	userId: number;
	name: string;
	role: string;
	flagsRaised: number;
	flagsUpheld: number;
	flagsDismissed: number;
	flagsReceived: number;
	postsHidden: number;
	silencedUntil: Date | null;
	premoderated: boolean;
}

/** Queue items a page: a moderator works through them oldest first. */
export const QUEUE_PAGE_SIZE = 20;
/** Members a page of the flag-history table, in name order. */
export const MEMBERS_PAGE_SIZE = 50;

export async function moderationQueue(
	db: Executor,
	classId: number,
	page = 1
): Promise<Paged<QueueItem>> {
	const read = (limit: number, offset: number) =>
		db
			.selectFrom('posts as p')
			.innerJoin('threads as t', 't.id', 'p.thread_id')
			.leftJoin('users as u', 'u.id', 'p.author_id')
			.select((eb) => [
				'p.id as postId',
				'p.thread_id as threadId',
				't.title as threadTitle',
				'p.author_id as authorId',
				'u.name as author',
				'p.body',
				'p.status',
				'p.status_reason as statusReason',
				'p.created_at as createdAt',
				sql<string>`count(*) over ()`.as('total'),
				jsonArrayFrom(
					eb
						.selectFrom('flags as f')
						.leftJoin('users as fu', 'fu.id', 'f.user_id')
						.select(['fu.name as by', 'f.reason', 'f.created_at as at'])
						.whereRef('f.post_id', '=', 'p.id')
						.where('f.resolved_at', 'is', null)
						.orderBy('f.id')
				).as('flags')
			])
			.where('p.class_id', '=', classId)
			// The candidates come from two small indexed sets (held posts, open flags), so the queue's
			// cost follows what awaits review, not how many posts the class has.
			.where('p.id', 'in', (eb) =>
				eb
					.selectFrom('posts as held')
					.select('held.id')
					.where('held.class_id', '=', classId)
					.where('held.status', '=', 'pending')
					.union(
						eb
							.selectFrom('flags as open')
							.select('open.post_id as id')
							.where('open.class_id', '=', classId)
							.where('open.resolved_at', 'is', null)
					)
			)
			.where((w) =>
				w.or([
					w('p.status', '=', 'pending'),
					w.and([
						w('p.status', 'in', ['visible', 'hidden']),
						w.exists(
							w
								.selectFrom('flags as f')
								.select(sql`1`.as('x'))
								.whereRef('f.post_id', '=', 'p.id')
								.where('f.resolved_at', 'is', null)
						)
					])
				])
			)
			.orderBy('p.created_at')
			.orderBy('p.id')
			.limit(limit)
			.offset(offset)
			.execute();
	const result = await pageOf(QUEUE_PAGE_SIZE, page, read);
	return {
		...result,
		rows: result.rows.map((r) => ({
			...r,
			createdAt: new Date(r.createdAt),
			flags: r.flags.map((f) => ({ ...f, at: new Date(f.at) }))
		}))
	};
}

export async function memberHistories(
	db: Executor,
	classId: number,
	page = 1
): Promise<Paged<MemberHistory>> {
	const read = async (limit: number, offset: number) =>
		(
			await sql<{
				user_id: number;
				name: string;
				role: string;
				raised: number;
				upheld: number;
				dismissed: number;
				received: number;
				hidden: number;
				silenced_until: Date | null;
				premoderated: boolean | null;
				total: string;
			}>`
		with raised as (
			select f.user_id, count(*)::int as raised,
				count(*) filter (where f.outcome in ('hidden', 'removed'))::int as upheld,
				count(*) filter (where f.outcome = 'dismissed')::int as dismissed
			from flags f where f.class_id = ${classId}
			group by f.user_id
		),
		received as (
			select p.author_id, count(*)::int as received
			from flags f join posts p on p.id = f.post_id
			where f.class_id = ${classId}
			group by p.author_id
		),
		hidden as (
			select p.author_id, count(*)::int as hidden
			from posts p where p.class_id = ${classId} and p.status in ('hidden', 'removed')
			group by p.author_id
		)
		select m.user_id, u.name, m.role,
			coalesce(fr.raised, 0) as raised, coalesce(fr.upheld, 0) as upheld,
			coalesce(fr.dismissed, 0) as dismissed, coalesce(rc.received, 0) as received,
			coalesce(h.hidden, 0) as hidden,
			r.silenced_until, r.premoderated, count(*) over () as total
		from memberships m
		-- Each member's user by key (offset 0: not flattened into a hash join over every user).
		cross join lateral (select name from users where id = m.user_id offset 0) u
		left join member_restrictions r on r.class_id = m.class_id and r.user_id = m.user_id
		left join raised fr on fr.user_id = m.user_id
		left join received rc on rc.author_id = m.user_id
		left join hidden h on h.author_id = m.user_id
		where m.class_id = ${classId} and m.role <> 'instructor'
		order by u.name, m.user_id
		limit ${limit} offset ${offset}`.execute(db)
		).rows;
	const result = await pageOf(MEMBERS_PAGE_SIZE, page, read);
	return {
		...result,
		rows: result.rows.map((r) => ({
			userId: r.user_id,
			name: r.name,
			role: r.role,
			flagsRaised: r.raised,
			flagsUpheld: r.upheld,
			flagsDismissed: r.dismissed,
			flagsReceived: r.received,
			postsHidden: r.hidden,
			silencedUntil: r.silenced_until ? new Date(r.silenced_until) : null,
			premoderated: r.premoderated ?? false
		}))
	};
}
