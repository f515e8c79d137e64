import pg from 'pg';
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import type { Database } from '../../src/lib/server/db/types.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/connect.ts';
import { useDatabase } from '../../src/lib/server/db/index.ts';
import { validateSessionToken } from '../../src/lib/server/auth/session.ts';

// The SQL a page runs, read off the page's own code: a Kysely whose `log` records every compiled
// query is made the app's database (useDatabase), the session is validated as hooks.server.ts
// does, the root layout's and the page's `load` are called with a SvelteKit-like event, and each
// recorded query is then EXPLAINed (FORMAT JSON). Writes (save, submit) run inside a transaction
// that is rolled back.
//
// What fails: a sequential scan of a table of more than LARGE rows that the query has no index to
// avoid (planned again with enable_seqscan off, the scan is still there): its cost grows with the
// whole table, whatever the planner thinks. A scan the planner merely prefers (an index path
// exists; for a few hundred lookups a hash over a cached 10,000-row table is cheaper) is reported,
// and fails too once the table passes HUGE rows.

export const LARGE = 10_000;
export const HUGE = 100_000;

export interface Captured {
	sql: string;
	parameters: readonly unknown[];
}

export interface SeqScan {
	relation: string;
	rows: number;
	/** An index path exists: with enable_seqscan off the planner does not scan this table. */
	indexPath: boolean;
	sql: string;
}

export interface ExplainResult {
	scenario: string;
	queries: number;
	seqScans: SeqScan[];
	/** The failures: large scans with no index path, and scans of huge tables. */
	large: SeqScan[];
	/** Total of the planner's estimated costs, and of actual times for reads (EXPLAIN ANALYZE). */
	ms: number;
}

export class Recorder {
	pool: pg.Pool;
	db: Kysely<Database>;
	captured: Captured[] = [];
	recording = false;

	constructor(url: string) {
		this.pool = new pg.Pool({ connectionString: url, max: 4 });
		this.db = new Kysely<Database>({
			dialect: new PostgresDialect({ pool: this.pool }),
			log: (e) => {
				if (this.recording && e.level === 'query') this.captured.push(toCaptured(e.query));
			}
		});
		// Only `db` is read by getDb(); the rest is never used by a load.
		useDatabase({ db: this.db, kind: 'postgres', where: url } as unknown as DatabaseHandle);
	}

	async record(fn: () => Promise<unknown>): Promise<Captured[]> {
		this.captured = [];
		this.recording = true;
		try {
			await fn();
		} finally {
			this.recording = false;
		}
		return this.captured;
	}

	async close() {
		await this.db.destroy();
	}
}

function toCaptured(q: CompiledQuery): Captured {
	return { sql: q.sql, parameters: q.parameters };
}

/** The signed-in user for a load, as hooks.server.ts makes it from the cookie. */
export async function sessionUser(r: Recorder, token: string) {
	const v = await validateSessionToken(r.db, token);
	if (!v) throw new Error('the manifest session is not valid on this database');
	return v.user;
}

interface PlanNode {
	'Node Type': string;
	'Relation Name'?: string;
	'Plan Rows'?: number;
	'Actual Total Time'?: number;
	Plans?: PlanNode[];
}

function walk(node: PlanNode, visit: (n: PlanNode) => void) {
	visit(node);
	for (const c of node.Plans ?? []) walk(c, visit);
}

const tableRows = new Map<string, number>();

async function rowsOf(pool: pg.Pool, relation: string): Promise<number> {
	if (!tableRows.has(relation)) {
		const { rows } = await pool.query(
			`select greatest(reltuples, 0)::bigint as n from pg_class where relname = $1 and relkind = 'r'`,
			[relation]
		);
		tableRows.set(relation, Number(rows[0]?.n ?? 0));
	}
	return tableRows.get(relation)!;
}

/** The tables a query still scans sequentially when the planner is told not to. */
async function seqScannedWithoutSeqscan(client: pg.PoolClient, q: Captured): Promise<Set<string>> {
	await client.query('begin');
	try {
		await client.query('set local enable_seqscan = off');
		const { rows } = await client.query(
			`explain (format json) ${q.sql}`,
			q.parameters as unknown[]
		);
		const out = new Set<string>();
		walk((rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0].Plan, (n) => {
			if (n['Node Type'] === 'Seq Scan' && n['Relation Name']) out.add(n['Relation Name']);
		});
		return out;
	} finally {
		await client.query('rollback');
	}
}

/** EXPLAINs each query (reads with ANALYZE, for their actual time) and lists the seq scans. */
export async function explainAll(
	pool: pg.Pool,
	scenario: string,
	queries: Captured[],
	show = false
): Promise<ExplainResult> {
	const seqScans: SeqScan[] = [];
	let ms = 0;
	for (const q of queries) {
		// Transaction control has no plan.
		if (/^\s*(begin|start|commit|rollback|savepoint|release)\b/i.test(q.sql)) continue;
		const read = /^\s*(with|select)\b/i.test(q.sql) && !/\bfor (update|share)\b/i.test(q.sql);
		const client = await pool.connect();
		try {
			// Statements with side effects are planned, never run.
			const { rows } = await client.query(
				`explain (format json${read ? ', analyze' : ''}) ${q.sql}`,
				q.parameters as unknown[]
			);
			if (show) {
				const text = await client.query(
					`explain (${read ? 'analyze, buffers' : 'costs'}) ${q.sql}`,
					q.parameters as unknown[]
				);
				console.log(`\n-- ${scenario}\n${q.sql}\n${JSON.stringify(q.parameters)}`);
				console.log(text.rows.map((r) => r['QUERY PLAN']).join('\n'));
			}
			const plan = (rows[0]['QUERY PLAN'] as { Plan: PlanNode; 'Execution Time'?: number }[])[0];
			ms += plan['Execution Time'] ?? 0;
			const scans: PlanNode[] = [];
			walk(plan.Plan, (n) => {
				if (n['Node Type'] === 'Seq Scan' && n['Relation Name']) scans.push(n);
			});
			let withoutSeq: Set<string> | undefined;
			for (const n of scans) {
				const relation = n['Relation Name']!;
				const rows = await rowsOf(pool, relation);
				if (rows > LARGE) withoutSeq ??= await seqScannedWithoutSeqscan(client, q);
				seqScans.push({
					relation,
					rows,
					indexPath: rows > LARGE ? !withoutSeq!.has(relation) : true,
					sql: q.sql.replace(/\s+/g, ' ').slice(0, 160)
				});
			}
		} finally {
			client.release();
		}
	}
	return {
		scenario,
		queries: queries.length,
		seqScans,
		large: seqScans.filter((s) => (s.rows > LARGE && !s.indexPath) || s.rows > HUGE),
		ms: Math.round(ms * 100) / 100
	};
}
