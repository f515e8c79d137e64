// TEMPORARY local stand-in (not committed): replaced by the audit branch.
import type { Executor } from '../db/index.ts';
export async function logAction(
	trx: Executor,
	entry: {
		classId: number | null;
		actor: { id: number; name: string };
		action: string;
		targetKind: string;
		targetId?: number | null;
		targetLabel?: string;
		reason?: string;
		details?: Record<string, unknown>;
	}
): Promise<void> {
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
