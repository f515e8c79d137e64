// Run by tsx in a child process (tests/integration/discussion-live-instances.test.ts): one app
// instance's live discussion over the app's own modules, behind a tiny node:http server.
//   GET  /classes/:id/discussions/events   the stream, for the member of the session cookie
//   POST /record?class=:id                  records a post event, as a post on this instance does
// Prints `listening <port>` once it serves.
import http from 'node:http';
import { openDatabase } from '../../src/lib/server/db/connect.ts';
import { inTransaction } from '../../src/lib/server/db/index.ts';
import { validateSessionToken } from '../../src/lib/server/auth/session.ts';
import { findClassForViewer } from '../../src/lib/server/classes/classes.ts';
import { recordEvent } from '../../src/lib/server/discussion/events.ts';
import { discussionHub } from '../../src/lib/server/discussion/live/hub.ts';
import {
	openDiscussionStream,
	readLastEventId
} from '../../src/lib/server/discussion/live/stream.ts';
import { SESSION_COOKIE } from '../../src/lib/server/web/session-cookie.ts';

const handle = await openDatabase({ kind: 'postgres', url: process.env.DATABASE_URL! });
const hub = discussionHub(handle);
await hub.start();
const port = Number(process.env.PORT);

const server = http.createServer(async (req, res) => {
	try {
		const url = new URL(req.url ?? '/', `http://localhost:${port}`);
		let m = /^\/classes\/(\d+)\/discussions\/events$/.exec(url.pathname);
		if (req.method === 'GET' && m) {
			const token = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(
				req.headers.cookie ?? ''
			)?.[1];
			const who = token ? await validateSessionToken(handle.db, token) : null;
			if (!who) return void res.writeHead(401).end();
			const found = await findClassForViewer(handle.db, Number(m[1]), who.user);
			if (!found?.access) return void res.writeHead(404).end();
			const headers = new Headers();
			if (req.headers['last-event-id'])
				headers.set('last-event-id', String(req.headers['last-event-id']));
			const response = openDiscussionStream(hub, {
				classId: found.cls.id,
				userId: who.user.id,
				lastEventId: readLastEventId(new Request(url, { headers }), url)
			});
			res.writeHead(response.status, Object.fromEntries(response.headers));
			res.flushHeaders();
			const reader = response.body!.getReader();
			res.on('close', () => void reader.cancel());
			for (;;) {
				const { value, done } = await reader.read();
				if (done) break;
				res.write(value);
			}
			return void res.end();
		}
		m = /^\/record$/.exec(url.pathname);
		if (req.method === 'POST' && m) {
			const classId = Number(url.searchParams.get('class'));
			const id = await inTransaction(handle.db, (trx) =>
				recordEvent(trx, { classId, kind: 'post', threadId: 1, postId: 2 })
			);
			return void res.writeHead(200, { 'content-type': 'text/plain' }).end(id);
		}
		res.writeHead(404).end();
	} catch (e) {
		console.error(e);
		if (!res.headersSent) res.writeHead(500);
		res.end();
	}
});
server.listen(port, '127.0.0.1', () => console.log(`listening ${port}`));
process.on('SIGTERM', () => {
	server.closeAllConnections();
	server.close();
	void handle.close().then(() => process.exit(0));
});
