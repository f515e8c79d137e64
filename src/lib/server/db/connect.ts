import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './types.ts';
import { acquireDirectoryLock } from './pglite-lock.ts';

export type Db = Kysely<Database>;
/** What area functions take first: the database itself or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

export interface DatabaseHandle {
	db: Db;
	kind: 'postgres' | 'pglite';
	/** Human-readable location, for start-up messages (never includes a password). */
	where: string;
	/** Subscribes to a NOTIFY channel; returns the unsubscribe function. */
	listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
	close(): Promise<void>;
}

export type DatabaseConfig = { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string };

function redact(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return 'the DATABASE_URL server';
	}
}

// The pool stays small by default: most pages need one or two queries and Postgres connections are
// expensive. DATABASE_POOL_SIZE raises it for a busy instance.
function poolSize(): number {
	const n = Number.parseInt(process.env.DATABASE_POOL_SIZE ?? '', 10);
	return Number.isInteger(n) && n > 0 ? n : 10;
}

export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
	if (config.kind === 'postgres') {
		const pool = new pg.Pool({ connectionString: config.url, max: poolSize() });
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
		return {
			db,
			kind: 'postgres',
			where: redact(config.url),
			async listen(channel, onPayload) {
				// LISTEN needs a connection of its own that stays open.
				const client = new pg.Client({ connectionString: config.url });
				await client.connect();
				client.on('notification', (msg) => {
					if (msg.channel === channel) onPayload(msg.payload ?? '');
				});
				await client.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
				return async () => {
					await client.end();
				};
			},
			async close() {
				await db.destroy();
			}
		};
	}

	const inMemory = config.dir === 'memory://';
	const release = inMemory ? () => {} : acquireDirectoryLock(config.dir);
	try {
		const { PGlite } = await import('@electric-sql/pglite');
		const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
		const pglite = await PGlite.create(inMemory ? undefined : config.dir);
		const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
		return {
			db,
			kind: 'pglite',
			where: inMemory ? 'embedded database in memory' : `embedded database in ${config.dir}`,
			async listen(channel, onPayload) {
				return await pglite.listen(channel, onPayload);
			},
			async close() {
				await db.destroy();
				await pglite.close();
				release();
			}
		};
	} catch (e) {
		release();
		throw e;
	}
}
