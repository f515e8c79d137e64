import type {
	KyselyPlugin,
	PluginTransformQueryArgs,
	PluginTransformResultArgs,
	QueryResult,
	RootOperationNode,
	UnknownRow
} from 'kysely';
import type { DatabaseHandle } from '../../src/lib/server/db/connect.ts';

/**
 * A handle whose Kysely counts the queries it builds (`counter.n`: a query builder embedded in
 * another's SQL counts too) and the statements it runs (`counter.statements`: round trips), and
 * keeps the rows they returned (`counter.rows`, to see what was read).
 */
export function countingHandle(h: DatabaseHandle): {
	handle: DatabaseHandle;
	counter: { n: number; statements: number; rows: UnknownRow[] };
} {
	const counter = { n: 0, statements: 0, rows: [] as UnknownRow[] };
	const plugin: KyselyPlugin = {
		transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
			counter.n += 1;
			return args.node;
		},
		async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
			counter.statements += 1;
			counter.rows.push(...args.result.rows);
			return args.result;
		}
	};
	return { handle: { ...h, db: h.db.withPlugin(plugin) }, counter };
}
