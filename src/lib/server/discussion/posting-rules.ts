/**
 * What the server checks before a post is written, whatever the page showed: the thread is not
 * locked, the member is not silenced, slow mode and the posting rate are kept, the prompt is open,
 * and whether the post goes out at once or is held for review (pre-moderation). Moderators are
 * exempt from all but the rate limits. One query reads everything the rules need.
 */
import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import { defineRule, limitedUntil, recordHit, type RateRule } from '../auth/rate-limit.ts';
import type { ThreadDetail } from './threads.ts';
import { moderates, type Viewer } from './viewer.ts';

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

export const POST_RULES = {
	burst: defineRule({ bucket: 'post-burst', max: 6, windowMs: MINUTE }),
	daily: defineRule({ bucket: 'post-day', max: 300, windowMs: DAY })
} satisfies Record<string, RateRule>;

export const FLAG_RULE = defineRule({ bucket: 'flag-day', max: 20, windowMs: DAY });

export const MAX_BODY = 20000;
export const MAX_TITLE = 160;

export interface Refusal {
	status: 400 | 403 | 409 | 429;
	message: string;
	/** The form field the message belongs next to. */
	field?: string;
}

export interface PostingContext {
	silencedUntil: Date | null;
	premoderated: boolean;
	classPremoderation: 'off' | 'all' | 'new-members';
	newMemberDays: number;
	joinedAt: Date | null;
	lastPostAt: Date | null;
	assignedActorId: number | null;
}

export async function readPostingContext(
	db: Executor,
	classId: number,
	threadId: number | null,
	viewer: Viewer,
	assignmentId: number | null
): Promise<PostingContext> {
	const { rows } = await sql<{
		silenced_until: Date | null;
		premoderated: boolean | null;
		premoderation: 'off' | 'all' | 'new-members' | null;
		new_member_days: number | null;
		joined_at: Date | null;
		last_post_at: Date | null;
		assigned_actor_id: number | null;
	}>`
		select
			(select silenced_until from member_restrictions
				where class_id = ${classId} and user_id = ${viewer.id}) as silenced_until,
			(select premoderated from member_restrictions
				where class_id = ${classId} and user_id = ${viewer.id}) as premoderated,
			(select premoderation from discussion_settings where class_id = ${classId}) as premoderation,
			(select new_member_days from discussion_settings where class_id = ${classId}) as new_member_days,
			(select joined_at from memberships where class_id = ${classId} and user_id = ${viewer.id}) as joined_at,
			(select max(created_at) from posts
				where thread_id = ${threadId} and author_id = ${viewer.id}) as last_post_at,
			(select actor_id from prompt_actors
				where assignment_id = ${assignmentId} and user_id = ${viewer.id}) as assigned_actor_id`.execute(db);
	const r = rows[0];
	const date = (d: Date | string | null) => (d ? new Date(d) : null);
	return {
		silencedUntil: date(r.silenced_until),
		premoderated: r.premoderated ?? false,
		classPremoderation: r.premoderation ?? 'off',
		newMemberDays: r.new_member_days ?? 7,
		joinedAt: date(r.joined_at),
		lastPostAt: date(r.last_post_at),
		assignedActorId: r.assigned_actor_id
	};
}

function minutes(ms: number): string {
	const s = Math.ceil(ms / 1000);
	if (s < 90) return `${s} second${s === 1 ? '' : 's'}`;
	const m = Math.ceil(s / 60);
	if (m < 90) return `${m} minutes`;
	return `${Math.ceil(m / 60)} hours`;
}

