import { afterAll, describe, expect, test } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/connect.ts';
import { useDatabase } from '../../src/lib/server/db/index.ts';
import { testHandle } from '../helpers/db.ts';
import { GET } from '../../src/routes/healthz/+server.ts';

afterAll(async () => useDatabase(await testHandle()));

describe('/healthz', () => {
	test('200 while the database answers, 503 when it does not', async () => {
		useDatabase(await testHandle());
		const call = () => (GET as unknown as () => Promise<Response>)();
		expect((await call()).status).toBe(200);

		// A server that is not there: nothing listens on port 1.
		const gone = await openDatabase({
			kind: 'postgres',
			url: 'postgres://nobody@127.0.0.1:1/none'
		});
		useDatabase(gone);
		const res = await call();
		expect(res.status).toBe(503);
		expect(await res.text()).toBe('database unreachable\n');
		await gone.close();
	}, 60000);
});
