import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import { toCsv } from '../../csv.ts';
import { actionLabel, targetKindLabel, type LogAction } from '../../moderation/actions.ts';

// The audit log (`moderation_log`): append-only, one row per moderation action, class setting
// change and roster change (class_id set), and per administrator action on accounts (class_id
// null). Nothing here updates or deletes a row.

/** Who did it: the name is copied into the row so the log still reads after the account goes. */
export interface Actor {
	id: number;
	name: string;
}

export interface LogEntryInput {
	classId: number | null;
	actor: Actor;
	action: LogAction;
	targetKind: string;
	targetId?: number | null;
	targetLabel?: string;
	reason?: string;
	/** Never a token, a reset link or a password: the log is read by many people, for years. */
	details?: Record<string, unknown>;
}

/**
 * Records one action. Always call it inside the transaction of the change it records (through
 * `inTransaction`), so that the change and its row land together or not at all: a failed action
 * leaves no row, and a logged action cannot be lost.
 */
export async function logAction(trx: Executor, entry: LogEntryInput): Promise<void> {
	await trx
		.insertInto('moderation_log')
		.values({
			class_id: entry.classId,
			actor_id: entry.actor.id,
			actor_name: entry.actor.name,
			action: entry.action,
			target_kind: entry.targetKind,
			target_id: entry.targetId ?? null,
			target_label: entry.targetLabel ?? '',
			reason: entry.reason ?? '',
			details: JSON.stringify(entry.details ?? {})
		})
		.execute();
}

/** How the log names an account: `Name <email>`. */
export function accountLabel(user: { name: string; email: string }): string {
	return `${user.name} <${user.email}>`;
}

/**
 * Records an action on a class member's account, taking the label from the database, and only
 * when the member is in the class with one of `roles` (so a change that will not happen leaves
 * no row). The membership row is locked until the transaction ends, so two racing requests log
 * once. Call it in the change's transaction, before the change.
 */
export async function logMemberAction(
	trx: Executor,
	entry: {
		classId: number;
		userId: number;
		actor: Actor;
		action: LogAction;
		roles: readonly ('student' | 'moderator' | 'instructor')[];
		details?: Record<string, unknown>;
	}
): Promise<void> {
	await trx
		.insertInto('moderation_log')
		.columns([
			'class_id',
			'actor_id',
			'actor_name',
			'action',
			'target_kind',
			'target_id',
			'target_label',
			'details'
		])
		.expression(
			trx
				.selectFrom('memberships as m')
				.innerJoin('users as u', 'u.id', 'm.user_id')
				.select([
					sql<number>`${entry.classId}::integer`.as('class_id'),
					sql<number>`${entry.actor.id}::integer`.as('actor_id'),
					sql<string>`${entry.actor.name}::text`.as('actor_name'),
					sql<string>`${entry.action}::text`.as('action'),
					sql<string>`'account'`.as('target_kind'),
					'u.id as target_id',
					sql<string>`u.name || ' <' || u.email || '>'`.as('target_label'),
					sql<string>`${JSON.stringify(entry.details ?? {})}::jsonb`.as('details')
				])
				.where('m.class_id', '=', entry.classId)
				.where('m.user_id', '=', entry.userId)
				.where('m.role', 'in', [...entry.roles])
				.forUpdate(['m'])
		)
		.execute();
}

export interface LogEntry {
	/** A bigint, as text: the key for "older entries". */
	id: string;
	classId: number | null;
	actorId: number | null;
	actorName: string;
	action: string;
	actionLabel: string;
	targetKind: string;
	targetId: number | null;
	targetLabel: string;
	reason: string;
	details: Record<string, unknown>;
	createdAt: Date;
}

export interface LogFilters {
	/** Null: the administrators' log of account actions. */
	classId: number | null;
	action?: string;
	actorId?: number;
	targetKind?: string;
	/** Words to find in the target's label or the reason. */
	q?: string;
	/** Entries at or after this instant. */
	from?: Date;
	/** Entries before this instant (exclusive). */
	to?: Date;
	limit: number;
	/** Keyset paging: entries older than this id. */
	before?: string;
}

export interface LogPage {
	entries: LogEntry[];
	/** The id to pass as `before` for the next page, when there are older entries. */
	nextBefore: string | null;
}

const BIGINT = /^[1-9]\d{0,18}$/;

