/**
 * Full-text search of a class's discussions (Postgres `websearch_to_tsquery` over the posts' GIN
 * index). A student finds only what they could read in the thread: visible posts, not those of a
 * post-first prompt they have not answered, and no classmate's name in an anonymous prompt.
 */
import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import { moderates, type Viewer } from './viewer.ts';

export interface SearchHit {
	postId: number;
	threadId: number;
	threadTitle: string;
	author: string;
	/** Plain text with the matches between \u0001 and \u0002 (the page escapes, then marks them). */
	snippet: string;
	createdAt: Date;
}

export const MAX_QUERY = 200;
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';

export async function searchPosts(
	db: Executor,
	classId: number,
	viewer: Viewer,
	query: string,
	limit = 30
): Promise<SearchHit[]> {
	const q = query
		.replace(/\p{Cc}/gu, ' ')
		.trim()
		.slice(0, MAX_QUERY);
	if (!q) return [];
	const mod = moderates(viewer);
	const { rows } = await sql<{
		post_id: number;
		thread_id: number;
		title: string;
		author: string | null;
		author_id: number | null;
		role: string | null;
		anonymous: boolean | null;
		snippet: string;
		created_at: Date;
	}>`
		select p.id as post_id, p.thread_id, t.title, u.name as author, p.author_id, m.role,
			a.anonymous,
			ts_headline('english', p.body, websearch_to_tsquery('english', ${q}),
				'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=30, MinWords=12, MaxFragments=2') as snippet,
			p.created_at
		from posts p
		join threads t on t.id = p.thread_id
		left join assignments a on a.id = t.assignment_id
		left join users u on u.id = p.author_id
		left join memberships m on m.class_id = p.class_id and m.user_id = p.author_id
		where p.class_id = ${classId}
			and p.search @@ websearch_to_tsquery('english', ${q})
			and ${
				mod
					? sql`p.status <> 'deleted'`
					: sql`(p.status = 'visible' or (p.author_id = ${viewer.id} and p.status in ('pending', 'hidden')))
						and (a.post_first is not true or exists (
							select 1 from posts mine where mine.thread_id = t.id and mine.author_id = ${viewer.id}
								and mine.status not in ('deleted', 'removed')))`
			}
		order by ts_rank(p.search, websearch_to_tsquery('english', ${q})) desc, p.id desc
		limit ${limit}`.execute(db);
	return rows.map((r) => ({
		postId: r.post_id,
		threadId: r.thread_id,
		threadTitle: r.title,
		author:
			r.author_id === viewer.id
				? 'You'
				: !mod && r.anonymous && (r.role === 'student' || r.role === null)
					? 'A classmate'
					: (r.author ?? 'A former member'),
		snippet: r.snippet,
		createdAt: new Date(r.created_at)
	}));
}
