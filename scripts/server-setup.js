// Copied into build/ and loaded by build/index.js before adapter-node's own server, which it
// adjusts in two ways adapter-node has no option for.
//
// Headers on every response: adapter-node serves the files of static/ and the built assets (sirv)
// before SvelteKit's hooks run, so headers set in hooks.server.ts never reach them. This adds the
// headers that hold for every response to each one, before any other request listener writes to it.
//
// The listen backlog: adapter-node listens with Node's default backlog of 511 connections waiting
// to be accepted. When a whole school opens its connections in the same instant (an exam's start)
// while the process is busy, the kernel resets the connections past that queue. LISTEN_BACKLOG
// (default 4096; Linux caps it at net.core.somaxconn) sets the queue instead.
import http from 'node:http';

const backlog = Number(process.env.LISTEN_BACKLOG || 4096);
if (!Number.isInteger(backlog) || backlog < 1) {
	// Before the server starts: a message for whoever set it, not a stack trace.
	console.error(
		`LISTEN_BACKLOG must be a whole number of connections above 0, not "${process.env.LISTEN_BACKLOG}".`
	);
	process.exit(1);
}

const createServer = http.createServer;
// @ts-expect-error the overloads of createServer are passed through unchanged
http.createServer = function (...args) {
	const server = createServer.apply(this, args);
	server.prependListener('request', (_req, res) => {
		res.setHeader('X-Content-Type-Options', 'nosniff');
	});
	const listen = server.listen;
	// adapter-node calls listen({ path, host, port }, callback) or listen({ fd }, callback).
	// @ts-expect-error the overloads of listen are passed through unchanged
	server.listen = function (options, ...rest) {
		if (options && typeof options === 'object' && options.backlog === undefined) {
			return listen.call(this, { ...options, backlog }, ...rest);
		}
		return listen.call(this, options, ...rest);
	};
	return server;
};