/** Why the viewer may not post in the thread now, or undefined when they may. */
export function refusePosting(
	thread: Pick<ThreadDetail, 'locked' | 'slowModeSeconds' | 'prompt'> | null,
	ctx: PostingContext,
	viewer: Viewer,
	now: Date = new Date()
): Refusal | undefined {
	if (moderates(viewer)) return undefined;
	if (ctx.silencedUntil && ctx.silencedUntil > now) {
		return {
			status: 403,
			message: `A moderator has silenced you in this class's discussions for ${minutes(
				ctx.silencedUntil.getTime() - now.getTime()
			)} more.`
		};
	}
	if (!thread) return undefined;
	if (thread.locked) {
		return { status: 403, message: 'This thread is locked: nobody can reply to it.' };
	}
	if (thread.prompt?.opensAt && thread.prompt.opensAt > now) {
		return { status: 403, message: 'This prompt is not open for replies yet.' };
	}
	if (thread.slowModeSeconds > 0 && ctx.lastPostAt) {
		const wait = ctx.lastPostAt.getTime() + thread.slowModeSeconds * 1000 - now.getTime();
		if (wait > 0) {
			return {
				status: 429,
				field: 'body',
				message: `This thread is in slow mode: you can post again in ${minutes(wait)}. Your draft is kept.`
			};
		}
	}
	return undefined;
}

/** Whether a new post by the viewer is held for a moderator's approval. */
export function holdsForReview(ctx: PostingContext, viewer: Viewer, now = new Date()): boolean {
	if (moderates(viewer)) return false;
	if (ctx.premoderated || ctx.classPremoderation === 'all') return true;
	if (ctx.classPremoderation === 'new-members' && ctx.joinedAt) {
		return now.getTime() - ctx.joinedAt.getTime() < ctx.newMemberDays * DAY;
	}
	return false;
}

function userKey(userId: number): string {
	return `user:${userId}`;
}

/** Refuses a post past the rate limits, or counts it. */
export async function takePostingAllowance(
	db: Executor,
	userId: number,
	now = new Date()
): Promise<Refusal | undefined> {
	const key = userKey(userId);
	const checks = Object.values(POST_RULES).map((rule) => ({ rule, key }));
	const until = await limitedUntil(db, checks, now);
	if (until) {
		return {
			status: 429,
			field: 'body',
			message: `You are posting too fast: try again in ${minutes(until.getTime() - now.getTime())}. Your draft is kept.`
		};
	}
	for (const { rule } of checks) await recordHit(db, rule, key, now);
	return undefined;
}

/** Refuses a flag past the daily limit, or counts it. */
export async function takeFlagAllowance(
	db: Executor,
	userId: number,
	now = new Date()
): Promise<Refusal | undefined> {
	const key = userKey(userId);
	const until = await limitedUntil(db, [{ rule: FLAG_RULE, key }], now);
	if (until) {
		return {
			status: 429,
			field: 'reason',
			message: `You have flagged ${FLAG_RULE.max} posts today, the most a day allows; a moderator will look at them. Try again in ${minutes(until.getTime() - now.getTime())}.`
		};
	}
	await recordHit(db, FLAG_RULE, key, now);
	return undefined;
}

/** The text of a post as the rules accept it, or the problem with it. */
export function checkBody(raw: string): { body: string } | { refusal: Refusal } {
	// NUL cannot be stored in text, and other control characters (but tab and newline) are noise.
	const body = raw.replace(/\r\n?/g, '\n').replace(/[^\P{Cc}\t\n]/gu, '');
	if (!body.trim()) {
		return { refusal: { status: 400, field: 'body', message: 'Write something before posting.' } };
	}
	if (body.length > MAX_BODY) {
		return {
			refusal: {
				status: 400,
				field: 'body',
				message: `A post holds at most ${MAX_BODY.toLocaleString('en')} characters (this one has ${body.length.toLocaleString('en')}).`
			}
		};
	}
	return { body: body.trimEnd() };
}

export function checkTitle(raw: string): { title: string } | { refusal: Refusal } {
	const title = raw
		.replace(/\p{Cc}/gu, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	if (!title)
		return { refusal: { status: 400, field: 'title', message: 'Give the thread a title.' } };
	if (title.length > MAX_TITLE) {
		return {
			refusal: {
				status: 400,
				field: 'title',
				message: `A title holds at most ${MAX_TITLE} characters.`
			}
		};
	}
	return { title };
}
