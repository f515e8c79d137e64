import { sql } from 'kysely';
import type { Db } from '../../src/lib/server/db/connect.ts';

// Loading millions of rows into indexed tables with foreign keys costs a lookup per row and per
// key. For the big tables the seeder drops their secondary indexes and foreign keys first and
// puts them back afterwards, exactly as they were (the definitions are read from the catalogue):
// one sort per index and one join per key, and every key is still checked when it is re-added.

interface Saved {
	indexes: { name: string; def: string }[];
	keys: { table: string; name: string; def: string }[];
}

export async function dropChecks(db: Db, tables: string[]): Promise<Saved> {
	const { rows: keys } = await sql<{ table: string; name: string; def: string }>`
		select conrelid::regclass::text as table, conname as name, pg_get_constraintdef(oid) as def
		from pg_constraint
		where contype = 'f' and conrelid::regclass::text = any(${tables}::text[])`.execute(db);
	const { rows: indexes } = await sql<{ name: string; def: string }>`
		select i.indexname as name, i.indexdef as def from pg_indexes i
		where i.schemaname = 'public' and i.tablename = any(${tables}::text[])
			and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db);
	for (const k of keys)
		await sql`alter table ${sql.table(k.table)} drop constraint ${sql.ref(k.name)}`.execute(db);
	for (const i of indexes) await sql`drop index ${sql.ref(i.name)}`.execute(db);
	return { indexes, keys };
}

export async function restoreChecks(db: Db, saved: Saved): Promise<number> {
	for (const i of saved.indexes) await sql.raw(i.def).execute(db);
	for (const k of saved.keys)
		await sql`alter table ${sql.table(k.table)} add constraint ${sql.ref(k.name)} ${sql.raw(k.def)}`.execute(
			db
		);
	return saved.indexes.length + saved.keys.length;
}
