import { beforeEach } from 'vitest';
import { resetDb, testDb } from '../helpers/db.ts';

beforeEach(async () => {
	await resetDb(await testDb());
});
