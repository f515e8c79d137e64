import type {
	KyselyPlugin,
	PluginTransformQueryArgs,
	PluginTransformResultArgs,
	QueryResult,
	RootOperationNode,
	UnknownRow
} from 'kysely';
import type { DatabaseHandle } from '../../src/lib/server/db/connect.ts';

/** A handle whose Kysely counts the queries it runs (`counter.n`). */
export function countingHandle(h: DatabaseHandle): {
	handle: DatabaseHandle;
	counter: { n: number };
} {
	const counter = { n: 0 };
	const plugin: KyselyPlugin = {
		transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
			counter.n += 1;
			return args.node;
		},
		async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
			return args.result;
		}
	};
	return { handle: { ...h, db: h.db.withPlugin(plugin) }, counter };
}
