// Copied into build/ and loaded by build/index.js before adapter-node's own server.
//
// adapter-node serves the files of static/ and the built assets (sirv) before SvelteKit's hooks
// run, so headers set in hooks.server.ts never reach them. This adds the headers that hold for
// every response to each one, before any other request listener writes to it.
import http from 'node:http';

const createServer = http.createServer;
// @ts-expect-error the overloads of createServer are passed through unchanged
http.createServer = function (...args) {
	const server = createServer.apply(this, args);
	server.prependListener('request', (_req, res) => {
		res.setHeader('X-Content-Type-Options', 'nosniff');
	});
	return server;
};
