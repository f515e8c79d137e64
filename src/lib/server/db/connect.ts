import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './types.ts';
import { acquireDirectoryLock } from './pglite-lock.ts';
import {
	checkChannel,
	checkPayload,
	errorText,
	Listener,
	type ListenBackend,
	type Subscription
} from './listener.ts';
import { isDatabaseUnavailable } from './errors.ts';
import { countQueryEvent, queryCountingEnabled } from './query-count.ts';
import { preparedQueries } from './prepared.ts';

export type Db = Kysely<Database>;
/** What area functions take first: the database itself or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

export interface DatabaseHandle {
	db: Db;
	kind: 'postgres' | 'pglite';
	/** Human-readable location, for start-up messages (never includes a password). */
	where: string;
	/**
	 * Subscribes to a NOTIFY channel; returns the unsubscribe function. All subscribers of a handle
	 * share one LISTEN connection (db/listener.ts). `onReconnect` is called when that connection was
	 * lost and is back: notifications may have been missed, so reload from the tables.
	 */
	listen(
		channel: string,
		onPayload: (payload: string) => void,
		options?: { onReconnect?: () => void }
	): Promise<() => Promise<void>>;
	/** Sends a notification. Payloads are ids only (at most 64 characters). */
	notify(channel: string, payload: string): Promise<void>;
	/** The one listener of this handle (its channels and reconnect count, for tests and health). */
	listener: Listener;
	/**
	 * Opens every connection of the pool now (at start-up), so the first burst of requests (an
	 * exam's start) does not also open them; they are kept open while idle. Resolves with the
	 * number of server connections seen (1 for PGlite).
	 */
	warm(): Promise<number>;
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

// The pool stays small: most pages need one or two queries and Postgres connections are expensive.
// 16 rather than 10 because half of it may run an exam's starts (quizzes/attempts.ts, startGate):
// in back-to-back runs of 1,000 students starting at once, a pool of 16 kept page-view and save
// p95 under 300 ms where 10 gave 1.2 s and 0.9 s (docs/performance.md). DATABASE_POOL_SIZE
// changes it.
/** Connections of a PostgreSQL pool (DATABASE_POOL_SIZE, default 16). */
export function poolSize(): number {
	const n = Number.parseInt(process.env.DATABASE_POOL_SIZE ?? '', 10);
	return Number.isInteger(n) && n > 0 ? n : 16;
}

const CONNECT_TIMEOUT_MS = 5000;
const POOL_WAIT_MS = 30_000;

// The pool hands its own options to each client it makes; this one keeps the connect timeout
// short whatever the pool's queue wait is, and runs Kysely's queries (`query(text, values)`) as
// named prepared statements (db/prepared.ts).
class QuickConnectClient extends pg.Client {
	constructor(config?: string | pg.ClientConfig) {
		super({
			...(typeof config === 'string' ? { connectionString: config } : config),
			connectionTimeoutMillis: CONNECT_TIMEOUT_MS
		});
		const query = this.query.bind(this) as (...args: unknown[]) => unknown;
		const prepared = preparedQueries((c) => query(c) as Promise<pg.QueryResult>);
		// One form more of pg's many (Kysely's): the others pass through unchanged.
		(this as { query: unknown }).query = (...args: unknown[]) =>
			args.length === 2 && typeof args[0] === 'string' && Array.isArray(args[1])
				? prepared(args[0], args[1])
				: query(...args);
	}
}

/** Application names, so a connection's purpose shows in pg_stat_activity. */
export const APPLICATION_NAME = 'perspectives';
export const LISTENER_APPLICATION_NAME = 'perspectives-listener';

function pgListenBackend(url: string): ListenBackend {
	let client: pg.Client | undefined;
	return {
		async connect(deliver, lost) {
			const old = client;
			client = undefined;
			old?.end().catch(() => {});
			const c = new pg.Client({
				connectionString: url,
				application_name: LISTENER_APPLICATION_NAME,
				keepAlive: true,
				connectionTimeoutMillis: 5000
			});
			// Without an 'error' listener a lost connection would crash the process. Only the current
			// client reports a loss (not one that failed to connect or was replaced).
			c.on('error', (e) => {
				if (client === c) lost(e);
			});
			c.on('end', () => {
				if (client === c) lost(new Error('connection ended'));
			});
			c.on('notification', (msg) => deliver(msg.channel, msg.payload ?? ''));
			try {
				await c.connect();
			} catch (e) {
				c.end().catch(() => {});
				throw e;
			}
			client = c;
		},
		async listen(channel) {
			if (!client) throw new Error('The listener is not connected.');
			await client.query(`LISTEN "${channel}"`);
		},
		async unlisten(channel) {
			await client?.query(`UNLISTEN "${channel}"`);
		},
		async close() {
			const c = client;
			client = undefined;
			if (c) await c.end().catch(() => {});
		}
	};
}

