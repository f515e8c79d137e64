// One request with node:http (no cookie jar, no redirect following: the bench judges the
// redirect itself), answering { status, headers, body }.
import http from 'node:http';

export function send(
	base,
	{ method = 'GET', path, headers = {}, body },
	{ timeoutMs = 60_000 } = {}
) {
	const url = new URL(path, base);
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{
				method,
				headers:
					body !== undefined ? { ...headers, 'content-length': Buffer.byteLength(body) } : headers,
				agent: false,
				timeout: timeoutMs
			},
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: Buffer.concat(chunks).toString('utf8')
					})
				);
				res.on('error', reject);
			}
		);
		req.on('timeout', () =>
			req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`))
		);
		req.on('error', reject);
		if (body !== undefined) req.write(body);
		req.end();
	});
}
