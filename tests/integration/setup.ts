import { beforeEach } from 'vitest';
import { resetDb, testDb } from '../helpers/db.ts';
import { clearDrawCache } from '../../src/lib/server/quizzes/draw-cache.ts';

beforeEach(async () => {
	await resetDb(await testDb());
	// Ids restart with the tables: what a test before kept in memory for course 1 is not this one's.
	clearDrawCache();
});