/** A `before` value from a URL, or undefined when it cannot be an id. */
export function parseLogCursor(raw: string | null): string | undefined {
	return raw && BIGINT.test(raw) ? raw : undefined;
}

function escapeLike(text: string): string {
	return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** One query: the page of entries matching the filters, newest first. */
export async function listLog(db: Executor, f: LogFilters): Promise<LogPage> {
	let q = db.selectFrom('moderation_log as l');
	q =
		f.classId === null ? q.where('l.class_id', 'is', null) : q.where('l.class_id', '=', f.classId);
	if (f.action) q = q.where('l.action', '=', f.action);
	if (f.actorId !== undefined) q = q.where('l.actor_id', '=', f.actorId);
	if (f.targetKind) q = q.where('l.target_kind', '=', f.targetKind);
	const text = f.q?.trim();
	if (text) {
		const pattern = `%${escapeLike(text)}%`;
		q = q.where((eb) =>
			eb.or([eb('l.target_label', 'ilike', pattern), eb('l.reason', 'ilike', pattern)])
		);
	}
	if (f.from) q = q.where('l.created_at', '>=', f.from);
	if (f.to) q = q.where('l.created_at', '<', f.to);
	if (f.before) q = q.where('l.id', '<', f.before);
	const rows = await q
		.select([
			sql<string>`l.id::text`.as('id'),
			'l.class_id',
			'l.actor_id',
			'l.actor_name',
			'l.action',
			'l.target_kind',
			'l.target_id',
			'l.target_label',
			'l.reason',
			'l.details',
			'l.created_at'
		])
		.orderBy('l.id', 'desc')
		.limit(f.limit + 1)
		.execute();
	const more = rows.length > f.limit;
	const entries = rows.slice(0, f.limit).map((r): LogEntry => ({
		id: r.id,
		classId: r.class_id,
		actorId: r.actor_id,
		actorName: r.actor_name,
		action: r.action,
		actionLabel: actionLabel(r.action),
		targetKind: r.target_kind,
		targetId: r.target_id,
		targetLabel: r.target_label,
		reason: r.reason,
		details: (r.details ?? {}) as Record<string, unknown>,
		createdAt: r.created_at
	}));
	return { entries, nextBefore: more ? entries[entries.length - 1].id : null };
}

export interface LogFacets {
	actions: { action: string; label: string }[];
	/** Everyone who has acted in this log; the name is the latest one logged. */
	actors: { id: number; name: string }[];
	targetKinds: { kind: string; label: string }[];
}

/** One query: the actions, actors and target kinds present in a log, for its filter lists. */
export async function listLogFacets(db: Executor, classId: number | null): Promise<LogFacets> {
	const scope = classId === null ? sql`class_id is null` : sql`class_id = ${classId}`;
	const { rows } = await sql<{ kind: 'action' | 'actor' | 'target'; key: string; name: string }>`
		select distinct 'action' as kind, action as key, '' as name
		from moderation_log where ${scope}
		union all
		select distinct 'target', target_kind, '' from moderation_log where ${scope}
		union all
		select * from (
			select distinct on (actor_id) 'actor', actor_id::text, actor_name
			from moderation_log where ${scope} and actor_id is not null
			order by actor_id, id desc
		) a`.execute(db);
	const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
	return {
		actions: rows
			.filter((r) => r.kind === 'action')
			.map((r) => ({ action: r.key, label: actionLabel(r.key) }))
			.sort((a, b) => a.label.localeCompare(b.label)),
		actors: rows
			.filter((r) => r.kind === 'actor')
			.map((r) => ({ id: Number(r.key), name: r.name }))
			.sort(byName),
		targetKinds: rows
			.filter((r) => r.kind === 'target')
			.map((r) => ({ kind: r.key, label: targetKindLabel(r.key) }))
			.sort((a, b) => a.label.localeCompare(b.label))
	};
}

/** The entries as CSV (src/lib/csv.ts: quoted fields, formula-like cells defused). */
export function logCsv(entries: readonly LogEntry[]): string {
	return toCsv([
		['Time (UTC)', 'Who', 'Action', 'Action code', 'Target kind', 'Target', 'Reason'],
		...entries.map((e) => [
			e.createdAt.toISOString(),
			e.actorName,
			e.actionLabel,
			e.action,
			e.targetKind,
			e.targetLabel,
			e.reason
		])
	]);
}