function handleParts(db: Db, listener: Listener) {
	return {
		listener,
		listen(
			channel: string,
			onPayload: (p: string) => void,
			options?: { onReconnect?: () => void }
		) {
			const sub: Subscription = { onPayload, onReconnect: options?.onReconnect };
			return listener.subscribe(channel, sub);
		},
		async notify(channel: string, payload: string) {
			checkChannel(channel);
			checkPayload(payload);
			await sql`select pg_notify(${channel}, ${payload})`.execute(db);
		}
	};
}

/** Kysely's `log` option only when the bench counts queries (query-count.ts): otherwise none. */
function countingLog(): { log?: () => void } {
	return queryCountingEnabled() ? { log: countQueryEvent } : {};
}

export interface OpenOptions {
	/**
	 * Turns an error that means the server cannot be reached (db/errors.ts) into the error the
	 * caller wants thrown instead: the app makes it a 503 for the page (db/outage.ts).
	 */
	mapUnavailable?: (e: unknown) => unknown;
	/** How long an idle connection above the kept ones lives (pg's default, 10 s; tests). */
	idleMs?: number;
}

/** A pg Pool whose connection and query failures pass through `mapUnavailable`. */
function outageAwarePool(config: pg.PoolConfig, map: (e: unknown) => unknown): pg.Pool {
	const convert = (e: unknown) => (isDatabaseUnavailable(e) ? map(e) : e);
	const pool = new pg.Pool(config);
	// Kysely calls connect() without a callback; pg's own pool.query passes one.
	const connect = pool.connect.bind(pool) as (cb?: unknown) => unknown;
	(pool as { connect: unknown }).connect = (cb?: unknown) =>
		cb
			? connect(cb)
			: (connect() as Promise<unknown>).catch((e: unknown) => {
					throw convert(e);
				});
	pool.on('connect', (client) => {
		const query = client.query.bind(client) as (...args: unknown[]) => unknown;
		(client as { query: unknown }).query = (...args: unknown[]) => {
			const r = query(...args);
			return r instanceof Promise
				? r.catch((e: unknown) => {
						throw convert(e);
					})
				: r;
		};
	});
	return pool;
}

export async function openDatabase(
	config: DatabaseConfig,
	options: OpenOptions = {}
): Promise<DatabaseHandle> {
	if (config.kind === 'postgres') {
		const poolConfig: pg.PoolConfig = {
			connectionString: config.url,
			max: poolSize(),
			// Connections once opened stay open while idle: with the pool closing them after 10 s
			// idle, an exam's start (thousands of requests after a quiet minute) met a cold pool,
			// and opening connections amid that burst ran past the connect timeout (503s).
			min: poolSize(),
			idleTimeoutMillis: options.idleMs ?? 10_000,
			application_name: APPLICATION_NAME,
			keepAlive: true,
			// Waiting for a free connection of a busy pool (an exam's start: thousands of requests
			// in the same second) is not an outage: a request waits its turn up to 30 s.
			connectionTimeoutMillis: POOL_WAIT_MS,
			// Opening a connection to a server that does not answer is: the page fails within
			// seconds instead of hanging (the client's own timeout, shorter than the pool's).
			Client: QuickConnectClient
		};
		const pool = options.mapUnavailable
			? outageAwarePool(poolConfig, options.mapUnavailable)
			: new pg.Pool(poolConfig);
		// An idle client whose connection drops (a server restart, a network cut) emits 'error' on
		// the pool; without a listener that would crash the process. The pool discards the client
		// and opens new ones when the server is back.
		pool.on('error', (e) => {
			console.error(`Database connection lost (${errorText(e)}); it will be re-opened.`);
		});
		// A client that is checked out (running a query) when its connection drops emits 'error'
		// itself; its query fails with the error (a 503 for the page) and the pool discards it.
		pool.on('connect', (client) => {
			client.on('error', () => {});
		});
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...countingLog() });
		const listener = new Listener(pgListenBackend(config.url));
		return {
			db,
			kind: 'postgres',
			where: redact(config.url),
			...handleParts(db, listener),
			async warm() {
				// As many queries at once as the pool has connections: each opens one.
				const pids = await Promise.all(
					Array.from({ length: poolSize() }, () =>
						sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)
					)
				);
				return new Set(pids.map((r) => r.rows[0].pid)).size;
			},
			async close() {
				await listener.close();
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
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...countingLog() });
		// The embedded database lives in this process: its connection cannot be lost.
		const unlisten = new Map<string, () => Promise<void>>();
		let deliverTo: (channel: string, payload: string) => void = () => {};
		const listener = new Listener({
			async connect(deliver) {
				deliverTo = deliver;
			},
			async listen(channel) {
				unlisten.set(
					channel,
					await pglite.listen(channel, (payload) => deliverTo(channel, payload))
				);
			},
			async unlisten(channel) {
				await unlisten.get(channel)?.();
				unlisten.delete(channel);
			},
			async close() {
				for (const stop of unlisten.values()) await stop().catch(() => {});
				unlisten.clear();
			}
		});
		return {
			db,
			kind: 'pglite',
			where: inMemory ? 'embedded database in memory' : `embedded database in ${config.dir}`,
			...handleParts(db, listener),
			// One connection, in the process: nothing to open ahead.
			warm: async () => 1,
			async close() {
				await listener.close();
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
