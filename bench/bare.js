// The bare node:http baseline of `npm run bench`: answers every request with the bytes of one
// HTML file (the minimal SvelteKit page, fetched by the run), so only the framework differs.
//   node bench/bare.js <port> <file.html>
import fs from 'node:fs';
import http from 'node:http';

const [port, file] = process.argv.slice(2);
const body = fs.readFileSync(file);
http
	.createServer((_req, res) => {
		res.writeHead(200, {
			'content-type': 'text/html; charset=utf-8',
			'content-length': body.length
		});
		res.end(body);
	})
	.listen(Number(port), '127.0.0.1');
