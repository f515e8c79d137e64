import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/connect.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/session.ts';
import { removeMember } from '../../src/lib/server/classes/classes.ts';
import { newClass, newCourse, newMember, newUser } from '../helpers/factories.ts';
import { resetDb } from '../helpers/db.ts';
import { serverUrl, TEST_INSTANCE_POOL } from '../helpers/server-url.ts';
import { readSse } from '../helpers/sse.ts';

// Two app processes on one PostgreSQL database (always a server: serverUrl()), each with its own
// hub on its own LISTEN connection. A post recorded on instance A reaches a stream open on B.

const children: ChildProcess[] = [];
let handle: DatabaseHandle | undefined;
afterAll(async () => {
	for (const c of children) c.kill('SIGTERM');
	await handle?.close();
});

function startInstance(url: string, port: number): Promise<void> {
	const child = spawn(path.resolve('node_modules/.bin/tsx'), ['tests/helpers/live-instance.ts'], {
		env: { ...process.env, DATABASE_URL: url, PORT: String(port), ...TEST_INSTANCE_POOL },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	children.push(child);
	let err = '';
	child.stderr!.on('data', (d) => (err += d));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`instance ${port} did not start: ${err}`)),
			15000
		);
		child.stdout!.on('data', (d) => {
			if (String(d).includes(`listening ${port}`)) {
				clearTimeout(timer);
				resolve();
			}
		});
		child.on('exit', (code) => reject(new Error(`instance ${port} exited (${code}): ${err}`)));
	});
}

describe('live discussion across instances', () => {
	test('a post recorded on one instance reaches a stream open on another within 2 s', async () => {
		const url = serverUrl();
		handle = await openDatabase({ kind: 'postgres', url });
		await migrateToLatest(handle.db);
		const db = handle.db;
		// The server's database outlives a PGlite run: start it empty (factories' names repeat).
		await resetDb(db);
		const [A, B] = [4201, 4202];
		const started = Promise.all([startInstance(url, A), startInstance(url, B)]);
		started.catch(() => {});

		const teacher = await newUser(db, { role: 'instructor' });
		const cls = await newClass(db, (await newCourse(db)).id, { instructorId: teacher.id });
		const student = await newUser(db);
		await newMember(db, cls.id, student.id);
		const token = generateSessionToken();
		await createSession(db, token, student.id);
		await started;

		const stream = `http://127.0.0.1:${B}/classes/${cls.id}/discussions/events`;
		const res = await fetch(stream, { headers: { cookie: `session=${token}` } });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
		const s = readSse(res.body!);
		try {
			await s.until(() => s.frames.some((f) => f.event === 'ready'), 5000);

			const posted = await fetch(`http://127.0.0.1:${A}/record?class=${cls.id}`, {
				method: 'POST'
			});
			const id = await posted.text();
			expect(posted.status).toBe(200);
			await s.until(() => s.events().length === 1, 2000);
			expect(s.events()[0]).toMatchObject({ id, event: 'post' });

			// Removing the member (on any instance: here, a third process) closes B's stream.
			expect(await removeMember(db, cls.id, student.id, teacher)).toBe(true);
			await s.until(() => s.ended, 2000);
			const again = await fetch(stream, { headers: { cookie: `session=${token}` } });
			expect(again.status).toBe(404);
		} finally {
			await s.cancel();
		}
	}, 30000);
});
